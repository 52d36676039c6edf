// A REAL Better Auth (1.7, JWT plugin) on PostgreSQL: sign up over HTTP, take a JWT from
// /api/auth/token with the session cookie, and call a Nest app whose AuthModule fetches
// Better Auth's real /api/auth/jwks over HTTP. DATABASE_URL comes from the shared global
// setup (tools/jest-postgres.cjs): a fresh database for this run.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { betterAuth } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import { toNodeHandler } from 'better-auth/node';
import { jwt } from 'better-auth/plugins';
import { decodeProtectedHeader } from 'jose';
import { Pool } from 'pg';
import request from 'supertest';
import type { SupportedAlgorithm } from '../src';
import { startApp } from './support/apps';

const SECRET = 'a-test-secret-that-is-at-least-32-characters-long';

interface RunningBetterAuth {
  baseURL: string;
  close(): Promise<void>;
}

/** Better Auth with the JWT plugin, served by a node http server on a free port. */
async function startBetterAuth(connectionString: string, alg?: SupportedAlgorithm) {
  const state: { handler?: (req: any, res: any) => void } = {};
  const server: Server = createServer((req, res) => state.handler!(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const pool = new Pool({ connectionString });
  pool.on('error', () => undefined);
  const auth = betterAuth({
    database: pool,
    secret: SECRET,
    baseURL,
    emailAndPassword: { enabled: true },
    plugins: [jwt(alg ? { jwks: { keyPairConfig: { alg } as never } } : undefined)],
  });
  const { runMigrations } = await getMigrations(auth.options);
  await runMigrations();
  await auth.api.getJwks(); // create the signing key once, before any traffic (upstream race)
  state.handler = toNodeHandler(auth);
  const running: RunningBetterAuth = {
    baseURL,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
  return running;
}

/** Signs up a new user through HTTP and returns its id and a JWT from /api/auth/token. */
async function signUpAndGetToken(baseURL: string) {
  const email = `u-${randomUUID()}@example.com`;
  const signUp = await fetch(`${baseURL}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseURL },
    body: JSON.stringify({ email, password: 'correct horse battery staple', name: 'Grace' }),
  });
  expect(signUp.status).toBe(200);
  const { user } = (await signUp.json()) as { user: { id: string; email: string } };
  const cookie = signUp.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const tokenResponse = await fetch(`${baseURL}/api/auth/token`, {
    headers: { cookie, origin: baseURL },
  });
  expect(tokenResponse.status).toBe(200);
  const { token } = (await tokenResponse.json()) as { token: string };
  return { user, email, token };
}

describe('a real Better Auth instance (JWT plugin) over HTTP', () => {
  const databaseUrl = process.env.DATABASE_URL as string;
  let betterAuthServer: RunningBetterAuth;
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    expect(databaseUrl).toBeTruthy();
    betterAuthServer = await startBetterAuth(databaseUrl);
    ({ app, url } = await startApp({
      issuer: betterAuthServer.baseURL,
      jwksUrl: `${betterAuthServer.baseURL}/api/auth/jwks`,
    }));
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await betterAuthServer?.close();
  });

  it('verifies a Better Auth EdDSA token through the real /api/auth/jwks', async () => {
    const { user, email, token } = await signUpAndGetToken(betterAuthServer.baseURL);
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'EdDSA', kid: expect.any(String) });
    const res = await request(url).get('/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect(res.body).toMatchObject({ id: user.id, email, name: 'Grace' });
    expect(res.body.claims).toMatchObject({
      sub: user.id,
      iss: betterAuthServer.baseURL,
      aud: betterAuthServer.baseURL,
    });
    await request(url)
      .get(`/users/${user.id}/profile`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    await request(url)
      .get('/users/someone-else/profile')
      .set('Authorization', `Bearer ${token}`)
      .expect(403);
  });

  it('refuses a Better Auth token for another audience', async () => {
    const other = await startApp({
      issuer: betterAuthServer.baseURL,
      audience: 'https://some-other-api.example',
      jwksUrl: `${betterAuthServer.baseURL}/api/auth/jwks`,
    });
    try {
      const { token } = await signUpAndGetToken(betterAuthServer.baseURL);
      const res = await request(other.url)
        .get('/me')
        .set('Authorization', `Bearer ${token}`)
        .expect(401);
      expect(res.body.code).toBe('wrong_audience');
    } finally {
      await other.app.close();
    }
  });

  describe.each<SupportedAlgorithm>(['ES256', 'RS256'])('with a %s key', (alg) => {
    let admin: Pool;
    let database: string;
    let server: RunningBetterAuth;

    beforeAll(async () => {
      // A database of its own: Better Auth keeps signing with the first key of a database.
      admin = new Pool({ connectionString: databaseUrl });
      database = `nest_auth_${alg.toLowerCase()}_${Date.now()}`;
      await admin.query(`CREATE DATABASE ${database}`);
      const target = new URL(databaseUrl);
      target.pathname = `/${database}`;
      server = await startBetterAuth(target.toString(), alg);
    }, 60_000);
    afterAll(async () => {
      await server?.close();
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
      await admin.end();
    });

    it('verifies its token', async () => {
      const nest = await startApp({
        issuer: server.baseURL,
        algorithms: ['EdDSA', alg],
      });
      try {
        const { user, token } = await signUpAndGetToken(server.baseURL);
        expect(decodeProtectedHeader(token).alg).toBe(alg);
        const res = await request(nest.url)
          .get('/me')
          .set('Authorization', `Bearer ${token}`)
          .expect(200);
        expect(res.body.id).toBe(user.id);
      } finally {
        await nest.app.close();
      }
    });
  });
});
