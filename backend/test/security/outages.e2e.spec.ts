import { randomUUID } from 'node:crypto';
import { TestIssuer } from '@authbridge/nest-auth/testing';
import { ISSUER, startTestApi, type TestApi, type TestApiOptions } from '../support/api';
import { itWritesNoSecretToTheLogs } from '../support/attack';
import { startOwnPostgres, type OwnPostgres } from '../support/embedded-postgres';
import { HttpClient, type RawResponse } from '../support/http-client';
import { controllableJwks, type JwksMode } from '../support/jwks-server';
import { ALL_LOG_LEVELS, captureLogsForHygiene } from '../support/log-hygiene';

// What the API does when what it depends on fails: the JWKS (down, hanging, answering
// garbage) and PostgreSQL (stopped, then started again). Public routes keep answering,
// protected ones answer 503 with Retry-After, nothing hangs, and it recovers with no restart.
//
// Time is controlled, not waited for: only `Date` is faked (real timers keep HTTP and the
// database working), so a cooldown of 30 s passes in one `jest.setSystemTime` call. The one
// real wait is nest-auth's fetch timeout for a hanging JWKS, set to 2 s; the tests assert
// that such a request ends with a 503, never how long it took. The same timeout bounds the
// fetch that recovers, so it is long enough for a loaded machine to answer a local JWKS.

const ALL_BUT_DATE = [
  'hrtime',
  'nextTick',
  'performance',
  'queueMicrotask',
  'requestAnimationFrame',
  'cancelAnimationFrame',
  'requestIdleCallback',
  'cancelIdleCallback',
  'setImmediate',
  'clearImmediate',
  'setInterval',
  'clearInterval',
  'setTimeout',
  'clearTimeout',
] as const;

const advanceClock = (ms: number) => jest.setSystemTime(Date.now() + ms);

function expectJwksUnavailable(res: RawResponse): number {
  const context = `${res.status} ${res.text.slice(0, 200)}`;
  expect({ status: res.status, context }).toEqual({ status: 503, context });
  expect(res.body).toMatchObject({ statusCode: 503, code: 'jwks_unavailable' });
  const retryAfter = Number(res.headers['retry-after']);
  expect(Number.isInteger(retryAfter) && retryAfter > 0).toBe(true);
  return retryAfter;
}

