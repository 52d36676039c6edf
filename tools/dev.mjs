#!/usr/bin/env node
// `npm run dev` (`npm start`: `--prod`): the whole stack on one command. What is ours:
//   1. a root .env, created from .env.example with a fresh secret on first run;
//   2. PostgreSQL: DATABASE_URL when set, else the embedded cluster kept in .data/postgres,
//      held by `tools/postgres.mjs serve` in a process group of its own;
//   3. mail: SMTP_URL when set, else (development only) a local SMTP catcher with a mailbox
//      page (frontend/server/mail-catcher.mjs); `npm start` needs a real SMTP_URL or
//      AUTH_EMAIL=false, as production does;
//   4. the order of shutdown: the apps first, then the catcher and the database.
// Everything else is Nx's (continuous targets, see nx.json and the apps' package.json):
// `nx run-many -t dev` builds the libraries, migrates both schemas (frontend:migrate,
// backend:migrate), starts the libraries' `watch` builds and both apps, prefixes their output
// and stops them. Ctrl-C: the apps stop (in-flight requests finish), then PostgreSQL.
// After a kill -9 of this runner, the PostgreSQL holder notices (its stdin closes) and stops
// the apps and then the cluster; what a crash leaves anyway is cleared on the next start.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { isAlive, stopProcessGroup } from './postgres.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const prod = process.argv.includes('--prod');
const dataDir = path.join(root, '.data');
const stateFile = path.join(dataDir, 'dev-processes.json');
// Nx itself rather than npx: signals then reach Nx, not an npm wrapper around it.
const nxBin = createRequire(import.meta.url).resolve('nx/bin/nx.js');
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

/**
 * The environment of every step: the process environment over the root .env (loaded by
 * @authbridge/config, the apps' own loader, so all agree), blank values dropped, and the
 * ports this runner needs validated with the apps' rule.
 */
