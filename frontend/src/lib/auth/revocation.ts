import 'server-only';
import {
  allRevocationPublishers,
  createPostgresRevocationPublisher,
  createRedisRevocationPublisher,
  revocationPlugin,
  type RevocationPublisher,
} from '@authbridge/web-auth/server';
import { Redis } from 'ioredis';
import type { Pool } from 'pg';

// Sign-out that reaches the API (docs/architecture.md#revocation). Better Auth's database
// hooks publish every ended session (sign-out, revokeSession(s), revokeOtherSessions, a
// password change or reset that ends sessions, user deletion, a ban) to the API instances:
// a row + NOTIFY in this app's database always, and a Redis message too when REDIS_URL is
// set. Its own module, apart from better-auth.ts, so account features evolve without it.

const globalForRedis = globalThis as unknown as { __authbridgeRevocationRedis?: Redis };

/** PostgreSQL always (the table is the durable record API instances reload from); Redis too with REDIS_URL. */
export function createRevocationPublisher(options: {
  pool: Pool;
  redisUrl?: string;
}): RevocationPublisher {
  const postgres = createPostgresRevocationPublisher({ pool: options.pool });
  if (!options.redisUrl) return postgres;
  if (!globalForRedis.__authbridgeRevocationRedis) {
    const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 2 });
    redis.on('error', (error) => console.error(`[revocation] redis: ${error.message}`));
    globalForRedis.__authbridgeRevocationRedis = redis;
  }
  const redis = createRedisRevocationPublisher({
    redis: globalForRedis.__authbridgeRevocationRedis,
  });
  return allRevocationPublishers([postgres, redis]);
}

/** The Better Auth plugin that publishes revocations; goes before `nextCookies()`. */
export function revocation(options: { pool: Pool; redisUrl?: string }) {
  return revocationPlugin({
    publisher: createRevocationPublisher(options),
    onError: (error, revoked) =>
      console.error(
        `[revocation] could not publish the revocation of a ${revoked.kind}: ${(error as Error)?.message ?? error}`,
      ),
  });
}
