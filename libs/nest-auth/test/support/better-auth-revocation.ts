// A REAL Better Auth (1.7, JWT plugin) that puts the session id in its tokens (`sid`) and
// publishes revocations with @authbridge/web-auth's plugin, as the web app does, served over
// HTTP on a free port; and the HTTP calls of a browser (sign-up, sign-in, sign-out, token).
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { betterAuth } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import { toNodeHandler } from 'better-auth/node';
import { jwt } from 'better-auth/plugins';
import { Pool } from 'pg';
import {
  revocationPlugin,
  type RevocationPublisher,
} from '../../../web-auth/src/revocation-publisher';
import { postgresRevocationTableSql } from '../../src/postgres-revocation-source';

const SECRET = 'a-test-secret-that-is-at-least-32-characters-long';
const PASSWORD = 'correct horse battery staple';

export async function startRevokingBetterAuth(
  connectionString: string,
  publisher: (pool: Pool) => RevocationPublisher,
) {
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
    plugins: [
      jwt({
        jwt: {
          definePayload: ({ user, session }) => ({ email: user.email, sid: session.id }),
        },
      }),
      revocationPlugin({ publisher: publisher(pool) }),
    ],
  });
  const { runMigrations } = await getMigrations(auth.options);
  await runMigrations();
  await pool.query(postgresRevocationTableSql());
  await auth.api.getJwks(); // create the signing key once, before any traffic
  state.handler = toNodeHandler(auth);

  const post = (path: string, body: unknown, cookie?: string) =>
    fetch(`${baseURL}/api/auth${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: baseURL,
        ...(cookie ? { cookie } : {}),
      },
      body: JSON.stringify(body ?? {}),
    });
  const cookieOf = (response: Response) =>
    response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
  const tokenFor = async (cookie: string) => {
    const response = await fetch(`${baseURL}/api/auth/token`, {
      headers: { cookie, origin: baseURL },
    });
    if (response.status !== 200) throw new Error(`/token answered ${response.status}`);
    return ((await response.json()) as { token: string }).token;
  };

  return {
    baseURL,
    pool,
    /** A new user, signed in: its id, the session cookie and a token of that session. */
    async signUp() {
      const email = `u-${randomUUID()}@example.com`;
      const response = await post('/sign-up/email', { email, password: PASSWORD, name: 'Ada' });
      if (response.status !== 200) throw new Error(`sign-up answered ${response.status}`);
      const { user } = (await response.json()) as { user: { id: string } };
      const cookie = cookieOf(response);
      return { userId: user.id, email, cookie, token: await tokenFor(cookie) };
    },
    /** Another session of the same user (another device). */
    async signIn(email: string) {
      const response = await post('/sign-in/email', { email, password: PASSWORD });
      if (response.status !== 200) throw new Error(`sign-in answered ${response.status}`);
      const cookie = cookieOf(response);
      return { cookie, token: await tokenFor(cookie) };
    },
    async signOut(cookie: string) {
      const response = await post('/sign-out', {}, cookie);
      if (response.status !== 200) throw new Error(`sign-out answered ${response.status}`);
    },
    /** "Sign out everywhere": Better Auth's revoke-sessions. */
    async revokeSessions(cookie: string) {
      const response = await post('/revoke-sessions', {}, cookie);
      if (response.status !== 200) throw new Error(`revoke-sessions answered ${response.status}`);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
}

export type RevokingBetterAuth = Awaited<ReturnType<typeof startRevokingBetterAuth>>;

/**
 * Calls `probe` until it returns true, with a generous backstop; returns the time it took
 * (logged, never asserted: the machine's speed must not decide a test).
 */
export async function eventually(probe: () => Promise<boolean>, backstopMs = 60_000) {
  const started = performance.now();
  while (!(await probe())) {
    if (performance.now() - started > backstopMs) {
      throw new Error(`not true after the ${backstopMs} ms backstop`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return performance.now() - started;
}