async function loadEnvironment() {
  // The loader lives in libs/config: build it first (a cache hit after the first run).
  const build = spawnSync(
    process.execPath,
    [nxBin, 'run', 'config:build', '--outputStyle=static'],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  if (build.status !== 0) fail('building libs/config failed');
  const { loadRootEnv } = await import('@authbridge/config/root-env');
  const { exitOnInvalidEnvironment, parseEnvironment, port } = await import('@authbridge/config');
  const { z } = await import('zod');
  const env = { ...process.env };
  loadRootEnv(env, root);
  for (const key of Object.keys(env)) if (env[key] === '') delete env[key];
  const ports = exitOnInvalidEnvironment(() =>
    parseEnvironment(
      z.object({ WEB_PORT: port(3000), API_PORT: port(3001), EMBEDDED_PG_PORT: port(54329) }),
      env,
    ),
  );
  Object.assign(env, {
    WEB_PORT: String(ports.WEB_PORT),
    API_PORT: String(ports.API_PORT),
    NEXT_TELEMETRY_DISABLED: '1',
    NX_NO_CLOUD: 'true',
    // Nx would load .env itself, with other rules (variable expansion, an empty value wins):
    // the apps' loader above is the one that applies.
    NX_LOAD_DOT_ENV_FILES: 'false',
    NX_TUI: 'false',
  });
  if (prod) env.NODE_ENV = 'production';
  checkLocalOrigin(env, 'BETTER_AUTH_URL', 'WEB_PORT', ports.WEB_PORT);
  checkLocalOrigin(env, 'NEXT_PUBLIC_API_URL', 'API_PORT', ports.API_PORT);
  return { env, embeddedPort: ports.EMBEDDED_PG_PORT };
}

/**
 * A port changed without its origin (or the reverse) gives sign-in pages that post to nothing
 * or tokens whose issuer the API refuses. On localhost the two must agree; behind a proxy
 * (another host name) they may differ.
 */
function checkLocalOrigin(env, urlName, portName, port) {
  if (!env[urlName]) return;
  let url;
  try {
    url = new URL(env[urlName]);
  } catch {
    return; // the app's own schema names a malformed URL
  }
  if (!['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) return;
  const urlPort = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  if (urlPort !== port) {
    fail(
      `${urlName} (${env[urlName]}) and ${portName} (${port}) disagree: on localhost, set ${urlName} to ${url.protocol}//${url.hostname}:${port}, or ${portName} to ${urlPort}.`,
    );
  }
}

/** A run killed with SIGKILL together with its PostgreSQL holder leaves its apps running. */
async function clearStaleProcesses() {
  if (!fs.existsSync(stateFile)) return;
  let state = {};
  try {
    state = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
  } catch {
    /* unreadable: nothing to clean */
  }
  if (state.apps && isAlive(-state.apps)) {
    say(`stopping the apps left running by an earlier run (process group ${state.apps})`);
    await stopProcessGroup(state.apps);
  }
  for (const group of state.groups ?? []) {
    if (group !== state.apps && isAlive(-group)) await stopProcessGroup(group);
  }
  if (state.database && isAlive(state.database)) {
    say(`stopping the PostgreSQL holder left by an earlier run (pid ${state.database})`);
    await stopProcessGroup(state.database);
  }
  // A postmaster that outlived both is cleared by tools/postgres.mjs when the cluster starts.
  fs.rmSync(stateFile, { force: true });
}

/** `tools/postgres.mjs serve`, in its own process group: the terminal's Ctrl-C skips it. */
function startDatabase(port) {
  const holder = spawn(
    process.execPath,
    [
      'tools/postgres.mjs',
      'serve',
      path.join(dataDir, 'postgres'),
      '--port',
      String(port),
      '--database',
      'authbridge',
    ],
    { cwd: root, detached: true, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const messages = readline.createInterface({ input: holder.stdout });
  const next = (key) =>
    new Promise((resolve, reject) => {
      const onLine = (line) => {
        try {
          const message = JSON.parse(line);
          if (key in message) {
            messages.off('line', onLine);
            resolve(message[key]);
          }
        } catch {
          /* not a message */
        }
      };
      messages.on('line', onLine);
      holder.once('exit', () => reject(new Error('the PostgreSQL holder exited')));
    });
  return {
    pid: holder.pid,
    url: next('url'),
    stopAfter: (pgid) => holder.stdin.write(`after ${pgid}\n`),
    stop: async () => {
      if (holder.exitCode !== null) return;
      const stopped = next('stopped').catch(() => {});
      holder.stdin.write('stop\n');
      await stopped;
    },
  };
}

async function waitFor(url) {
  while (!shuttingDown) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
      if (response.status < 500) return true;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

let shuttingDown = false;
let apps;
let database;
let mailCatcher;

const MAIL_OFF = new Set(['false', '0', 'off', 'no']);

/**
 * No SMTP_URL in development: a local catcher, so password reset and verification mails can
 * be read (its page is printed). In production mode, the app's env schema refuses to start
 * without SMTP_URL; say so before building anything.
 */
async function setUpMail(env) {
  if (
    env.SMTP_URL ||
    MAIL_OFF.has(
      String(env.AUTH_EMAIL ?? '')
        .trim()
        .toLowerCase(),
    )
  )
    return;
  if (prod) {
    fail(
      'npm start runs in production mode, where mail must really be sent: set SMTP_URL and MAIL_FROM in .env (or AUTH_EMAIL=false to run without password reset and email verification).',
    );
  }
  const { startMailCatcher } = await import('../frontend/server/mail-catcher.mjs');
  // The usual catcher ports when free, else any.
  const listen = async (smtpPort, httpPort) => startMailCatcher({ smtpPort, httpPort });
  mailCatcher = await listen(1025, 1080).catch(() => listen(0, 0));
  env.SMTP_URL = mailCatcher.smtpUrl;
  env.MAIL_FROM ??= 'authbridge (dev) <no-reply@localhost>';
  say(`no SMTP_URL: mails go to a local catcher; read them at ${mailCatcher.webUrl}`);
}

async function shutdown(code) {
  if (shuttingDown) return;
  shuttingDown = true;
  if (apps && isAlive(-apps.pid)) {
    say('stopping the apps (in-flight requests finish first)...');
    // Nx stops its tasks gracefully on SIGTERM (leaves of each process tree first); what
    // is still in the group once Nx has exited gets SIGTERM, then SIGKILL.
    try {
      process.kill(apps.pid, 'SIGTERM');
    } catch {
      /* gone */
    }
    if (apps.exitCode === null) await new Promise((resolve) => apps.once('exit', resolve));
    await stopProcessGroup(apps.pid);
    say('apps stopped');
  }
  if (mailCatcher) await mailCatcher.stop();
  if (database) {
    say('stopping PostgreSQL...');
    await database.stop();
    say('embedded PostgreSQL stopped (data kept in .data/postgres)');
  }
  fs.rmSync(stateFile, { force: true });
  process.exit(code);
}

/**
 * Process groups below `pid` (Linux, from /proc; elsewhere none). Nx starts some tasks (the
 * `watch` builds) in groups of their own: if Nx itself is SIGKILLed they outlive the apps'
 * group, so the next start needs their ids.
 */
function descendantGroups(pid) {
  if (!fs.existsSync('/proc/self/stat')) return [];
  const parentOf = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // pid (comm) state ppid pgrp ...: comm may hold spaces, so read after the last ')'.
      const fields = fs
        .readFileSync(`/proc/${entry}/stat`, 'utf8')
        .split(')')
        .pop()
        .trim()
        .split(' ');
      parentOf.set(Number(entry), { ppid: Number(fields[1]), pgrp: Number(fields[2]) });
    } catch {
      /* exited meanwhile */
    }
  }
  const below = (p) => (p === pid ? true : p > 1 && parentOf.has(p) && below(parentOf.get(p).ppid));
  const groups = new Set();
  for (const [p, { pgrp }] of parentOf) if (p !== pid && below(p)) groups.add(pgrp);
  return [...groups];
}

function saveState() {
  const groups = apps ? descendantGroups(apps.pid) : [];
  fs.writeFileSync(stateFile, JSON.stringify({ apps: apps?.pid, database: database?.pid, groups }));
}

async function main() {
  ensureEnvFile();
  const { env, embeddedPort } = await loadEnvironment();
  fs.mkdirSync(dataDir, { recursive: true });
  await clearStaleProcesses();
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => shutdown(0));
  await setUpMail(env);

  if (env.DATABASE_URL) {
    say('using the PostgreSQL of DATABASE_URL');
  } else {
    database = startDatabase(embeddedPort);
    saveState();
    env.DATABASE_URL = await database.url;
    say(
      `embedded PostgreSQL ready on port ${new URL(env.DATABASE_URL).port} (data in .data/postgres)`,
    );
  }
  if (shuttingDown) return;

  const target = prod ? 'start' : 'dev';
  say(
    `nx run-many -t ${target} -p backend frontend (builds, migrations, ${prod ? 'apps' : 'watch builds, apps'})`,
  );
  // A process group of its own, so Ctrl-C reaches the apps through Nx, in order, and the
  // output piped (not a terminal), so Nx runs its tasks as plain children in that group.
  apps = spawn(
    process.execPath,
    [
      nxBin,
      'run-many',
      '-t',
      target,
      '-p',
      'backend',
      'frontend',
      '--outputStyle=stream',
      '--parallel=8',
    ],
    { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  apps.stdout.pipe(process.stdout);
  apps.stderr.pipe(process.stderr);
  database?.stopAfter(apps.pid);
  saveState();
  apps.on('exit', (code) => {
    if (!shuttingDown) {
      say(`the apps exited (${code}); stopping the rest`);
      shutdown(code || 1);
    }
  });

  const [apiUp, webUp] = await Promise.all([
    waitFor(`http://127.0.0.1:${env.API_PORT}/api/health`),
    waitFor(`http://127.0.0.1:${env.WEB_PORT}/`),
  ]);
  if (apiUp && webUp) {
    say(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s:`);
    say(`  web  http://localhost:${env.WEB_PORT}`);
    say(
      `  API  http://localhost:${env.API_PORT}/api  (docs: http://localhost:${env.API_PORT}/api/docs)`,
    );
    if (mailCatcher) say(`  mail ${mailCatcher.webUrl}  (every mail the app sends, dev only)`);
    say('Ctrl-C stops everything.');
    saveState();
  }
}

main().catch((error) => {
  console.error(error);
  shutdown(1);
});
