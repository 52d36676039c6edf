/**
 * One atomic "record an attempt and say whether it is allowed" step. The same store
 * serves Better Auth's HTTP limiter (`rateLimit.customStorage`) and the server-action
 * limiter (`lib/auth/attempt-limit.ts`), so both paths count into the same buckets.
 * Structurally Better Auth's `BetterAuthRateLimitStorage`.
 *
 * The failed sign-in counters need more (a read that does not count, a reset after a
 * success, a forget time rather than a window): they have their own interface,
 * `FailureStore` in `failures.ts`, over the same table or Redis.
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
