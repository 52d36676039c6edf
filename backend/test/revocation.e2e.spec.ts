// Revocation is on in the API by default, through PostgreSQL (the database both apps share):
// a revocation published as the web app does (web-auth's publisher: a row + NOTIFY) reaches
// two running API instances, and AUTH_REVOCATION=off turns it off. The whole Better Auth
// flow (sign-out, "sign out everywhere", a cut channel) is in libs/nest-auth/test.
import { createPostgresRevocationPublisher } from '@authbridge/web-auth/server';
import { TestIssuer } from '@authbridge/nest-auth/testing';
import { decodeJwt } from 'jose';
import pg from 'pg';
import { bearer, ISSUER, startTestApi, type TestApi } from './support/api';
import { testDatabaseUrl } from './support/database';
import { startOwnPostgres } from './support/embedded-postgres';

async function eventually(probe: () => Promise<boolean>, backstopMs = 60_000) {
  const started = Date.now();
  while (!(await probe())) {
    if (Date.now() - started > backstopMs) throw new Error(`not true after ${backstopMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('revocation in the API (PostgreSQL, on by default)', () => {
  let pool: pg.Pool;
  let issuer: TestIssuer;
  const apis: TestApi[] = [];
  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: testDatabaseUrl() });
    issuer = await TestIssuer.create({ issuer: ISSUER, audience: ISSUER });
    apis.push(await startTestApi({}, { issuer }), await startTestApi({}, { issuer }));
  });
  afterAll(async () => {
    await Promise.all(apis.map((api) => api.close()));
    await pool?.end();
  });

  it("a revoked session is refused by both instances; the same user's other session is not", async () => {
    const [a, b] = apis;
    const user = 'user-revoked-session';
    const token = await a.tokenFor(user);
    const other = await a.tokenFor(user);
    for (const api of apis) await api.http.get('/api/me').set(bearer(token)).expect(200);
    const publisher = createPostgresRevocationPublisher({ pool });
    await publisher.publish({
      kind: 'session',
      id: decodeJwt(token).sid as string,
      at: Date.now(),
    });
    for (const api of [a, b]) {
      await eventually(
        async () => (await api.http.get('/api/me').set(bearer(token))).status === 401,
      );
      const res = await api.http.get('/api/me').set(bearer(token)).expect(401);
      expect(res.body.code).toBe('session_revoked');
      expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
      await api.http.get('/api/me').set(bearer(other)).expect(200);
    }
  });

  it('an instance started after the revocation loads it before serving', async () => {
    const user = 'user-revoked-everywhere';
    const token = await apis[0].tokenFor(user);
    await createPostgresRevocationPublisher({ pool }).publish({
      kind: 'user',
      id: user,
      at: Date.now(),
    });
    const late = await startTestApi({}, { issuer });
    apis.push(late);
    const res = await late.http.get('/api/me').set(bearer(token)).expect(401);
    expect(res.body.code).toBe('user_revoked');
  });

  it('refuses a token without a session id (it could not be revoked by session)', async () => {
    const token = await apis[0].tokenFor('user-without-sid', { sid: undefined });
    const res = await apis[0].http.get('/api/me').set(bearer(token)).expect(401);
    expect(res.body.code).toBe('missing_claim');
  });

  it('AUTH_REVOCATION=off: no channel, revoked tokens pass until exp, health says nothing', async () => {
    const off = await startTestApi({ AUTH_REVOCATION: 'off' }, { issuer });
    apis.push(off);
    const token = await off.tokenFor();
    await off.http
      .get('/api/me')
      .set(bearer(await off.tokenFor('no-sid', { sid: undefined })))
      .expect(200);
    await createPostgresRevocationPublisher({ pool }).publish({
      kind: 'session',
      id: decodeJwt(token).sid as string,
      at: Date.now(),
    });
    await off.http.get('/api/me').set(bearer(token)).expect(200);
    const health = await off.http.get('/api/health').expect(200);
    expect(health.body.revocation).toBeUndefined();
  });
});

describe('revocation across a real PostgreSQL restart', () => {
  it('the channel goes down, comes back by itself, and a revocation made at once is enforced', async () => {
    const postgres = await startOwnPostgres();
    const api = await startTestApi({ DATABASE_URL: postgres.url });
    const pool = new pg.Pool({ connectionString: postgres.url });
    pool.on('error', () => undefined);
    const channel = async () =>
      (await api.http.get('/api/health')).body.revocation?.channel as string | undefined;
    try {
      const token = await api.tokenFor('user-across-restart');
      await api.http.get('/api/me').set(bearer(token)).expect(200);

      await postgres.pause();
      await eventually(async () => (await channel()) === 'down');
      await postgres.resume();
      // Published as soon as the database is back, maybe before the API has reconnected:
      // the reload after the reconnect (or the poll) must bring it in either way.
      await createPostgresRevocationPublisher({ pool }).publish({
        kind: 'session',
        id: decodeJwt(token).sid as string,
        at: Date.now(),
      });
      await eventually(
        async () => (await api.http.get('/api/me').set(bearer(token))).status === 401,
      );
      await eventually(async () => (await channel()) === 'up');
      const res = await api.http.get('/api/me').set(bearer(token)).expect(401);
      expect(res.body.code).toBe('session_revoked');
    } finally {
      await pool.end();
      await api.close();
      await postgres.stop();
    }
  }, 120_000);
});
