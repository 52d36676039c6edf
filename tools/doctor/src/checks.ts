import { symmetricDecrypt } from 'better-auth/crypto';
import type { JWK } from 'jose';
import pg from 'pg';
import { migrations } from '../../../backend/src/database/migrations';
import type { AppsView } from './environment';

/**
 * The checks of `npm run doctor`, in the order they print. Each id is stable: the lines of
 * docs/troubleshooting.md name them ("Doctor: `jwks`"), and the tests read that document.
 */
export const CHECK_IDS = [
  'env',
  'secret',
  'web-url',
  'api-url',
  'better-auth',
  'jwks',
  'algorithm',
  'issuer-audience',
  'cors',
  'database',
  'migrations',
  'signing-keys',
] as const;

export type CheckId = (typeof CHECK_IDS)[number];

export interface CheckResult {
  id: CheckId;
  status: 'pass' | 'fail' | 'skip';
  /** One sentence: what was found. */
  message: string;
  /** What to do about a failure. */
  fix?: string;
}

/** A connection to the database, enough for the checks (pg's Client fits). */
export interface DatabaseProbe {
  query<T = Record<string, unknown>>(sql: string): Promise<{ rows: T[] }>;
  end(): Promise<void>;
}

/** What the checks reach the world through; tests pass their own. */
export interface DoctorDeps {
  fetch: typeof fetch;
  connect: (url: string) => Promise<DatabaseProbe>;
  /** Milliseconds since the epoch. */
  now: () => number;
  /** Allowed for each network call. */
  timeoutMs: number;
}

/** The real world: global fetch, pg, the system clock. */
export const defaultDeps: DoctorDeps = {
  fetch: (...args) => fetch(...args),
  connect: async (url) => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
    client.on('error', () => {});
    await client.connect();
    return client as unknown as DatabaseProbe;
  },
  now: () => Date.now(),
  timeoutMs: 3_000,
};

/** Better Auth's tables, with the jwt plugin and the database rate-limit storage. */
export const BETTER_AUTH_TABLES = ['user', 'session', 'account', 'verification', 'jwks'];

const pass = (id: CheckId, message: string): CheckResult => ({ id, status: 'pass', message });
const fail = (id: CheckId, message: string, fix: string): CheckResult => ({
  id,
  status: 'fail',
  message,
  fix,
});
const skip = (id: CheckId, message: string): CheckResult => ({ id, status: 'skip', message });

/** Runs every check, in order; a check whose input is broken is skipped, not failed twice. */
export async function runChecks(view: AppsView, deps: DoctorDeps): Promise<CheckResult[]> {
  const results: CheckResult[] = [checkEnv(view), checkSecret(view)];
  if (!('config' in view.web) || !('config' in view.api)) {
    for (const id of CHECK_IDS.slice(2)) {
      results.push(skip(id, 'skipped until the environment is valid (see the env line)'));
    }
    return results;
  }
  const web = view.web.config;
  const api = view.api.config;
  results.push(checkWebUrl(view), checkApiUrl(view));
  results.push(await checkBetterAuth(web.baseURL, deps));
  results.push(await checkJwks(api.auth.jwksUrl, api.auth.algorithms, deps));
  results.push(checkAlgorithm(web.jwtAlgorithm, api.auth.algorithms));
  results.push(checkIssuerAudience(web, api));
  results.push(checkCors(web.baseURL, api.corsOrigins));
  results.push(...(await checkDatabase(web.databaseUrl, web.secret, deps)));
  return results;
}

function checkEnv(view: AppsView): CheckResult {
  const errors = [view.web, view.api].flatMap((side, i) =>
    'error' in side ? [`${i === 0 ? 'web app' : 'API'}: ${side.error}`] : [],
  );
  if (errors.length === 0) {
    return pass('env', 'the web app and the API both accept the environment');
  }
  return fail(
    'env',
    [...new Set(errors)].join(' | '),
    'set the variables named in the root .env (see .env.example)',
  );
}

