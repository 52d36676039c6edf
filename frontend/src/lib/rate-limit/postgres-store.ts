import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { RateLimitDecision, RateLimitRule, RateLimitStore } from './types';

/** Better Auth's own table (created by its migrations when `rateLimit.storage` is 'database'). */
const TABLE = '"rateLimit"';

/**
 * Fixed-window counter in Better Auth's `rateLimit` table, one row per key. The whole
 * check-and-increment is ONE upsert, so concurrent requests on any number of app
 * instances cannot all pass a stale read. `lastRequest` holds the window's start.
 *
 * Hand-written, and why Better Auth's own `rateLimit.storage: 'database'` does not do
 * (read in better-auth 1.7.25, dist/api/rate-limiter/index.mjs,
 * `createDatabaseStorageWrapper`):
 * - Its step IS atomic across instances: the increment is one conditional UPDATE
 *   (`... WHERE key = $k AND "lastRequest" > <window start> AND count < max RETURNING`)
 *   that PostgreSQL re-checks on the newest row version after waiting for the row lock,
 *   and two first hits on a key are settled by its unique index (the loser re-reads and
 *   tries again). Two instances cannot let more than `max` through.
 * - But no one outside the HTTP handler can reach it: the storage is built inside the
 *   handler's limiter (`getRateLimitStorage`, not exported; the package's `exports` map
 *   has no path to that file; `auth.$context` does not hold it), and the server actions
 *   call `auth.api.*`, which skips that limiter. Counting them in the same buckets would
 *   take a copy of its logic over `$context.adapter`: hand-written all the same, in two
 *   to four round trips per attempt where this is one statement.
 * - (Its window also restarts with every allowed attempt; this one runs from the first.)
 * So this store is `rateLimit.customStorage`, and the server actions count through it too.
 */
const CONSUME_SQL = `
INSERT INTO ${TABLE} ("id", "key", "count", "lastRequest")
VALUES ($1, $2, 1, $3)
ON CONFLICT ("key") DO UPDATE SET
  "count" = CASE WHEN ${TABLE}."lastRequest" <= $3 - $4 THEN 1 ELSE ${TABLE}."count" + 1 END,
  "lastRequest" = CASE WHEN ${TABLE}."lastRequest" <= $3 - $4 THEN $3 ELSE ${TABLE}."lastRequest" END
RETURNING "count", "lastRequest"`;

/** Roughly one consume in this many also deletes rows whose window ended long ago. */
const PRUNE_EVERY = 100;
const PRUNE_AFTER_MS = 60 * 60 * 1000;

/**
 * `clock` (ms, default `Date.now`) is when each attempt happens; the window is the clock's,
 * so tests move it instead of waiting for it to pass.
 *
 * @example
 * const store = createPostgresRateLimitStore(getPool(env.databaseUrl));
 * await store.consume('203.0.113.9|/sign-in/email', { window: 10, max: 3 });
 */
export function createPostgresRateLimitStore(
  pool: Pool,
  options: { clock?: () => number } = {},
): RateLimitStore {
  const clock = options.clock ?? Date.now;
  return {
    async consume(key: string, rule: RateLimitRule): Promise<RateLimitDecision> {
      const now = clock();
      const windowMs = rule.window * 1000;
      const { rows } = await pool.query<{ count: number; lastRequest: string }>(CONSUME_SQL, [
        randomUUID(),
        key,
        now,
        windowMs,
      ]);
      if (Math.random() < 1 / PRUNE_EVERY) {
        pool
          .query(`DELETE FROM ${TABLE} WHERE "lastRequest" < $1`, [now - PRUNE_AFTER_MS])
          .catch((error: Error) => console.error(`[rate-limit] prune failed: ${error.message}`));
      }
      const { count, lastRequest } = rows[0]!;
      if (Number(count) <= rule.max) return { allowed: true, retryAfter: null };
      // Clamped: a concurrent caller's clock may be a few ms ahead of ours.
      const left = Math.ceil((Number(lastRequest) + windowMs - now) / 1000);
      const retryAfter = Math.min(rule.window, Math.max(1, left));
      return { allowed: false, retryAfter };
    },
  };
}
