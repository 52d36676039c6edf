import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { rememberSecret } from './secrets';

export const FRONTEND_DIR = path.resolve(__dirname, '../..');
export const REPO_ROOT = path.resolve(FRONTEND_DIR, '..');
const NEXT_BIN = path.join(
  path.dirname(require.resolve('next/package.json', { paths: [FRONTEND_DIR] })),
  'dist/bin/next',
);
const BACKEND_MAIN = path.join(REPO_ROOT, 'backend/dist/main.js');
/** What `npm start -w frontend` runs: our server around Next (server/web-server.mjs). */
const WEB_LAUNCHER = path.join(FRONTEND_DIR, 'scripts/next.mjs');

/**
 * Every app process of one test run shares the database, so it must share the secret
 * that encrypts the JWT signing keys too.
 */
export const TEST_SECRET = 'test-secret-for-authbridge-integration-tests-0123456789';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface Running {
  url: string;
  port: number;
  /** Everything the process wrote to stdout and stderr so far (kept after it stopped). */
  output: () => string;
  stop: () => Promise<void>;
}

const webApps: Running[] = [];

/** Every web app this test file started, for checks on what they logged. */
export function startedWebApps(): readonly Running[] {
  return webApps;
}

/** The environment of a child app: only what the test sets (plus PATH and friends). */
function childEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: process.env.TMPDIR,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
  };
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) env[key] = value;
  return env;
}

function track(child: ChildProcess) {
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  return () => output;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

async function waitForHttp(url: string, child: ChildProcess, output: () => string, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`process exited (${child.exitCode}) before answering ${url}:\n${output()}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status < 500) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`no answer from ${url} within ${ms / 1000} s:\n${output()}`);
}

export interface WebOptions {
  databaseUrl: string;
  /** Default: a free one. */
  port?: number;
  apiUrl?: string;
  rateLimitMax?: number;
  rateLimitWindowSeconds?: number;
  /**
   * AUTH_SIGN_IN_BACKOFF_SECONDS, the first back-off after failed sign-ins. Tests that
   * expect a wrong guess to meet a running back-off set it long (900: every back-off is
   * 15 min), so the answer never depends on how fast their requests follow each other.
   */
  signInBackoffSeconds?: number;
  redisUrl?: string;
  /**
   * TRUST_PROXY_HOPS. Tests that give each client its own X-Forwarded-For play the one
   * reverse proxy in front of the app: 1. Default: unset (no proxy, the socket decides).
   */
  trustProxyHops?: number;
  /**
   * SMTP_URL (a test's mail catcher, server/mail-catcher.mjs): mail on (password reset,
   * verification mails). Default: unset, and AUTH_EMAIL=false, as production without SMTP.
   */
  smtpUrl?: string;
  /** AUTH_REQUIRE_EMAIL_VERIFICATION. Default: false. */
  requireEmailVerification?: boolean;
  env?: Record<string, string | undefined>;
}

export function webEnv(port: number, options: WebOptions): Record<string, string | undefined> {
  return {
    DATABASE_URL: options.databaseUrl,
    BETTER_AUTH_SECRET: TEST_SECRET,
    BETTER_AUTH_URL: `http://localhost:${port}`,
    NEXT_PUBLIC_API_URL: options.apiUrl ?? 'http://localhost:9',
    WEB_PORT: String(port),
    REDIS_URL: options.redisUrl,
    AUTH_RATE_LIMIT_MAX: options.rateLimitMax?.toString(),
    AUTH_RATE_LIMIT_WINDOW_SECONDS: options.rateLimitWindowSeconds?.toString(),
    AUTH_SIGN_IN_BACKOFF_SECONDS: options.signInBackoffSeconds?.toString(),
    TRUST_PROXY_HOPS: options.trustProxyHops?.toString(),
    AUTH_EMAIL: options.smtpUrl ? 'true' : 'false',
    SMTP_URL: options.smtpUrl,
    MAIL_FROM: options.smtpUrl ? 'authbridge tests <no-reply@authbridge.test>' : undefined,
    AUTH_REQUIRE_EMAIL_VERIFICATION: options.requireEmailVerification ? 'true' : 'false',
    ...options.env,
  };
}

