/**
 * The one rate-limit store both sign-in paths count in (frontend README, "Rate limiting"):
 * - `types.ts`: the store's interface (`consume`: Better Auth's shape, ours to grow);
 * - `postgres-store.ts`: the default, one upsert in Better Auth's `rateLimit` table (why
 *   not Better Auth's own database storage: its opening comment);
 * - `redis-store.ts`: with REDIS_URL, on @better-auth/redis-storage's atomic increment;
 * - `failures.ts`: failed email sign-ins per account and per address, with a growing
 *   back-off (the real limit on sign-in), in the same store (`failure-stores.ts`);
 * - here: which of the two, the limited paths, and Better Auth's key shape.
 */
import 'server-only';
import { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { createPostgresRateLimitStore } from './postgres-store';
import { createRedisRateLimitStore } from './redis-store';
import { createPostgresFailureStore, createRedisFailureStore } from './failure-stores';
import type { FailureStore } from './failures';
import type { RateLimitRule, RateLimitStore } from './types';

export {
  createSignInGuard,
  DEFAULT_BACKOFF,
  TOO_MANY_FAILED_SIGN_INS,
  type BackoffPolicy,
  type FailureStore,
  type SignInGuard,
  type SignInRefusal,
} from './failures';
export type { RateLimitDecision, RateLimitRule, RateLimitStore } from './types';

/** The auth paths the limit applies to, as Better Auth's router names them. */
export const LIMITED_AUTH_PATHS = {
  signInEmail: '/sign-in/email',
  signUpEmail: '/sign-up/email',
  signInSocial: '/sign-in/social',
  requestPasswordReset: '/request-password-reset',
  resetPassword: '/reset-password',
  sendVerificationEmail: '/send-verification-email',
  changePassword: '/change-password',
  deleteUser: '/delete-user',
} as const;
export type LimitedAuthPath = (typeof LIMITED_AUTH_PATHS)[keyof typeof LIMITED_AUTH_PATHS];

/**
 * Better Auth's key shape (`createRateLimitKey` in @better-auth/core): `<ip>|<path>`.
 * Both paths use it, so an HTTP attempt and a server-action attempt share one bucket.
 */
export function rateLimitKey(ip: string, path: string): string {
  return `${ip}|${path}`;
}

const globalForRedis = globalThis as unknown as { __authbridgeRedis?: Redis };

/**
 * Redis when REDIS_URL is set (shared by every instance), else the shared PostgreSQL.
 * Either way the limit holds across instances; memory storage never would.
 */
export function createRateLimitStore(options: { redisUrl?: string; pool: Pool }): RateLimitStore {
  if (!options.redisUrl) return createPostgresRateLimitStore(options.pool);
  return createRedisRateLimitStore(sharedRedis(options.redisUrl));
}

/** The failed sign-in counters (`failures.ts`), in the store `createRateLimitStore` picks. */
export function createFailureStore(options: { redisUrl?: string; pool: Pool }): FailureStore {
  if (!options.redisUrl) return createPostgresFailureStore(options.pool);
  return createRedisFailureStore(sharedRedis(options.redisUrl));
}

function sharedRedis(redisUrl: string): Redis {
  if (!globalForRedis.__authbridgeRedis) {
    const redis = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2 });
    redis.on('error', (error) => console.error(`[redis] ${error.message}`));
    globalForRedis.__authbridgeRedis = redis;
  }
  return globalForRedis.__authbridgeRedis;
}

/**
 * Email sign-in is limited by its FAILURES (`failures.ts`): a correct password is never
 * refused for how often it comes. Every request there is only held under this much higher
 * ceiling, against floods: 100 per window, or ten times the configured rule if that is more.
 */
export function signInFloodRule(rule: RateLimitRule): RateLimitRule {
  return { window: rule.window, max: Math.max(100, rule.max * 10) };
}

/** The rule a limited path counts every request under (the same on HTTP and server actions). */
export function ruleForPath(path: string, rule: RateLimitRule): RateLimitRule {
  return path === LIMITED_AUTH_PATHS.signInEmail ? signInFloodRule(rule) : rule;
}

/**
 * `rateLimit.customRules` for Better Auth: the flood ceiling on email sign-in (its real
 * limit is its failures), the configured rule on social sign-in and sign-up, and on
 * the paths that send mail or take a reset token (asking for a reset link, setting the new
 * password, resending the verification mail) and on those that check the current password
 * (change password, delete account): "rate limited like sign-in".
 */
export function authRateLimitRules(rule: RateLimitRule): Record<string, RateLimitRule> {
  return {
    // Before '/sign-in/*': Better Auth takes the first key that matches.
    [LIMITED_AUTH_PATHS.signInEmail]: signInFloodRule(rule),
    '/sign-in/*': rule,
    '/sign-up/*': rule,
    '/request-password-reset': rule,
    '/reset-password': rule,
    '/send-verification-email': rule,
    // They check the current password: guessing it is limited like signing in.
    '/change-password': rule,
    '/delete-user': rule,
  };
}
