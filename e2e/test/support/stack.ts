import pg from 'pg';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { CookieJar, fetchToken, postAuth, uniqueEmail } from '../../../frontend/test/support/http';
import {
  freePort,
  runMigrate,
  startApi,
  startWeb,
  type Running,
} from '../../../frontend/test/support/processes';

export { freePort, type Running };

/** Both apps, started the way `npm start` starts them, on one database. */
export interface Stack {
  web: Running;
  api: Running;
  databaseUrl: string;
  stop(): Promise<void>;
}

/**
 * Migrates `databaseUrl`, starts the built web app and the built API on it, each with
 * `env` on top of the defaults. The API gets nothing but what a user sets in .env: its
 * JWKS URL, issuer and audience come from BETTER_AUTH_URL alone, as in production.
 */
export async function startStack(
  databaseUrl: string,
  env: Record<string, string | undefined> = {},
): Promise<Stack> {
  const migrated = await runMigrate(databaseUrl, env);
  if (migrated.code !== 0) throw new Error(`migrations failed:\n${migrated.output}`);
  const apiPort = await freePort();
  const web = await startWeb({
    databaseUrl,
    apiUrl: `http://localhost:${apiPort}`,
    rateLimitMax: 50,
    env,
  });
  let api: Running;
  try {
    api = await startApi({
      databaseUrl,
      webUrl: web.url,
      port: apiPort,
      env: { AUTH_JWKS_URL: undefined, ...env },
    });
  } catch (error) {
    await web.stop();
    throw error;
  }
  return {
    web,
    api,
    databaseUrl,
    stop: async () => {
      await Promise.all([web.stop(), api.stop()]);
    },
  };
}

/** A user signed up through Better Auth's HTTP API, with its session cookie. */
export interface SignedUp {
  email: string;
  jar: CookieJar;
  userId: string;
}

/** Signs up through `POST /api/auth/sign-up/email`, a plain HTTP client, as a browser would. */
export async function signUp(web: Running, prefix = 'contract'): Promise<SignedUp> {
  const jar = new CookieJar();
  const email = uniqueEmail(prefix);
  const answer = await postAuth(
    web.url,
    '/sign-up/email',
    { name: 'Contract Tester', email, password: 'a long enough password' },
    { jar },
  );
  if (answer.status !== 200) {
    throw new Error(`sign-up answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
  return { email, jar, userId: (answer.body.user as { id: string }).id };
}

/** `GET /api/auth/token` with the session cookie: the JWT and what it says of itself. */
export async function tokenOf(web: Running, user: SignedUp) {
  const response = await fetchToken(web.url, { jar: user.jar });
  if (response.status !== 200) throw new Error(`/api/auth/token answered ${response.status}`);
  const { token } = (await response.json()) as { token: string };
  return { token, header: decodeProtectedHeader(token), claims: decodeJwt(token) };
}

/** One call to the API, as the web kit makes it. */
export async function callApi(
  api: Running,
  method: string,
  path: string,
  token: string | undefined,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${api.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** A new database on the server of `databaseUrl` (for a second stack with its own keys). */
export async function createDatabase(databaseUrl: string, name: string): Promise<string> {
  await sql(databaseUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops a database made by {@link createDatabase}, once nothing is connected to it. */
export async function dropDatabase(databaseUrl: string, url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  await sql(databaseUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

/** Runs one statement on `databaseUrl`. */
export async function sql(databaseUrl: string, text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}