/** Characters a guessable secret tends to be made of: a word, a repeated pattern. */
const MIN_DISTINCT_CHARACTERS = 12;
const PLACEHOLDERS = /change.?me|changeit|replace.?me|your.?secret|placeholder|example|xxxxx/i;

function checkSecret({ env }: AppsView): CheckResult {
  const secret = env.BETTER_AUTH_SECRET;
  const fix =
    'generate one with `openssl rand -base64 32` and put it in BETTER_AUTH_SECRET; every instance on the same database needs the same value, and changing it makes the existing JWT signing keys unreadable (see the signing-keys line)';
  if (!secret) return fail('secret', 'BETTER_AUTH_SECRET is not set', fix);
  if (secret.length < 32) {
    return fail('secret', `BETTER_AUTH_SECRET is ${secret.length} characters, fewer than 32`, fix);
  }
  if (PLACEHOLDERS.test(secret)) {
    return fail('secret', 'BETTER_AUTH_SECRET looks like a placeholder, not a random value', fix);
  }
  const distinct = new Set(secret).size;
  if (distinct < MIN_DISTINCT_CHARACTERS) {
    return fail(
      'secret',
      `BETTER_AUTH_SECRET uses only ${distinct} different characters: too predictable for a random value`,
      fix,
    );
  }
  return pass('secret', `BETTER_AUTH_SECRET is ${secret.length} characters, ${distinct} different`);
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '0.0.0.0']);

function portOf(url: URL): number {
  return Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
}

function checkWebUrl({ env }: AppsView): CheckResult {
  const url = new URL(env.BETTER_AUTH_URL!);
  const webPort = Number(env.WEB_PORT) || 3000;
  if (LOCAL_HOSTS.has(url.hostname) && portOf(url) !== webPort) {
    return fail(
      'web-url',
      `BETTER_AUTH_URL is ${url.origin} but the web app listens on WEB_PORT ${webPort}`,
      `change both together: BETTER_AUTH_URL=http://${url.hostname}:${webPort} (it is also the JWT issuer and audience)`,
    );
  }
  return pass('web-url', `BETTER_AUTH_URL ${url.origin} matches where the web app listens`);
}

function checkApiUrl({ env }: AppsView): CheckResult {
  const url = new URL(env.NEXT_PUBLIC_API_URL!);
  const apiPort = Number(env.API_PORT) || 3001;
  if (LOCAL_HOSTS.has(url.hostname) && portOf(url) !== apiPort) {
    return fail(
      'api-url',
      `NEXT_PUBLIC_API_URL is ${url.origin} but the API listens on API_PORT ${apiPort}`,
      `change both together: NEXT_PUBLIC_API_URL=http://${url.hostname}:${apiPort}, then rebuild the web app (NEXT_PUBLIC_* is baked in at build)`,
    );
  }
  return pass('api-url', `NEXT_PUBLIC_API_URL ${url.origin} matches where the API listens`);
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  if ((error as Error)?.name === 'TimeoutError') return 'no answer in time';
  return cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
}