function ensureBuilt(): void {
  if (!fs.existsSync(path.join(FRONTEND_DIR, '.next/BUILD_ID'))) {
    throw new Error('frontend is not built: run `npx nx run frontend:build` (nx test does it)');
  }
}

async function spawnWeb(args: (port: number) => string[], options: WebOptions): Promise<Running> {
  ensureBuilt();
  const port = options.port ?? (await freePort());
  const env = webEnv(port, options);
  for (const [name, value] of Object.entries(env)) if (/SECRET/.test(name)) rememberSecret(value);
  const child = spawn(process.execPath, args(port), {
    cwd: FRONTEND_DIR,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = track(child);
  const url = `http://localhost:${port}`;
  const running = { url, port, output, stop: () => stopChild(child) };
  webApps.push(running);
  try {
    await waitForHttp(`${url}/api/auth/ok`, child, output);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return running;
}

/** The built app the way `npm start -w frontend` runs it (our server around Next). */
export function startWeb(options: WebOptions): Promise<Running> {
  return spawnWeb((_port) => [WEB_LAUNCHER, 'start'], options);
}

/**
 * The built app under plain `next start`, WITHOUT our server: what a deployment that
 * bypasses it gets. No request then has a client address the app believes.
 */
export function startBareNext(options: WebOptions): Promise<Running> {
  return spawnWeb((port) => [NEXT_BIN, 'start', '-p', String(port)], options);
}

/** Runs `npm start -w frontend` expecting it to refuse to start: its exit code and output. */
export async function startWebExpectingExit(
  env: Record<string, string | undefined>,
): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [WEB_LAUNCHER, 'start'], {
    cwd: FRONTEND_DIR,
    env: childEnv({ WEB_PORT: String(port), ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  return { code, stdout, stderr };
}

/** `npm run migrate -w frontend`, as a child process. */
export async function runMigrate(
  databaseUrl: string,
  /** Extra variables, e.g. AUTH_JWT_ALGORITHM: the migration makes the first signing key. */
  env: Record<string, string | undefined> = {},
): Promise<{ code: number | null; output: string }> {
  const child = spawn(
    process.execPath,
    ['--conditions=react-server', '--import', 'tsx', 'scripts/migrate.ts'],
    {
      cwd: FRONTEND_DIR,
      env: childEnv(webEnv(3000, { databaseUrl, env })),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const output = track(child);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, output: output() };
}

/** The built Tasks API (`node backend/dist/main.js`); `nx run backend:build` first. */
export async function startApi(options: {
  databaseUrl: string;
  webUrl: string;
  port?: number;
  /** Extra variables, or `undefined` to leave one unset (the API's default applies). */
  env?: Record<string, string | undefined>;
}): Promise<Running> {
  if (!fs.existsSync(BACKEND_MAIN)) {
    throw new Error('backend is not built: run `npx nx run backend:build` (nx test does it)');
  }
  const port = options.port ?? (await freePort());
  const child = spawn(process.execPath, [BACKEND_MAIN], {
    cwd: path.dirname(path.dirname(BACKEND_MAIN)),
    env: childEnv({
      DATABASE_URL: options.databaseUrl,
      API_PORT: String(port),
      API_HOST: '127.0.0.1',
      BETTER_AUTH_URL: options.webUrl,
      AUTH_JWKS_URL: `${options.webUrl}/api/auth/jwks`,
      CORS_ORIGINS: options.webUrl,
      ...options.env,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = track(child);
  const url = `http://localhost:${port}`;
  try {
    await waitForHttp(`${url}/api/health`, child, output);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return { url, port, output, stop: () => stopChild(child) };
}
