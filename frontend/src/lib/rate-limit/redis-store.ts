import { redisStorage } from '@better-auth/redis-storage';
import type { Redis } from 'ioredis';
import type { RateLimitDecision, RateLimitRule, RateLimitStore } from './types';

/**
 * The fixed-window counter in Redis, counted by Better Auth's own Redis storage
 * (@better-auth/redis-storage): its `increment(key, ttlSeconds)` is one Lua script
 * (INCR, and EXPIRE on the first hit of a window), so it is atomic across every app
 * instance sharing the Redis. No hand-written script of ours any more.
 *
 * Why it is not simply Better Auth's `secondaryStorage` with `rateLimit.storage:
 * 'secondary-storage'`: a `secondaryStorage` also takes over where Better Auth keeps
 * sessions (out of PostgreSQL into Redis: `session.storeSessionInDatabase` is false by
 * default), and that limiter is private to the HTTP handler, so the server actions could
 * not count through it. So the storage's `increment` backs our `RateLimitStore`, which
 * both paths use. What is ours: the count turned into a decision, and the window's time
 * left (PTTL) for "try again in N s" (Better Auth's own limiter there answers the whole
 * window). (The failed sign-in counters, `failure-stores.ts`, write the count and the
 * last failure's time together in one MULTI on the same connection.)
 *
 * @example
 * const store = createRedisRateLimitStore(new Redis(process.env.REDIS_URL!));
 * await store.consume('203.0.113.9|/sign-in/email', { window: 10, max: 3 });
 */
export function createRedisRateLimitStore(
  redis: Redis,
  keyPrefix = 'authbridge:rate-limit:',
): RateLimitStore {
  const storage = redisStorage({ client: redis, keyPrefix });
  return {
    async consume(key: string, rule: RateLimitRule): Promise<RateLimitDecision> {
      const count = await storage.increment(key, rule.window);
      if (count <= rule.max) return { allowed: true, retryAfter: null };
      // A read after the count, not part of it: it only says how long to wait.
      const left = await redis.pttl(keyPrefix + key);
      // -2: the window ended in between; -1 (no expiry) cannot come from `increment`.
      const retryAfter = left === -2 ? 1 : left < 0 ? rule.window : Math.ceil(left / 1000);
      return { allowed: false, retryAfter: Math.min(rule.window, Math.max(1, retryAfter)) };
    },
  };
}
