// Revocation end to end through Redis (pub/sub + a sorted set): a REAL Better Auth publishes
// with web-auth's Redis publisher (and the PostgreSQL one, as the web app does with
// REDIS_URL), two Nest apps with RedisRevocationSource listen, each through its own TCP
// relay so a test can kill one app's channel. Needs REDIS_URL; skipped with a message without.
import { Redis } from 'ioredis';
import {
  allRevocationPublishers,
  createPostgresRevocationPublisher,
  createRedisRevocationPublisher,
} from '../../web-auth/src/revocation-publisher';
import { RedisRevocationSource } from '../src';
import { startRevokingBetterAuth, type RevokingBetterAuth } from './support/better-auth-revocation';
import {
  expectRevocationEnforcedAfterReconnect,
  logRevocationLatency,
  revocationInstances,
  status,
} from './support/revocation-instances';

const redisUrl = process.env.REDIS_URL?.trim() || undefined;
const REDIS_SKIP =
  'SKIPPED: REDIS_URL is not set; run with REDIS_URL=redis://127.0.0.1:6379 to prove revocation through Redis';
if (!redisUrl) console.warn(REDIS_SKIP);
const describeRedis = redisUrl ? describe : describe.skip;

describeRedis('revocation through Redis pub/sub, real Better Auth, two API instances', () => {
  const key = `authbridge:revocations:test:${process.pid}:${Date.now()}`;
  let betterAuth: RevokingBetterAuth;
  let redis: Redis;
  const instances = revocationInstances<RedisRevocationSource>(() => betterAuth);

  function startInstance() {
    const target = new URL(redisUrl!);
    return instances.start(Number(target.port || 6379), target.hostname, (relay) => {
      const via = new URL(redisUrl!);
      via.hostname = '127.0.0.1';
      via.port = String(relay.port);
      return new RedisRevocationSource({
        url: via.toString(),
        key,
        channel: key,
        pollIntervalMs: 3_600_000, // no poll to hide behind: only the reload can catch a gap
        maxReconnectDelayMs: 200,
      });
    });
  }

  beforeAll(async () => {
    redis = new Redis(redisUrl!);
    betterAuth = await startRevokingBetterAuth(process.env.DATABASE_URL as string, (pool) =>
      allRevocationPublishers([
        createPostgresRevocationPublisher({ pool }),
        createRedisRevocationPublisher({ redis, key, channel: key }),
      ]),
    );
  }, 60_000);
  afterAll(async () => {
    await instances.close();
    await betterAuth?.close();
    await redis?.del(key);
    redis?.disconnect();
  });

  it('sign-out reaches both instances; other sessions pass', async () => {
    const [a, b] = [await startInstance(), await startInstance()];
    const ada = await betterAuth.signUp();
    const adaPhone = await betterAuth.signIn(ada.email);
    for (const { url } of [a, b])
      expect(await status(url, ada.token)).toMatchObject({ status: 200 });
    const signedOutAt = performance.now();
    await betterAuth.signOut(ada.cookie);
    await logRevocationLatency('Redis', [a.url, b.url], ada.token, signedOutAt);
    for (const { url } of [a, b]) {
      expect(await status(url, adaPhone.token)).toMatchObject({ status: 200 });
    }
  });

  it('a revocation made while the channel is cut is enforced after the reconnect', async () => {
    const cut = await startInstance();
    const ada = await betterAuth.signUp();
    await expectRevocationEnforcedAfterReconnect(cut, ada.token, () =>
      betterAuth.signOut(ada.cookie),
    );
  });
});
