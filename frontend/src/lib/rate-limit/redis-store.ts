import type { Redis } from 'ioredis';
import type { RateLimitDecision, RateLimitRule, RateLimitStore } from './types';

/**
 * Fixed-window counter in Redis: INCR, start the window's expiry on the first hit, and
 * return the count with the milliseconds left. One script, so it is atomic across every
 * app instance sharing the Redis.
 */
const CONSUME_LUA = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return { count, ttl }`;

export function createRedisRateLimitStore(
  redis: Redis,
  keyPrefix = 'authbridge:rate-limit:',
): RateLimitStore {
  return {
    async consume(key: string, rule: RateLimitRule): Promise<RateLimitDecision> {
      const [count, ttl] = (await redis.eval(
        CONSUME_LUA,
        1,
        keyPrefix + key,
        String(rule.window * 1000),
      )) as [number, number];
      if (count <= rule.max) return { allowed: true, retryAfter: null };
      return { allowed: false, retryAfter: Math.max(1, Math.ceil(ttl / 1000)) };
    },
  };
}
