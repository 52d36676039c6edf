import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import type { FailureRecord, FailureStore } from './failures';

/** Better Auth's own table, the one the request limiter counts in (postgres-store.ts). */
const TABLE = '"rateLimit"';

/**
 * One upsert: +1, or 1 again when the last failure is older than the forget time, so
 * concurrent failures on any number of instances are all counted. `lastRequest` holds the
 * last failure; the request limiter's prune (rows quiet for an hour) is the forget time.
 */
const RECORD_SQL = `
INSERT INTO ${TABLE} ("id", "key", "count", "lastRequest")
VALUES ($4, $1, 1, $2)
ON CONFLICT ("key") DO UPDATE SET
  "count" = CASE WHEN ${TABLE}."lastRequest" <= $2 - $3 THEN 1 ELSE ${TABLE}."count" + 1 END,
  "lastRequest" = GREATEST(${TABLE}."lastRequest", $2)
RETURNING "count", "lastRequest"`;

function toRecord(row: { count: number | string; lastRequest: number | string }): FailureRecord {
  return { failures: Number(row.count), lastFailureAt: Number(row.lastRequest) };
}

/**
 * The failed sign-in counters as rows of Better Auth's `rateLimit` table (the default).
 *
 * @example
 * const store = createPostgresFailureStore(getPool(env.databaseUrl));
 */
export function createPostgresFailureStore(pool: Pool): FailureStore {
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
 * The counters in Redis (with REDIS_URL): the count and the last failure's time, written in
 * one MULTI; both expire with the forget time, so Redis forgets them by itself.
 *
 * @example
 * const store = createRedisFailureStore(new Redis(process.env.REDIS_URL!));
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
      const [error, count] = results?.[0] ?? [new Error('MULTI was discarded'), null];
      if (error) throw error;
      return { failures: Number(count), lastFailureAt: now };
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
