import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { createPostgresRateLimitStore } from '../src/lib/rate-limit/postgres-store';
import { createRedisRateLimitStore } from '../src/lib/rate-limit/redis-store';
import type { RateLimitStore } from '../src/lib/rate-limit/types';
import {
  createPostgresFailureStore,
  createRedisFailureStore,
} from '../src/lib/rate-limit/failure-stores';
import { accountKey, addressKey, type FailureStore } from '../src/lib/rate-limit/failures';
import { alertText, postAuth, submitForm, uniqueEmail, uniqueIp } from './support/http';
import { expectNoSecretsLogged } from './support/logs';
import { runMigrate, startWeb, type Running } from './support/processes';

// The limit must hold across instances of the app: each storage is tested with several
// concurrent callers, and two real app instances are shown to share one bucket. The
// instances trust one proxy hop, played by the tests (X-Forwarded-For per client).
const databaseUrl = () => process.env.DATABASE_URL!;
const redisUrl = process.env.REDIS_URL?.trim() || undefined;
const REDIS_SKIP =
  'SKIPPED: REDIS_URL is not set; run with REDIS_URL=redis://127.0.0.1:6379 to prove it';

let pool: Pool;

beforeAll(async () => {
  const migrated = await runMigrate(databaseUrl());
  expect({ code: migrated.code, output: migrated.output }).toMatchObject({ code: 0 });
  pool = new Pool({ connectionString: databaseUrl() });
}, 60_000);

afterAll(async () => {
  await pool?.end();
});

async function hammer(store: RateLimitStore, key: string, attempts: number) {
  const rule = { window: 10, max: 3 };
  return Promise.all(Array.from({ length: attempts }, () => store.consume(key, rule)));
}

describe('rate-limit stores', () => {
  it('PostgreSQL: 20 concurrent attempts, exactly 3 allowed', async () => {
    const store = createPostgresRateLimitStore(pool);
    const results = await hammer(store, `${uniqueIp()}|/sign-in/email`, 20);
    expect(results.filter((r) => r.allowed)).toHaveLength(3);
    for (const denied of results.filter((r) => !r.allowed)) {
      expect(denied.retryAfter).toBeGreaterThanOrEqual(1);
      expect(denied.retryAfter).toBeLessThanOrEqual(10);
    }
  });

  it('PostgreSQL: a new window starts once the old one has passed (on the store clock, no waiting)', async () => {
    let now = Date.now();
    const store = createPostgresRateLimitStore(pool, { clock: () => now });
    const key = `${uniqueIp()}|/sign-in/email`;
    const rule = { window: 10, max: 1 };
    expect(await store.consume(key, rule)).toEqual({ allowed: true, retryAfter: null });
    expect(await store.consume(key, rule)).toEqual({ allowed: false, retryAfter: 10 });
    now += 9_999; // the window runs from its first attempt, not from the last refusal
    expect(await store.consume(key, rule)).toEqual({ allowed: false, retryAfter: 1 });
    now += 1;
    expect(await store.consume(key, rule)).toEqual({ allowed: true, retryAfter: null });
    expect(await store.consume(key, rule)).toEqual({ allowed: false, retryAfter: 10 });
  });

  (redisUrl ? it : it.skip)(
    redisUrl ? 'Redis: 20 concurrent attempts, exactly 3 allowed' : `Redis store: ${REDIS_SKIP}`,
    async () => {
      const redis = new Redis(redisUrl!);
      try {
        const prefix = `authbridge-test:${Date.now()}:`;
        const store = createRedisRateLimitStore(redis, prefix);
        const key = `${uniqueIp()}|/sign-in/email`;
        const results = await hammer(store, key, 20);
        expect(results.filter((r) => r.allowed)).toHaveLength(3);
        for (const denied of results.filter((r) => !r.allowed)) {
          expect(denied.retryAfter).toBeGreaterThanOrEqual(1);
          expect(denied.retryAfter).toBeLessThanOrEqual(10);
        }
        // One counter under the prefix, ending with its window (never left without expiry).
        expect(await redis.get(prefix + key)).toBe('20');
        const ttl = await redis.pttl(prefix + key);
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(10_000);
      } finally {
        redis.disconnect();
      }
    },
  );
});

/** 20 failures at once on one key: every one counted, none lost (the count is atomic). */
async function expectAtomicFailures(store: FailureStore, forgetsByClock = true) {
  const key = accountKey(uniqueEmail('atomic'), 'test key');
  const now = Date.now();
  const records = await Promise.all(
    Array.from({ length: 20 }, () => store.record(key, now, 60_000)),
  );
  expect(records.map((r) => r.failures).sort((x, y) => x - y)).toEqual(
    Array.from({ length: 20 }, (_, i) => i + 1),
  );
  expect(await store.read(key)).toEqual({ failures: 20, lastFailureAt: now });
  if (forgetsByClock) {
    // A failure after a quiet forget time starts again from one (time passed in, no waiting).
    expect((await store.record(key, now + 60_000, 60_000)).failures).toBe(1);
  }
  await store.clear(key);
  expect(await store.read(key)).toBeNull();
}

