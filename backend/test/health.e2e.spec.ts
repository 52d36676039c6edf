import { randomUUID } from 'node:crypto';
import { bearer, startTestApi, type TestApi } from './support/api';
import { startOwnPostgres, type OwnPostgres } from './support/embedded-postgres';

describe('GET /api/health (e2e)', () => {
  describe('with the JWKS endpoint unreachable', () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startTestApi({ AUTH_JWKS_URL: 'http://127.0.0.1:9/api/auth/jwks' });
    });
    afterAll(async () => {
      await api?.close();
    });

    it('is 200 without a token: it never touches the JWKS', async () => {
      const res = await api.http.get('/api/health').expect(200);
      expect(res.body).toMatchObject({ status: 'ok', database: 'up' });
    });

    it('shows the revocation channel, PostgreSQL by default, without error text', async () => {
      const res = await api.http.get('/api/health').expect(200);
      expect(res.body.revocation).toEqual({
        source: 'postgres',
        channel: 'up',
        since: expect.any(String),
      });
    });

    it('while a protected route answers 503', async () => {
      const res = await api.http.get('/api/me').set(bearer(await api.tokenFor()));
      expect(res.status).toBe(503);
    });
  });

  describe('with the database going down', () => {
    let postgres: OwnPostgres;
    let api: TestApi;

    beforeAll(async () => {
      postgres = await startOwnPostgres();
      api = await startTestApi({ DATABASE_URL: postgres.url });
    });
    afterAll(async () => {
      await api?.close();
      await postgres?.stop();
    });

    it('is 200 while the database answers', async () => {
      const res = await api.http.get('/api/health').expect(200);
      expect(res.body).toMatchObject({ status: 'ok', database: 'up' });
    });

    // No stopwatch here (a loaded machine is not a bug); test/security/outages.e2e.spec.ts
    // covers the outage in full, restart included.
    it('is 503 once the server is really stopped, repeatedly', async () => {
      await postgres.stop();
      for (let i = 0; i < 3; i++) {
        const res = await api.http.get('/api/health');
        expect(res.status).toBe(503);
        expect(res.body).toMatchObject({ status: 'error', database: 'down' });
      }
    });

    it('says the revocation channel is down, with its fallback', async () => {
      let body: { revocation?: { channel: string; fallback?: string } } = {};
      for (let waited = 0; body.revocation?.channel !== 'down' && waited < 20_000; waited += 50) {
        body = (await api.http.get('/api/health')).body;
        if (body.revocation?.channel !== 'down') await new Promise((r) => setTimeout(r, 50));
      }
      expect(body.revocation).toMatchObject({
        source: 'postgres',
        channel: 'down',
        fallback: 'poll',
      });
    });

    it('task routes answer 503 too, not 500; /api/me needs no database', async () => {
      const user = randomUUID();
      const token = await api.tokenFor(user);
      const res = await api.http.get(`/api/users/${user}/tasks`).set(bearer(token));
      expect(res.status).toBe(503);
      await api.http.get('/api/me').set(bearer(token)).expect(200);
    });
  });
});