describe('outages (e2e, over HTTP)', () => {
  const hygiene = captureLogsForHygiene();
  beforeAll(() => {
    jest.useFakeTimers({ doNotFake: [...ALL_BUT_DATE], now: Date.now() });
  });
  afterAll(() => {
    jest.useRealTimers();
  });

  /** An API whose JWKS is under the test's control, starting in `mode`. */
  function apiWithJwks(mode: JwksMode, options: TestApiOptions = {}) {
    const ctx = {} as {
      api: TestApi;
      jwks: Awaited<ReturnType<typeof controllableJwks>>;
      client: HttpClient;
      issuer: TestIssuer;
      me(token: string): Promise<RawResponse>;
    };
    beforeAll(async () => {
      ctx.issuer = await TestIssuer.create({ issuer: ISSUER, audience: ISSUER });
      ctx.jwks = await controllableJwks(ctx.issuer, mode);
      ctx.api = await startTestApi(
        { AUTH_JWKS_URL: ctx.jwks.url },
        { issuer: ctx.issuer, logger: ALL_LOG_LEVELS, ...options },
      );
      await hygiene.issuerKeys(ctx.issuer);
      hygiene.secret(ctx.api.config.databaseUrl);
      ctx.client = new HttpClient(ctx.api.baseUrl, (v) => hygiene.secret(v));
      ctx.me = (token) => ctx.client.get('/api/me', { Authorization: `Bearer ${token}` });
    });
    afterAll(async () => {
      ctx.client?.close();
      await ctx.api?.close();
      await ctx.jwks?.close();
    });
    return ctx;
  }

  describe('JWKS down when the API starts', () => {
    const ctx = apiWithJwks('down');

    it('public routes answer 200: health, the OpenAPI document', async () => {
      expect((await ctx.client.get('/api/health')).status).toBe(200);
      expect((await ctx.client.get('/api/docs/openapi.json')).status).toBe(200);
      expect(ctx.jwks.requests).toBe(0);
    });

    it('protected routes answer 503 with Retry-After, and the JWKS is asked once per cooldown', async () => {
      const token = await ctx.issuer.sign();
      expectJwksUnavailable(await ctx.me(token));
      for (let i = 0; i < 10; i++) {
        expectJwksUnavailable(await ctx.me(token));
        const tasks = await ctx.client.get(`/api/users/${randomUUID()}/tasks`, {
          Authorization: `Bearer ${token}`,
        });
        expectJwksUnavailable(tasks);
      }
      expect(ctx.jwks.requests).toBe(1);
    });

    it('recovers without a restart once the JWKS is back and Retry-After has passed', async () => {
      const token = await ctx.issuer.sign();
      const retryAfter = expectJwksUnavailable(await ctx.me(token));
      ctx.jwks.mode = 'up';
      advanceClock(retryAfter * 1000);
      const res = await ctx.me(token);
      expect(res.status).toBe(200);
      expect((res.body as { id: string }).id).toBe(JSON.parse(atob(token.split('.')[1])).sub);
    });
  });

  describe('JWKS that never answers (nest-auth jwks.timeoutMs bounds the wait)', () => {
    const ctx = apiWithJwks('hang', { jwks: { timeoutMs: 2_000 } });

    it('concurrent protected requests all end, with 503, on a single fetch', async () => {
      const token = await ctx.issuer.sign();
      const answers = await Promise.all(Array.from({ length: 8 }, () => ctx.me(token)));
      for (const res of answers) expectJwksUnavailable(res);
      expect(ctx.jwks.requests).toBe(1);
      expect((await ctx.client.get('/api/health')).status).toBe(200);
    });

    it('recovers once the JWKS answers again', async () => {
      ctx.jwks.mode = 'up';
      advanceClock(60_000);
      expect((await ctx.me(await ctx.issuer.sign())).status).toBe(200);
    });
  });

  describe('JWKS that answers garbage', () => {
    const ctx = apiWithJwks('html');

    it.each<JwksMode>(['html', 'not-a-jwks', 'reset', 'down'])(
      'a JWKS answering %s: 503, not 401 (the token is not at fault) and not 500',
      async (mode) => {
        ctx.jwks.mode = mode;
        advanceClock(60_000);
        const before = ctx.jwks.requests;
        expectJwksUnavailable(await ctx.me(await ctx.issuer.sign()));
        expect(ctx.jwks.requests).toBe(before + 1);
      },
    );

    it('recovers once the JWKS serves keys again', async () => {
      ctx.jwks.mode = 'up';
      advanceClock(60_000);
      expect((await ctx.me(await ctx.issuer.sign())).status).toBe(200);
    });
  });

  describe('JWKS down after the keys were fetched', () => {
    const ctx = apiWithJwks('up');

    it('tokens signed with a known key keep working past the cache age', async () => {
      expect((await ctx.me(await ctx.issuer.sign())).status).toBe(200);
      ctx.jwks.mode = 'down';
      advanceClock(11 * 60_000); // past nest-auth's default 10-minute cache age
      expect((await ctx.me(await ctx.issuer.sign())).status).toBe(200);
    });

    it('a token signed with a new key (rotation during the outage) is 503, then 200 after it', async () => {
      await ctx.issuer.rotate();
      const rotated = await ctx.issuer.sign();
      const retryAfter = expectJwksUnavailable(await ctx.me(rotated));
      ctx.jwks.mode = 'up';
      advanceClock(retryAfter * 1000);
      expect((await ctx.me(rotated)).status).toBe(200);
    });
  });

  describe('PostgreSQL stopped, then started again', () => {
    let postgres: OwnPostgres;
    let api: TestApi;
    let client: HttpClient;
    let user: string;
    let auth: Record<string, string>;
    let kept: string[];

    beforeAll(async () => {
      postgres = await startOwnPostgres();
      api = await startTestApi({ DATABASE_URL: postgres.url }, { logger: ALL_LOG_LEVELS });
      await hygiene.issuerKeys(api.issuer);
      hygiene.secret(postgres.url);
      client = new HttpClient(api.baseUrl, (v) => hygiene.secret(v));
      user = randomUUID();
      auth = { Authorization: `Bearer ${await api.tokenFor(user)}` };
      kept = [];
      for (const title of ['one', 'two']) {
        const res = await client.request({
          method: 'POST',
          path: `/api/users/${user}/tasks`,
          headers: auth,
          body: { title },
        });
        kept.push((res.body as { id: string }).id);
      }
    });
    afterAll(async () => {
      client?.close();
      await api?.close();
      await postgres?.stop();
    });

    it('while it is down: health 503, every data route 503, /api/me 200; every request ends', async () => {
      await postgres.pause();
      const tasks = `/api/users/${user}/tasks`;
      const attempts: Array<[string, Promise<RawResponse>]> = [
        ['health', client.get('/api/health')],
        ['list', client.get(tasks, auth)],
        [
          'create',
          client.request({ method: 'POST', path: tasks, headers: auth, body: { title: 'lost?' } }),
        ],
        ['read', client.get(`${tasks}/${kept[0]}`, auth)],
        [
          'update',
          client.request({
            method: 'PATCH',
            path: `${tasks}/${kept[0]}`,
            headers: auth,
            body: { completed: true },
          }),
        ],
        [
          'delete',
          client.request({ method: 'DELETE', path: `${tasks}/${kept[1]}`, headers: auth }),
        ],
      ];
      const answers = await Promise.all(
        attempts.map(async ([name, res]) => `${name} ${(await res).status}`),
      );
      expect(answers).toEqual(attempts.map(([name]) => `${name} 503`));
      expect((await client.get('/api/health')).body).toMatchObject({
        status: 'error',
        database: 'down',
      });
      expect((await client.get('/api/me', auth)).status).toBe(200);
    });

    it('after it is started again: 200 at once, no restart, and nothing written during the outage', async () => {
      await postgres.resume();
      expect((await client.get('/api/health')).status).toBe(200);
      const list = await client.get(`/api/users/${user}/tasks`, auth);
      expect(list.status).toBe(200);
      const items = (list.body as { items: Array<{ id: string; completed: boolean }> }).items;
      expect(items.map((t) => t.id).sort()).toEqual([...kept].sort());
      expect(items.every((t) => !t.completed)).toBe(true);
      const created = await client.request({
        method: 'POST',
        path: `/api/users/${user}/tasks`,
        headers: auth,
        body: { title: 'after' },
      });
      expect(created.status).toBe(201);
    });
  });

  itWritesNoSecretToTheLogs({ hygiene });
});