async function get(
  url: string,
  deps: DoctorDeps,
): Promise<{ status: number; body: unknown } | { error: string }> {
  try {
    const response = await deps.fetch(url, {
      signal: AbortSignal.timeout(deps.timeoutMs),
      redirect: 'manual',
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: response.status, body };
  } catch (error) {
    return { error: describeNetworkError(error) };
  }
}

async function checkBetterAuth(origin: string, deps: DoctorDeps): Promise<CheckResult> {
  const url = `${origin}/api/auth/ok`;
  const answer = await get(url, deps);
  if ('error' in answer) {
    return fail(
      'better-auth',
      `nothing answers at ${url} (${answer.error})`,
      'start the web app (`npm run dev`), or set BETTER_AUTH_URL to where it runs',
    );
  }
  if (answer.status !== 200 || (answer.body as { ok?: unknown })?.ok !== true) {
    return fail(
      'better-auth',
      `${url} answered ${answer.status}, not Better Auth's {"ok":true}`,
      'BETTER_AUTH_URL must be the origin of the web app that runs Better Auth (its routes are under /api/auth)',
    );
  }
  return pass('better-auth', `Better Auth answers at ${url}`);
}

/** The algorithm a public key is for: its `alg`, else what its type implies. */
export function algorithmsOfKey(key: JWK): string[] {
  if (typeof key.alg === 'string') return [key.alg];
  if (key.kty === 'OKP' && key.crv === 'Ed25519') return ['EdDSA'];
  if (key.kty === 'EC' && key.crv === 'P-256') return ['ES256'];
  if (key.kty === 'EC' && key.crv === 'P-521') return ['ES512'];
  if (key.kty === 'RSA') return ['RS256', 'PS256'];
  return [];
}

async function checkJwks(
  jwksUrl: string,
  allowed: readonly string[],
  deps: DoctorDeps,
): Promise<CheckResult> {
  const answer = await get(jwksUrl, deps);
  if ('error' in answer) {
    return fail(
      'jwks',
      `the API cannot fetch its keys: nothing answers at ${jwksUrl} (${answer.error})`,
      'start the web app, or fix AUTH_JWKS_URL (leave it empty for <BETTER_AUTH_URL>/api/auth/jwks)',
    );
  }
  const keys = (answer.body as { keys?: unknown })?.keys;
  if (answer.status !== 200 || !Array.isArray(keys)) {
    return fail(
      'jwks',
      `${jwksUrl} answered ${answer.status} without a key set: not Better Auth's JWKS path`,
      'Better Auth serves its keys at /api/auth/jwks (not /.well-known/jwks.json): leave AUTH_JWKS_URL empty, or point it there',
    );
  }
  if (keys.length === 0) {
    return fail(
      'jwks',
      `${jwksUrl} publishes no key yet`,
      'Better Auth creates its first key on start-up or on the first /api/auth/token: start the web app and sign in once',
    );
  }
  const algs = [...new Set((keys as JWK[]).flatMap(algorithmsOfKey))];
  if (!algs.some((alg) => allowed.includes(alg))) {
    return fail(
      'jwks',
      `the JWKS holds ${algs.join(', ') || 'unknown'} keys but the API accepts only ${allowed.join(', ')}: every token is refused`,
      `Better Auth keeps signing with its existing key after AUTH_JWT_ALGORITHM changes: set AUTH_JWT_ALGORITHM=${algs[0] ?? 'EdDSA'} again, or delete the rows of the jwks table (DELETE FROM jwks) and restart the web app so it makes a ${allowed[0]} key`,
    );
  }
  return pass(
    'jwks',
    `${jwksUrl} publishes ${keys.length} key(s) (${algs.join(', ')}), accepted by the API`,
  );
}

function checkAlgorithm(signing: string, allowed: readonly string[]): CheckResult {
  if (!allowed.includes(signing)) {
    return fail(
      'algorithm',
      `the web app signs with ${signing} but the API accepts only ${allowed.join(', ')}`,
      'give both apps the same AUTH_JWT_ALGORITHM',
    );
  }
  return pass('algorithm', `the web app signs with ${signing}, which the API accepts`);
}

function checkIssuerAudience(
  web: { issuer: string; audience: string },
  api: { auth: { issuer: string; audience: string | string[] } },
): CheckResult {
  const audiences = [api.auth.audience].flat();
  if (web.issuer !== api.auth.issuer || !audiences.includes(web.audience)) {
    return fail(
      'issuer-audience',
      `the web app signs iss=${web.issuer} aud=${web.audience}, the API expects iss=${api.auth.issuer} aud=${audiences.join(',')}`,
      'give both apps the same BETTER_AUTH_URL: both derive issuer and audience from its origin',
    );
  }
  return pass('issuer-audience', `issuer and audience are ${web.issuer} on both sides`);
}

function checkCors(webOrigin: string, corsOrigins: string[]): CheckResult {
  if (!corsOrigins.includes(webOrigin)) {
    return fail(
      'cors',
      `CORS_ORIGINS is ${corsOrigins.join(',')} but the web app runs at ${webOrigin}: the browser blocks its calls to the API`,
      `add ${webOrigin} to CORS_ORIGINS, or leave it empty (default: BETTER_AUTH_URL)`,
    );
  }
  return pass('cors', `the API allows browser calls from ${webOrigin}`);
}

/** Names TypeORM records in typeorm_migrations, one per migration of backend/src/database. */
export function expectedMigrations(): string[] {
  return migrations.map((Migration) => {
    const name = (new Migration() as { name?: string }).name;
    return name ?? Migration.name;
  });
}

async function checkDatabase(
  databaseUrl: string,
  secret: string,
  deps: DoctorDeps,
): Promise<CheckResult[]> {
  const where = safeDatabaseLabel(databaseUrl);
  let db: DatabaseProbe;
  try {
    db = await deps.connect(databaseUrl);
    await db.query('select 1');
  } catch (error) {
    return [
      fail(
        'database',
        `cannot connect to ${where} (${describeNetworkError(error)})`,
        'start PostgreSQL (`npm run dev` starts the embedded one when DATABASE_URL is empty) or fix DATABASE_URL',
      ),
      skip('migrations', 'skipped: no database'),
      skip('signing-keys', 'skipped: no database'),
    ];
  }
  try {
    return [
      pass('database', `connected to ${where}`),
      await checkMigrations(db),
      await checkSigningKeys(db, secret),
    ];
  } finally {
    await db.end().catch(() => {});
  }
}

/** host:port/database, never the user or password. */
function safeDatabaseLabel(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}

async function checkMigrations(db: DatabaseProbe): Promise<CheckResult> {
  const { rows } = await db.query<{ table_name: string }>(
    'select table_name from information_schema.tables where table_schema = current_schema()',
  );
  const tables = new Set(rows.map((r) => r.table_name));
  const missingAuth = BETTER_AUTH_TABLES.filter((t) => !tables.has(t));
  let missingApi = expectedMigrations();
  if (tables.has('typeorm_migrations')) {
    const applied = await db.query<{ name: string }>('select name from typeorm_migrations');
    const names = new Set(applied.rows.map((r) => r.name));
    missingApi = missingApi.filter((n) => !names.has(n));
  }
  const missing = [
    ...(missingAuth.length ? [`Better Auth tables ${missingAuth.join(', ')}`] : []),
    ...(missingApi.length ? [`API migrations ${missingApi.join(', ')}`] : []),
  ];
  if (missing.length) {
    return fail(
      'migrations',
      `the database lacks ${missing.join(' and ')}`,
      'run the migrations: `npx nx run-many -t migrate -p frontend backend` (`npm run dev` does it on start)',
    );
  }
  return pass('migrations', "Better Auth's tables and every API migration are in place");
}

async function checkSigningKeys(db: DatabaseProbe, secret: string): Promise<CheckResult> {
  const { rows } = await db
    .query<{ id: string; privateKey: string }>('select id, "privateKey" from jwks')
    .catch(() => ({ rows: [] as { id: string; privateKey: string }[] }));
  if (rows.length === 0) {
    return pass('signing-keys', 'no signing key yet: Better Auth creates one with this secret');
  }
  const unreadable: string[] = [];
  for (const row of rows) {
    try {
      await symmetricDecrypt({ key: secret, data: JSON.parse(row.privateKey) });
    } catch {
      unreadable.push(row.id);
    }
  }
  if (unreadable.length > 0) {
    return fail(
      'signing-keys',
      `${unreadable.length} of ${rows.length} JWT signing key(s) (${unreadable.join(', ')}) were encrypted with another BETTER_AUTH_SECRET: /api/auth/token answers 500 "Failed to decrypt private key"`,
      'put back the secret the keys were made with, or delete those rows (DELETE FROM jwks) so Better Auth makes a new key; tokens signed by the old keys stop verifying',
    );
  }
  return pass(
    'signing-keys',
    `all ${rows.length} JWT signing key(s) decrypt with BETTER_AUTH_SECRET`,
  );
}
