/**
 * The one rate-limit store both sign-in paths count in (frontend README, "Rate limiting"):
 * - `types.ts`: the store's interface (`consume`: Better Auth's shape, ours to grow);
 * - `postgres-store.ts`: the default, one upsert in Better Auth's `rateLimit` table (why
 *   not Better Auth's own database storage: its opening comment);
 * - `redis-store.ts`: with REDIS_URL, on @better-auth/redis-storage's atomic increment;
 * - here: which of the two, the limited paths, and Better Auth's key shape.
 */
import 'server-only';
import { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { createPostgresRateLimitStore } from './postgres-store';
import { createRedisRateLimitStore } from './redis-store';
import type { RateLimitRule, RateLimitStore } from './types';

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
  if (!globalForRedis.__authbridgeRedis) {
    const redis = new Redis(options.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2 });
    redis.on('error', (error) => console.error(`[redis] ${error.message}`));
    globalForRedis.__authbridgeRedis = redis;
  }
  return createRedisRateLimitStore(globalForRedis.__authbridgeRedis);
}

/**
 * `rateLimit.customRules` for Better Auth: the configured rule on sign-in and sign-up, and on
 * the paths that send mail or take a reset token (asking for a reset link, setting the new
 * password, resending the verification mail) and on those that check the current password
 * (change password, delete account): "rate limited like sign-in".
 */
export function authRateLimitRules(rule: RateLimitRule): Record<string, RateLimitRule> {
  return {
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