describe('failed sign-in counters', () => {
  it('PostgreSQL: concurrent failures all counted; forgotten after the quiet time; cleared', async () => {
    await expectAtomicFailures(createPostgresFailureStore(pool));
  });

  (redisUrl ? it : it.skip)(
    redisUrl ? 'Redis: the same, forgotten by expiry' : `Redis failure counters: ${REDIS_SKIP}`,
    async () => {
      const redis = new Redis(redisUrl!);
      try {
        const prefix = `authbridge-test:${Date.now()}:`;
        const key = accountKey(uniqueEmail('ttl'), 'test key');
        await createRedisFailureStore(redis, prefix).record(key, Date.now(), 60_000);
        // Redis forgets by expiry: both keys end with the forget time, renewed by each failure.
        for (const k of [prefix + key, `${prefix}${key}:at`]) {
          const ttl = await redis.pttl(k);
          expect(ttl).toBeGreaterThan(0);
          expect(ttl).toBeLessThanOrEqual(60_000);
        }
        await expectAtomicFailures(createRedisFailureStore(redis, prefix), false);
      } finally {
        redis.disconnect();
      }
    },
  );
});

/**
 * Two failures on A, one on B (the 3rd: a back-off starts), then a wrong guess on B: refused
 * only if the instances share the failure counters. The right password still gets in on A.
 */
async function expectSharedLimit(a: Running, b: Running): Promise<string> {
  const ip = uniqueIp();
  const user = { email: uniqueEmail('shared'), password: 'correct horse' };
  const up = await postAuth(a.url, '/sign-up/email', { ...user, name: 'S' }, { ip: uniqueIp() });
  expect(up.status).toBe(200);
  const wrong = { email: user.email, password: 'wrong password' };
  expect((await postAuth(a.url, '/sign-in/email', wrong, { ip })).status).toBe(401);
  expect((await postAuth(a.url, '/sign-in/email', wrong, { ip })).status).toBe(401);
  expect((await postAuth(b.url, '/sign-in/email', wrong, { ip })).status).toBe(401);
  const refused = await postAuth(b.url, '/sign-in/email', wrong, { ip });
  expect([refused.status, refused.body.code]).toEqual([429, 'TOO_MANY_FAILED_SIGN_INS']);
  // ...and the server-action path of either instance too.
  const post = await submitForm(a.url, '/sign-in', wrong, { ip });
  expect(alertText(post.html)).toMatch(
    /^Too many attempts, try again in (\d+ s|\d+ min( \d+ s)?)\.$/,
  );
  expect((await postAuth(a.url, '/sign-in/email', user, { ip })).status).toBe(200);
  return ip;
}

// Trust one proxy (the tests); a 15-min first back-off, so no answer depends on speed.
const SHARED = { trustProxyHops: 1, signInBackoffSeconds: 900 };

describe('two app instances', () => {
  it('share the limit through the database (the default storage)', async () => {
    const [a, b] = await Promise.all([
      startWeb({ databaseUrl: databaseUrl(), ...SHARED, env: { REDIS_URL: '' } }),
      startWeb({ databaseUrl: databaseUrl(), ...SHARED, env: { REDIS_URL: '' } }),
    ]);
    try {
      await expectSharedLimit(a, b);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  (redisUrl ? it : it.skip)(
    redisUrl
      ? 'share the limit through Redis when REDIS_URL is set'
      : `share the limit through Redis: ${REDIS_SKIP}`,
    async () => {
      const [a, b] = await Promise.all([
        startWeb({ databaseUrl: databaseUrl(), redisUrl, ...SHARED }),
        startWeb({ databaseUrl: databaseUrl(), redisUrl, ...SHARED }),
      ]);
      try {
        const ip = await expectSharedLimit(a, b);
        // The counting happened in Redis, not in the database table.
        const rows = await pool.query('SELECT 1 FROM "rateLimit" WHERE key = ANY($1)', [
          [`${ip}|/sign-in/email`, addressKey(ip)],
        ]);
        expect(rows.rowCount).toBe(0);
      } finally {
        await Promise.all([a.stop(), b.stop()]);
      }
    },
  );
});

describe('logs', () => {
  it('no password, session cookie, token or secret of these tests is in the app output', () => {
    expectNoSecretsLogged();
  });
});
