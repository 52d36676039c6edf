import { createHash, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { Redis } from 'ioredis';

/**
 * Failed sign-ins, counted per account and per client address, with a back-off that grows
 * (frontend README, "Rate limiting"). Only failures count: a correct password is never
 * counted, so signing in many times in a row is never refused, and a user who mistyped twice
 * and then got it right never meets a wait. The counters live in the same shared store as
 * the request limiter (PostgreSQL's `rateLimit` table, or Redis with REDIS_URL), so they
 * hold across every app instance. Time is always passed in (`now`, ms), so tests control it.
 */

export interface BackoffPolicy {
  /** The failure that starts the back-off (the 3rd by default). */
  freeFailures: number;
  /** The first back-off, in seconds; it doubles with each further failure. */
  baseSeconds: number;
  /** The longest back-off, in seconds. */
  maxSeconds: number;
  /** A counter with no failure for this long starts again from zero. */
  forgetAfterSeconds: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
  freeFailures: 3,
  baseSeconds: 10,
  maxSeconds: 15 * 60,
  forgetAfterSeconds: 15 * 60,
};

/** Seconds of back-off after `failures` failures: 0, 0, 10, 20, 40 ... capped. */
export function backoffSeconds(failures: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  if (failures < policy.freeFailures) return 0;
  const doublings = Math.min(failures - policy.freeFailures, 30);
  return Math.min(policy.maxSeconds, policy.baseSeconds * 2 ** doublings);
}

/** One counter: how many failures, and when the last one was (ms). */
export interface FailureRecord {
  failures: number;
  lastFailureAt: number;
}

/** Where the counters live. Every method is one atomic step in the shared store. */
export interface FailureStore {
  /** Counts one failure at `now` (a counter idle for `forgetAfterMs` starts again). */
  record(key: string, now: number, forgetAfterMs: number): Promise<FailureRecord>;
  read(key: string): Promise<FailureRecord | null>;
  clear(key: string): Promise<void>;
}

/** Seconds left of the back-off a record imposes at `now` (0: none). */
export function secondsLeft(
  record: FailureRecord | null,
  now: number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): number {
  if (!record) return 0;
  if (now - record.lastFailureAt >= policy.forgetAfterSeconds * 1000) return 0;
  const until = record.lastFailureAt + backoffSeconds(record.failures, policy) * 1000;
  return until > now ? Math.ceil((until - now) / 1000) : 0;
}

/** The keys: the email hashed (no address book in the limiter's table), the address as is. */
export function accountKey(email: string): string {
  const normalised = email.trim().toLowerCase();
  return `failed-sign-in|account|${createHash('sha256').update(normalised).digest('hex')}`;
}
export function addressKey(address: string): string {
  return `failed-sign-in|address|${address}`;
}

export interface SignInGuard {
  /** Seconds to wait before this account or address may try again (0: go ahead). */
  waitFor(email: string, address: string | null): Promise<number>;
  /** A wrong password (or unknown email): both counters grow. */
  failed(email: string, address: string | null): Promise<void>;
  /** A correct password: the account's counter is cleared (the address's is not, see README). */
  succeeded(email: string): Promise<void>;
}

/**
 * @example
 * const guard = createSignInGuard(createPostgresFailureStore(pool));
 * const wait = await guard.waitFor(email, address);
 * if (wait > 0) throw tooManyAttempts(wait);
 */
export function createSignInGuard(
  store: FailureStore,
  options: { clock?: () => number; policy?: BackoffPolicy } = {},
): SignInGuard {
  const clock = options.clock ?? Date.now;
  const policy = options.policy ?? DEFAULT_BACKOFF;
  const keys = (email: string, address: string | null) =>
    address === null ? [accountKey(email)] : [accountKey(email), addressKey(address)];
  return {
    async waitFor(email, address) {
      const records = await Promise.all(keys(email, address).map((key) => store.read(key)));
      const now = clock();
      return Math.max(...records.map((record) => secondsLeft(record, now, policy)));
    },
    async failed(email, address) {
      const now = clock();
      const forgetAfterMs = policy.forgetAfterSeconds * 1000;
      await Promise.all(keys(email, address).map((key) => store.record(key, now, forgetAfterMs)));
    },
    async succeeded(email) {
      await store.clear(accountKey(email));
    },
  };
}

const TABLE = '"rateLimit"';
/** One upsert: +1, or 1 again when the last failure is older than the forget time. */
const RECORD_SQL = `
INSERT INTO ${TABLE} ("id", "key", "count", "lastRequest")
VALUES ($4, $1, 1, $2)
ON CONFLICT ("key") DO UPDATE SET
  "count" = CASE WHEN ${TABLE}."lastRequest" <= $2 - $3 THEN 1 ELSE ${TABLE}."count" + 1 END,
  "lastRequest" = GREATEST(${TABLE}."lastRequest", $2)
RETURNING "count", "lastRequest"`;

/** The counters as rows of Better Auth's `rateLimit` table (count, lastRequest = last failure). */
export function createPostgresFailureStore(pool: Pool): FailureStore {
  const toRecord = (row: { count: number; lastRequest: string }): FailureRecord => ({
    failures: Number(row.count),
    lastFailureAt: Number(row.lastRequest),
  });
  return {
    async record(key, now, forgetAfterMs) {
      const { rows } = await pool.query(RECORD_SQL, [key, now, forgetAfterMs, randomUUID()]);
      return toRecord(rows[0]);
    },
    async read(key) {
      const { rows } = await pool.query(
        `SELECT "count", "lastRequest" FROM ${TABLE} WHERE "key" = $1`,
        [key],
      );
      return rows[0] ? toRecord(rows[0]) : null;
    },
    async clear(key) {
      await pool.query(`DELETE FROM ${TABLE} WHERE "key" = $1`, [key]);
    },
  };
}

/**
 * The counters in Redis: the count and the last failure's time, written in one MULTI (both
 * expire with the forget time, so nothing stays behind).
 */
export function createRedisFailureStore(
  redis: Redis,
  keyPrefix = 'authbridge:rate-limit:',
): FailureStore {
  const countKey = (key: string) => `${keyPrefix}${key}`;
  const atKey = (key: string) => `${keyPrefix}${key}:at`;
  return {
    async record(key, now, forgetAfterMs) {
      const results = await redis
        .multi()
        .incr(countKey(key))
        .pexpire(countKey(key), forgetAfterMs)
        .set(atKey(key), String(now), 'PX', forgetAfterMs)
        .exec();
      const failures = Number(results?.[0]?.[1] ?? 1);
      return { failures, lastFailureAt: now };
    },
    async read(key) {
      const [count, at] = await redis.mget(countKey(key), atKey(key));
      if (count === null || at === null) return null;
      return { failures: Number(count), lastFailureAt: Number(at) };
    },
    async clear(key) {
      await redis.del(countKey(key), atKey(key));
    },
  };
}
