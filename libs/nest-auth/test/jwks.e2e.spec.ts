import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { TestIssuer, type ServedJwks } from '../src/testing';
import { startApp } from './support/apps';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('JWKS over HTTP', () => {
  let issuer: TestIssuer;
  let served: ServedJwks;
  let app: INestApplication;
  let url: string;

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
  afterEach(async () => {
    await app?.close();
    await served?.close();
  });

  it('fetches the key set once and reuses it', async () => {
    await boot({});
    for (let i = 0; i < 5; i++) {
      await request(url)
        .get('/me')
        .set(bearer(await issuer.sign()))
        .expect(200);
    }
    expect(served.requests).toBe(1);
  });

  it('a @Public() route never touches the JWKS, even when it is down', async () => {
    await boot({});
    served.mode = 'down';
    await request(url).get('/health').expect(200);
    expect(served.requests).toBe(0);
  });

  it('a new kid (key rotation) triggers one refetch, then verifies', async () => {
    await boot({ cooldownMs: 50 });
    await request(url)
      .get('/me')
      .set(bearer(await issuer.sign()))
      .expect(200);
    expect(served.requests).toBe(1);
    await sleep(60);
    await issuer.rotate();
    const rotated = await issuer.sign({ sub: 'after-rotation' });
    const res = await request(url).get('/me').set(bearer(rotated)).expect(200);
    expect(res.body.id).toBe('after-rotation');
    expect(served.requests).toBe(2);
    for (let i = 0; i < 3; i++) await request(url).get('/me').set(bearer(rotated)).expect(200);
    expect(served.requests).toBe(2);
  });

  it('a flood of random kids triggers at most one refetch per cooldown', async () => {
    await boot({ cooldownMs: 300 });
    await request(url)
      .get('/me')
      .set(bearer(await issuer.sign()))
      .expect(200);
    const flood = async () => {
      const tokens = await Promise.all(
        Array.from({ length: 40 }, () => issuer.sign({}, { kid: randomUUID() })),
      );
      const responses = await Promise.all(
        tokens.map((t) => request(url).get('/me').set(bearer(t))),
      );
      expect(responses.every((r) => r.status === 401 && r.body.code === 'unknown_key')).toBe(true);
    };
    await flood(); // within the cooldown of the first fetch: no refetch at all
    expect(served.requests).toBe(1);
    await sleep(320);
    await flood(); // cooldown over: one refetch for the whole flood
    expect(served.requests).toBe(2);
    await flood();
    expect(served.requests).toBe(2);
  });

  it('JWKS unreachable and the key not cached: 503 with Retry-After', async () => {
    await boot({ cooldownMs: 10_000 });
    served.mode = 'down';
    const res = await request(url)
      .get('/me')
      .set(bearer(await issuer.sign()))
      .expect(503);
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(res.body).toMatchObject({ statusCode: 503, code: 'jwks_unavailable' });
    expect(res.body.message).toMatch(/could not be fetched/);
    // Retries within the cooldown do not hammer the JWKS.
    await request(url)
      .get('/me')
      .set(bearer(await issuer.sign()))
      .expect(503);
    expect(served.requests).toBe(1);
  });

  it('a JWKS server that is not even listening also gives 503', async () => {
    await boot({});
    await served.close();
    await request(url)
      .get('/me')
      .set(bearer(await issuer.sign()))
      .expect(503);
  });

  it('a JWKS fetch that hangs times out into 503', async () => {
    await boot({ timeoutMs: 200 });
    served.mode = 'hang';
    const started = Date.now();
    await request(url)
      .get('/me')
      .set(bearer(await issuer.sign()))
      .expect(503);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('recovers once the JWKS is back and the cooldown has passed', async () => {
    await boot({ cooldownMs: 50 });
    served.mode = 'down';
    await request(url)
      .get('/me')
      .set(bearer(await issuer.sign()))
      .expect(503);
    served.mode = 'up';
    await sleep(60);
    await request(url)
      .get('/me')
      .set(bearer(await issuer.sign()))
      .expect(200);
  });

  it('with the key cached, an outage changes nothing, even past cacheMaxAge', async () => {
    await boot({ cacheMaxAgeMs: 50, cooldownMs: 0 });
    await request(url)
      .get('/me')
      .set(bearer(await issuer.sign()))
      .expect(200);
    served.mode = 'down';
    await sleep(60);
    for (let i = 0; i < 3; i++) {
      await request(url)
        .get('/me')
        .set(bearer(await issuer.sign()))
        .expect(200);
    }
    expect(served.requests).toBeGreaterThan(1); // it did try to refresh
  });

  it('an unknown kid during an outage is 503 (the key set may be stale), not 401', async () => {
    await boot({ cooldownMs: 0 });
    await request(url)
      .get('/me')
      .set(bearer(await issuer.sign()))
      .expect(200);
    served.mode = 'down';
    await issuer.rotate();
    await request(url)
      .get('/me')
      .set(bearer(await issuer.sign()))
      .expect(503);
  });
});
