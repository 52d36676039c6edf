import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { UNKNOWN_KID_BURST } from '../src/jwks-key-store';
import { TestIssuer, type ServedJwks } from '../src/testing';
import { startApp } from './support/apps';
import { useVirtualClock } from './support/clock';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

// Every cooldown and cache age below is virtual time (useVirtualClock): what a test sees does
// not depend on how fast a loaded machine serves the requests.
describe('JWKS over HTTP', () => {
  let issuer: TestIssuer;
  let served: ServedJwks;
  let app: INestApplication;
  let url: string;
  let clock: ReturnType<typeof useVirtualClock>;

  async function boot(jwks: { cacheMaxAgeMs?: number; cooldownMs?: number; timeoutMs?: number }) {
    issuer = await TestIssuer.create();
    served = await issuer.serve();
    ({ app, url } = await startApp({
      issuer: issuer.issuer,
      jwksUrl: served.jwksUrl,
      jwks,
      verifiedTokenCache: false,
    }));
  }
  const me = async (token?: string) => {
    const req = request(url).get('/me');
    return token ? req.set(bearer(token)) : req;
  };

  beforeEach(() => {
    clock = useVirtualClock();
  });
  afterEach(async () => {
    clock.restore();
    await app?.close();
    await served?.close();
  });

  it('fetches the key set once and reuses it', async () => {
    await boot({});
    for (let i = 0; i < 5; i++) expect((await me(await issuer.sign())).status).toBe(200);
    expect(served.requests).toBe(1);
  });

  it('a @Public() route never touches the JWKS, even when it is down', async () => {
    await boot({});
    served.mode = 'down';
    await request(url).get('/health').expect(200);
    expect(served.requests).toBe(0);
  });

  it('a key rotated in 1 s after a fetch is accepted at once (default 30 s cooldown)', async () => {
    await boot({});
    expect((await me(await issuer.sign())).status).toBe(200);
    expect(served.requests).toBe(1);
    clock.advance(1_000);
    await issuer.rotate();
    const rotated = await issuer.sign({ sub: 'after-rotation' });
    const res = await me(rotated);
    expect({ status: res.status, id: res.body.id }).toEqual({ status: 200, id: 'after-rotation' });
    expect(served.requests).toBe(2);
    for (let i = 0; i < 3; i++) expect((await me(rotated)).status).toBe(200);
    expect(served.requests).toBe(2);
  });

  it('a 10 s flood of random kids fetches at most BURST + 10 s / cooldown times', async () => {
    await boot({ cooldownMs: 2_000 });
    expect((await me(await issuer.sign())).status).toBe(200);
    // 20 bursts of 10 concurrent requests, 500 ms of virtual time apart: 10 s in all.
    for (let burst = 0; burst < 20; burst++) {
      const tokens = await Promise.all(
        Array.from({ length: 10 }, () => issuer.sign({}, { kid: randomUUID() })),
      );
      const responses = await Promise.all(tokens.map((t) => me(t)));
      expect(responses.map((r) => `${r.status} ${r.body.code}`)).toEqual(
        tokens.map(() => '401 unknown_key'),
      );
      clock.advance(500);
    }
    expect(served.requests).toBeLessThanOrEqual(1 + UNKNOWN_KID_BURST + 10_000 / 2_000);
  });

  it('JWKS unreachable and the key not cached: 503 with Retry-After', async () => {
    await boot({ cooldownMs: 10_000 });
    served.mode = 'down';
    const res = await me(await issuer.sign());
    expect(res.status).toBe(503);
    expect(Number(res.headers['retry-after'])).toBe(10);
    expect(res.body).toMatchObject({ statusCode: 503, code: 'jwks_unavailable' });
    expect(res.body.message).toMatch(/could not be fetched/);
    // Retries within the cooldown do not hammer the JWKS.
    clock.advance(4_000);
    const again = await me(await issuer.sign());
    expect({ status: again.status, retryAfter: again.headers['retry-after'] }).toEqual({
      status: 503,
      retryAfter: '6',
    });
    expect(served.requests).toBe(1);
  });

  it('a JWKS server that is not even listening also gives 503', async () => {
    await boot({});
    await served.close();
    expect((await me(await issuer.sign())).status).toBe(503);
  });

  it('a JWKS fetch that hangs times out into 503', async () => {
    // The fetch timeout is a real timer (AbortSignal.timeout); nothing here measures it: a
    // hanging JWKS never answers, so only the timeout can end this request.
    await boot({ timeoutMs: 200 });
    served.mode = 'hang';
    expect((await me(await issuer.sign())).status).toBe(503);
    expect(served.requests).toBe(1);
  });

  it('recovers once the JWKS is back and the cooldown has passed', async () => {
    await boot({});
    served.mode = 'down';
    expect((await me(await issuer.sign())).status).toBe(503);
    served.mode = 'up';
    clock.advance(29_999);
    expect((await me(await issuer.sign())).status).toBe(503);
    expect(served.requests).toBe(1);
    clock.advance(1);
    expect((await me(await issuer.sign())).status).toBe(200);
    expect(served.requests).toBe(2);
  });

  it('with the key cached, an outage changes nothing, even past cacheMaxAge', async () => {
    await boot({ cacheMaxAgeMs: 60_000, cooldownMs: 1_000 });
    expect((await me(await issuer.sign())).status).toBe(200);
    served.mode = 'down';
    clock.advance(60_000);
    for (let i = 0; i < 3; i++) {
      expect((await me(await issuer.sign())).status).toBe(200);
      clock.advance(1_000);
    }
    expect(served.requests).toBe(4); // it did try to refresh, once per cooldown
  });

  it('an unknown kid during an outage is 503 (the key set may be stale), not 401', async () => {
    await boot({});
    expect((await me(await issuer.sign())).status).toBe(200);
    served.mode = 'down';
    await issuer.rotate();
    clock.advance(1_000);
    expect((await me(await issuer.sign())).status).toBe(503);
    expect((await me(await issuer.sign())).status).toBe(503);
    expect(served.requests).toBe(2);
  });
});
