// Revocation end to end through PostgreSQL: a REAL Better Auth publishes (web-auth's plugin:
// a row + NOTIFY), two Nest apps with PostgresRevocationSource listen. Each app reaches
// PostgreSQL through its own TCP relay, so a test can kill one app's channel while Better
// Auth keeps working. Latencies are logged, never asserted.
import { createPostgresRevocationPublisher } from '../../web-auth/src/revocation-publisher';
import { AUTH_REVOCATION_SOURCE, PostgresRevocationSource } from '../src';
import { startApp } from './support/apps';
import {
  eventually,
  startRevokingBetterAuth,
  type RevokingBetterAuth,
} from './support/better-auth-revocation';
import {
  expectRevocationEnforcedAfterReconnect,
  logRevocationLatency,
  refused,
  revocationInstances,
  status,
} from './support/revocation-instances';

const databaseUrl = () => process.env.DATABASE_URL as string;

describe('revocation through PostgreSQL LISTEN/NOTIFY, real Better Auth, two API instances', () => {
  let betterAuth: RevokingBetterAuth;
  const instances = revocationInstances<PostgresRevocationSource>(() => betterAuth);
  const apps = instances.started;

  function startInstance(
    options: Partial<ConstructorParameters<typeof PostgresRevocationSource>[0]> = {},
  ) {
    const { port, hostname } = new URL(databaseUrl());
    return instances.start(
      Number(port),
      hostname,
      (relay) =>
        new PostgresRevocationSource({
          connectionString: relay.url(databaseUrl()),
          reconnectDelayMs: 100,
          maxReconnectDelayMs: 500,
          ...options,
        }),
    );
  }

  beforeAll(async () => {
    betterAuth = await startRevokingBetterAuth(databaseUrl(), (pool) =>
      createPostgresRevocationPublisher({ pool }),
    );
  }, 60_000);
  afterAll(async () => {
    await instances.close();
    await betterAuth?.close();
  });

  it('sign-out: the same token is refused by both instances; other users and sessions are not', async () => {
    const [a, b] = [await startInstance(), await startInstance()];
    const ada = await betterAuth.signUp();
    const adaPhone = await betterAuth.signIn(ada.email);
    const grace = await betterAuth.signUp();
    for (const { url } of [a, b]) {
      for (const token of [ada.token, adaPhone.token, grace.token]) {
        expect(await status(url, token)).toMatchObject({ status: 200 });
      }
    }
    const signedOutAt = performance.now();
    await betterAuth.signOut(ada.cookie);
    await logRevocationLatency('PostgreSQL', [a.url, b.url], ada.token, signedOutAt);
    for (const { url } of [a, b]) {
      expect(await status(url, adaPhone.token)).toMatchObject({ status: 200 });
      expect(await status(url, grace.token)).toMatchObject({ status: 200 });
    }
  });

  it('"sign out everywhere" (revoke-sessions) refuses every session of the user', async () => {
    const [a, b] = apps.length >= 2 ? apps : [await startInstance(), await startInstance()];
    const ada = await betterAuth.signUp();
    const adaPhone = await betterAuth.signIn(ada.email);
    const grace = await betterAuth.signUp();
    await betterAuth.revokeSessions(adaPhone.cookie);
    for (const { url } of [a, b]) {
      await eventually(refused(url, ada.token));
      await eventually(refused(url, adaPhone.token));
      expect(await status(url, grace.token)).toMatchObject({ status: 200 });
    }
  });

  it('a revocation made while an instance has lost its channel is enforced once it is back', async () => {
    // No poll to hide behind (an hour): only the reload after the reconnect can catch it.
    const cut = await startInstance({ pollIntervalMs: 3_600_000 });
    const ada = await betterAuth.signUp();
    await expectRevocationEnforcedAfterReconnect(
      cut,
      ada.token,
      () => betterAuth.signOut(ada.cookie),
      () => expect(cut.source.status()).toMatchObject({ source: 'postgres', fallback: 'poll' }),
    );
    expect(cut.app.get(AUTH_REVOCATION_SOURCE)).toBe(cut.source);
  });

  it('the poll fallback reads the table while the channel alone is down', async () => {
    // No reconnect for an hour: only the poll can deliver.
    const polled = await startInstance({
      pollIntervalMs: 200,
      reconnectDelayMs: 3_600_000,
      maxReconnectDelayMs: 3_600_000,
      client: { application_name: 'revocation-poll-test' },
    });
    const ada = await betterAuth.signUp();
    // Kill only its LISTEN connection, as a failover or an idle-connection reaper would.
    await betterAuth.pool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE application_name = 'revocation-poll-test'`,
    );
    await eventually(async () => polled.source.status().channel === 'down');
    expect(polled.source.status()).toMatchObject({
      fallback: 'poll',
      lastError: expect.any(String),
    });
    await betterAuth.signOut(ada.cookie);
    await eventually(refused(polled.url, ada.token));
    expect(polled.source.status().channel).toBe('down');
  });

  it('onOutage "refuse": while the channel is down, tokens issued before the outage are refused', async () => {
    const strict = await startInstance({ onOutage: 'refuse', pollIntervalMs: 3_600_000 });
    const ada = await betterAuth.signUp();
    expect(await status(strict.url, ada.token)).toMatchObject({ status: 200 });
    strict.relay.cut();
    await eventually(async () => strict.source.status().channel === 'down');
    expect(strict.source.status().fallback).toBe('refuse');
    expect(await status(strict.url, ada.token)).toMatchObject({
      status: 401,
      code: 'token_expired',
    });
    strict.relay.restore();
    await eventually(async () => strict.source.status().channel === 'up');
    expect(await status(strict.url, ada.token)).toMatchObject({ status: 200 });
  });

  it('refuses to start when it cannot load the revocations', async () => {
    const relay = await instances.relay(Number(new URL(databaseUrl()).port));
    relay.cut();
    await expect(
      startApp({
        issuer: betterAuth.baseURL,
        revocation: new PostgresRevocationSource({ connectionString: relay.url(databaseUrl()) }),
      }),
    ).rejects.toThrow(/could not load the revocations/);
  });
});
