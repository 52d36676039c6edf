/**
 * One atomic "record an attempt and say whether it is allowed" step. The same store
 * serves Better Auth's HTTP limiter (`rateLimit.customStorage`) and the server-action
 * limiter (`lib/auth/attempt-limit.ts`), so both paths count into the same buckets.
 * Structurally Better Auth's `BetterAuthRateLimitStorage`.
 *
 * Ours, not Better Auth's type, so it can grow: counting FAILED sign-ins per account and
 * per address with a growing back-off needs, next to `consume`, a read that does not
 * count (is this account locked, for how long?) and a reset (after a success). Both
 * stores have them at hand: PostgreSQL a SELECT and a DELETE on the same row, Redis the
 * `get` and `delete` of @better-auth/redis-storage.
 */
export interface RateLimitStore {
  consume(key: string, rule: RateLimitRule): Promise<RateLimitDecision>;
}

export interface RateLimitRule {
  /** Window length in seconds. */
  window: number;
  /** Attempts allowed per window. */
  max: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** Seconds until the window frees up; null when allowed. */
  retryAfter: number | null;
}
