import { decodeJwt } from 'jose';
import { CookieJar, fetchToken, postAuth, uniqueEmail, uniqueIp } from './support/http';
import { runMigrate, startApi, startWeb, type Running } from './support/processes';

// Sign-out that reaches the API, on the real stack: the built web app (Better Auth, its
// revocation plugin) and two built API instances on one PostgreSQL. A token taken before
// sign-out is refused by both; other sessions and users are not; "sign out everywhere"
// refuses every session. Through PostgreSQL LISTEN/NOTIFY, and through Redis when REDIS_URL
// is set. Latencies are logged, never asserted (a loaded machine is not a bug).
const databaseUrl = () => process.env.DATABASE_URL!;
const redisUrl = process.env.REDIS_URL?.trim() || undefined;
const REDIS_SKIP =
  'SKIPPED: REDIS_URL is not set; run with REDIS_URL=redis://127.0.0.1:6379 to prove revocation through Redis';

beforeAll(async () => {
  const migrated = await runMigrate(databaseUrl());
  expect({ code: migrated.code, output: migrated.output }).toMatchObject({ code: 0 });
}, 120_000);

/** A signed-in client: its cookie jar, its forwarded address, and a token of its session. */
async function signIn(web: Running, email: string, signUp: boolean) {
  const jar = new CookieJar();
  const ip = uniqueIp();
  const path = signUp ? '/sign-up/email' : '/sign-in/email';
  const body = { email, password: 'a long enough password', ...(signUp ? { name: 'Ada' } : {}) };
  const answer = await postAuth(web.url, path, body, { ip, jar });
  expect(answer.status).toBe(200);
  const response = await fetchToken(web.url, { ip, jar });
  expect(response.status).toBe(200);
  const { token } = (await response.json()) as { token: string };
  return { jar, ip, token };
}

async function me(api: Running, token: string) {
  const response = await fetch(`${api.url}/api/me`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const body = (await response.json().catch(() => ({}))) as { code?: string };
  return { status: response.status, code: body.code };
}

/** Polls until the API refuses the token as revoked; returns the time it took (logged only). */
async function refusedWithin(api: Running, token: string, backstopMs = 30_000) {
  const started = performance.now();
  for (;;) {
    const answer = await me(api, token);
    if (answer.status === 401 && answer.code === 'session_revoked') {
      return performance.now() - started;
    }
    if (performance.now() - started > backstopMs) {
      throw new Error(`still ${JSON.stringify(answer)} after the ${backstopMs} ms backstop`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each([
  ['PostgreSQL LISTEN/NOTIFY', undefined],
  ['Redis pub/sub', redisUrl],
])('revocation through %s', (channel, redis) => {
  const skip = channel.startsWith('Redis') && !redis;
  if (skip) console.warn(REDIS_SKIP);
  const maybe = skip ? it.skip : it;
  let web: Running;
  let apis: Running[] = [];

  beforeAll(async () => {
    if (skip) return;
    web = await startWeb({ databaseUrl: databaseUrl(), trustProxyHops: 1, redisUrl: redis });
    const env = { REDIS_URL: redis };
    apis = await Promise.all([
      startApi({ databaseUrl: databaseUrl(), webUrl: web.url, env }),
      startApi({ databaseUrl: databaseUrl(), webUrl: web.url, env }),
    ]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([web?.stop(), ...apis.map((api) => api.stop())]);
  });

  maybe('health shows the channel of each API instance', async () => {
    for (const api of apis) {
      const health = (await (await fetch(`${api.url}/api/health`)).json()) as {
        revocation?: { source: string; channel: string };
      };
      expect(health.revocation).toMatchObject({
        source: redis ? 'redis' : 'postgres',
        channel: 'up',
      });
    }
  });

  maybe('sign-out: the same token is refused by both instances, others pass', async () => {
    const email = uniqueEmail('revoke');
    const laptop = await signIn(web, email, true);
    const phone = await signIn(web, email, false);
    const someoneElse = await signIn(web, uniqueEmail('other'), true);
    expect(decodeJwt(laptop.token).sid).toEqual(expect.any(String));
    expect(decodeJwt(laptop.token).sid).not.toBe(decodeJwt(phone.token).sid);
    for (const api of apis) {
      for (const { token } of [laptop, phone, someoneElse]) {
        expect(await me(api, token)).toMatchObject({ status: 200 });
      }
    }

    const signOut = await postAuth(web.url, '/sign-out', {}, laptop);
    expect(signOut.status).toBe(200);
    const latencies = await Promise.all(apis.map((api) => refusedWithin(api, laptop.token)));
    console.log(
      `[revocation] ${channel}: sign-out -> 401 session_revoked in ${latencies.map((ms) => `${ms.toFixed(0)} ms`).join(' and ')} (two API instances)`,
    );
    for (const api of apis) {
      expect(await me(api, phone.token)).toMatchObject({ status: 200 });
      expect(await me(api, someoneElse.token)).toMatchObject({ status: 200 });
    }
  });

  maybe('"sign out everywhere" (revoke-sessions) refuses every session of the user', async () => {
    const email = uniqueEmail('everywhere');
    const laptop = await signIn(web, email, true);
    const phone = await signIn(web, email, false);
    const someoneElse = await signIn(web, uniqueEmail('other'), true);
    const revoked = await postAuth(web.url, '/revoke-sessions', {}, phone);
    expect(revoked.status).toBe(200);
    for (const api of apis) {
      await refusedWithin(api, laptop.token);
      await refusedWithin(api, phone.token);
      expect(await me(api, someoneElse.token)).toMatchObject({ status: 200 });
    }
  });
});
