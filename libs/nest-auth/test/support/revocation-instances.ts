import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { RevocationSource } from '../../src';
import { startApp } from './apps';
import { eventually, type RevokingBetterAuth } from './better-auth-revocation';
import { startTcpRelay } from './tcp-relay';

type TcpRelay = Awaited<ReturnType<typeof startTcpRelay>>;

/** One API instance of a revocation suite: its app, its URL, its source and its relay. */
export interface RevocationInstance<S extends RevocationSource> {
  app: INestApplication;
  url: string;
  source: S;
  relay: TcpRelay;
}

/** What an instance answers on GET /me with `token`: the status and the body's `code`. */
export const status = (url: string, token: string) =>
  request(url)
    .get('/me')
    .set('Authorization', `Bearer ${token}`)
    .then((response) => ({ status: response.status, code: response.body.code as string }));

/** A probe for `eventually`: the instance refuses `token` with 401 `code`. */
export const refused =
  (url: string, token: string, code = 'session_revoked') =>
  async () => {
    const answer = await status(url, token);
    return answer.status === 401 && answer.code === code;
  };

/**
 * Waits until every instance refuses `token` as revoked, and logs how long each took since
 * `since` (`performance.now()`): latencies are logged, never asserted.
 */
export async function logRevocationLatency(
  channel: string,
  urls: string[],
  token: string,
  since: number,
): Promise<void> {
  const latencies = await Promise.all(
    urls.map((url) => eventually(refused(url, token)).then(() => performance.now() - since)),
  );
  console.log(
    `revocation latency (sign-out -> 401) through ${channel}: ${latencies.map((ms) => `${ms.toFixed(0)} ms`).join(', ')}`,
  );
}

/**
 * API instances that trust `betterAuth` and listen for its revocations, each reaching its
 * store (PostgreSQL, Redis) through its own TCP relay, so a test can cut one instance's
 * channel while Better Auth keeps publishing. `close()` stops them all (call it in afterAll).
 *
 * @example
 * const instances = revocationInstances(() => betterAuth);
 * const a = await instances.start(5432, '127.0.0.1', (relay) => new PostgresRevocationSource(...));
 * a.relay.cut();
 */
export function revocationInstances<S extends RevocationSource>(
  betterAuth: () => RevokingBetterAuth,
) {
  const relays: TcpRelay[] = [];
  const started: Array<RevocationInstance<S>> = [];
  return {
    started,
    /** A relay alone (for a test of its own that cuts it before any app starts). */
    async relay(targetPort: number, targetHost?: string): Promise<TcpRelay> {
      const relay = await startTcpRelay(targetPort, targetHost);
      relays.push(relay);
      return relay;
    },
    async start(
      targetPort: number,
      targetHost: string,
      sourceThrough: (relay: TcpRelay) => S,
    ): Promise<RevocationInstance<S>> {
      const relay = await this.relay(targetPort, targetHost);
      const source = sourceThrough(relay);
      const { app, url } = await startApp({
        issuer: betterAuth().baseURL,
        jwksUrl: `${betterAuth().baseURL}/api/auth/jwks`,
        requiredClaims: ['sid'],
        revocation: source,
      });
      const instance = { app, url, source, relay };
      started.push(instance);
      return instance;
    },
    async close(): Promise<void> {
      await Promise.all(started.map(({ app }) => app.close()));
      await Promise.all(relays.map((relay) => relay.close()));
    },
  };
}

/**
 * The gap and its closing: cuts `instance`'s channel, has `signOut` revoke `token` while the
 * instance cannot hear it (the token still passes), restores the channel and expects the
 * reload after the reconnect to refuse it. `whileDown` checks the instance during the outage.
 */
export async function expectRevocationEnforcedAfterReconnect(
  instance: RevocationInstance<RevocationSource>,
  token: string,
  signOut: () => Promise<unknown>,
  whileDown: () => void = () => undefined,
): Promise<void> {
  expect(await status(instance.url, token)).toMatchObject({ status: 200 });
  instance.relay.cut();
  await eventually(async () => instance.source.status().channel === 'down');
  whileDown();
  await signOut(); // published while the instance cannot hear it
  expect(await status(instance.url, token)).toMatchObject({ status: 200 }); // the gap
  instance.relay.restore();
  await eventually(async () => instance.source.status().channel === 'up');
  expect(await status(instance.url, token)).toMatchObject({ status: 401, code: 'session_revoked' });
}
