// The server side of `npm run bench`: the API under test, in a process of its own (run.mjs
// forks it; autocannon never shares this event loop): the built backend (backend/dist,
// NODE_ENV=production) with the bench-only JWT routes of bench-routes.cjs beside it, a second
// backend with AUTH_REVOCATION=off, and a PostgreSQL (embedded unless DATABASE_URL is set, then
// a fresh database on that server), which this process owns.
//
// Better Auth runs in another process (auth-server.mjs, forked from here), as in production,
// where it lives in the web app: Better Auth switches AsyncLocalStorage on for its whole
// process, which would tax every promise of the API under test. That process serves the JWKS
// the backend trusts, /api/auth/token, the tokens the bench mints, and the session-lookup
// app. This process checks at start-up that no Better Auth got in here, and says so.
//
// Driven over IPC: it answers `{ type: 'ready', ... }`, then one reply per command (those of
// the Better Auth side are passed on to it).
import fs from 'node:fs';
import os from 'node:os';
import http from 'node:http';
import { Session } from 'node:inspector/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { answerCommands, betterAuthTraces, forkServer } from './server-process.mjs';

process.env.NODE_ENV = 'production';
const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const progress = (text) => process.send?.({ type: 'progress', text });

// With BENCH_AWAIT_BUILD=1, run.mjs builds the backend while this process starts PostgreSQL
// and the Better Auth process, and sends `built` when backend/dist is ready (or goes away if it failed).
const built =
  process.env.BENCH_AWAIT_BUILD === '1'
    ? new Promise((resolve, reject) => {
        process.on('message', (message) => message?.cmd === 'built' && resolve());
        process.once('disconnect', () => reject(new Error('the harness left before the build')));
      })
    : Promise.resolve();
built.catch(() => {}); // awaited (and reported) in serve()

const { useTestDatabase, freePort } = await import('../tools/postgres.mjs');
const pg = (await import('pg')).default;

progress('starting PostgreSQL (embedded unless DATABASE_URL is set)');
const database = await useTestDatabase('bench');

// Stops the Better Auth process once it is forked (on success, failure and disconnect).
let stopAuth = async () => {};

// Everything after PostgreSQL is up: a failure there must not leave the cluster running.
async function serve() {
  const apiPort = await freePort();

  // The Better Auth process, on the database, while the build goes on; it needs the
  // libraries' dist/ for its TestIssuer keys, so it waits for `built` too. Its Node flags are
  // this process's (BENCH_CPU_PROF: each process writes its own profile).
  const authProcess = forkServer('auth-server.mjs', {
    onProgress: progress,
    execArgv: process.execArgv,
    env: { ...process.env, BENCH_DATABASE_URL: database.url },
  });
  let authReady = false;
  authProcess.ready.then(() => (authReady = true));
  stopAuth = async () => {
    if (authProcess.child.exitCode !== null) return;
    // Before `ready` it takes no command yet, and holds nothing that needs closing.
    if (!authReady) return void authProcess.child.kill();
    await authProcess.call('stop').catch(() => authProcess.child.kill());
  };
  await built;
  authProcess.child.send({ cmd: 'built' });
  const { authUrl, jwksUrl } = await authProcess.ready;
  progress('starting the backend (production build) with the bench routes');
  const dist = (file) => path.join(root, 'backend/dist', file);
  const { AppModule } = require(dist('app.module.js'));
  const { configureApp } = require(dist('app.setup.js'));
  const { loadConfig } = require(dist('config/index.js'));
  const { migrateDatabase } = require(dist('database/run-migrations.js'));
  const { Module } = require('@nestjs/common');
  const { NestFactory } = require('@nestjs/core');
  const { createBenchModule } = require('./bench-routes.cjs');
  const createEmptyModule = () => {
    class NoBenchRoutes {}
    Module({})(NoBenchRoutes);
    return NoBenchRoutes;
  };

  const env = {
    NODE_ENV: 'production',
    DATABASE_URL: database.url,
    API_HOST: '127.0.0.1',
    API_PORT: String(apiPort),
    BETTER_AUTH_URL: authUrl,
    AUTH_JWKS_URL: jwksUrl,
  };
  const config = loadConfig(env);
  config.auth.algorithms = ['EdDSA', 'RS256']; // Better Auth's default, and the RS256 rows
  // The same backend with AUTH_REVOCATION=off, for the row that prices revocation over HTTP.
  const revocationOffConfig = loadConfig({ ...env, AUTH_REVOCATION: 'off' });
  revocationOffConfig.auth.algorithms = config.auth.algorithms;
  await migrateDatabase(config);
  // The backend runs with revocation on (its default: a PostgreSQL source on DATABASE_URL);
  // the web app creates the revocations table in production, the bench does it here.
  const { postgresRevocationTableSql } = require('@authbridge/nest-auth');
  {
    const ddl = new pg.Client({ connectionString: database.url });
    await ddl.connect();
    await ddl.query(postgresRevocationTableSql());
    await ddl.end();
  }

  const libs = { jose: await import('jose'), oauth2: require('express-oauth2-jwt-bearer') };

  /**
   * The backend's AppModule with `extra` beside it, configured as main.ts configures it.
   * `before` adds Express middleware ahead of everything else.
   */
  async function startApp(extra, port, before = () => {}, appConfig = config) {
    class BenchAppModule {}
    Module({ imports: [AppModule.forRoot(appConfig), extra] })(BenchAppModule);
    const nest = await NestFactory.create(BenchAppModule, { bodyParser: false, logger: ['error'] });
    before(nest);
    configureApp(nest, appConfig);
    await nest.listen(port, '127.0.0.1');
    return nest;
  }

  // The browser path's GET /api/auth/token on the API's origin, passed on to the Better Auth
  // process: autocannon keeps one connection per client, so a page's two requests (token,
  // then /api/me) go to one origin. The hop costs this process a little on that row only;
  // every other path goes on untouched.
  const toAuth = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const authTarget = new URL(authUrl);
  const forwardToAuth = (req, res) => {
    const upstream = http.request(
      {
        host: authTarget.hostname,
        port: authTarget.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent: toAuth,
      },
      (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.headersSent || res.writeHead(502).end());
    req.pipe(upstream);
  };

  const app = await startApp(
    createBenchModule({ issuer: authUrl, jwksUrl, libs }),
    apiPort,
    (nest) =>
      nest.use((req, res, next) =>
        req.url.startsWith('/api/auth/') ? forwardToAuth(req, res) : next(),
      ),
  );
  const revocationOffPort = await freePort();
  // Started together: each waits mostly on its own database connections. The session-lookup
  // app runs in the Better Auth process, on the same configuration as this backend.
  const [sessionUrl, revocationOffApp] = await Promise.all([
    authProcess.call('startSessionApp', { env }),
    // Only the backend's own routes: the row measures /api/me there.
    startApp(createEmptyModule(), revocationOffPort, undefined, revocationOffConfig),
  ]);

  // The API under test runs without Better Auth: nothing of it was loaded here, and its
  // global (set once a Better Auth instance runs, with its AsyncLocalStorage) is not set.
  const traces = betterAuthTraces(require.cache);
  if (traces.modules.length || traces.global) {
    throw new Error(
      `Better Auth got into the API process: ${traces.modules.slice(0, 3).join(', ')}` +
        (traces.global ? ' (its global is set)' : ''),
    );
  }
  const betterAuthCheck =
    `API process: Better Auth not loaded (no module of better-auth, @better-auth or @thallesp ` +
    `among ${Object.keys(require.cache).length} loaded, its global unset); ` +
    `Better Auth process: ${(await authProcess.ready).betterAuthLoaded ? 'its global set' : 'its global NOT set'}`;

  const tasksPool = new pg.Pool({ connectionString: database.url, max: 2 });
  tasksPool.on('error', () => {});

  /** Rows in `tasks`: the caller owns 100, the rest belong to 9 999 other users. */
  async function seedTasks(rows) {
    await tasksPool.query('TRUNCATE tasks');
    // Filling the table without its list index and its primary key (random UUIDs) and
    // building both once afterwards is several times faster than maintaining them row by
    // row; both are the migration's own, rebuilt with the same names and columns.
    await tasksPool.query('DROP INDEX IF EXISTS "IDX_tasks_user_created"');
    await tasksPool.query('ALTER TABLE tasks DROP CONSTRAINT IF EXISTS "PK_tasks"');
    await tasksPool.query(
      `INSERT INTO tasks (user_id, title, created_at)
       SELECT 'bench-caller', 'Caller task ' || i, now() - i * interval '1 second'
       FROM generate_series(1, 100) AS i`,
    );
    const others = rows - 100;
    const chunk = 100_000;
    for (let done = 0; done < others; done += chunk) {
      const size = Math.min(chunk, others - done);
      await tasksPool.query(
        `INSERT INTO tasks (user_id, title, created_at)
         SELECT 'user-' || (i % 9999), 'Task ' || i, now() - (i % 86400) * interval '1 second'
         FROM generate_series($1::int, $2::int) AS i`,
        [done + 1, done + size],
      );
      if (others > chunk) progress(`  tasks: ${done + size + 100} of ${rows} rows`);
    }
    if (others > chunk) progress('  tasks: building the primary key and the list index');
    await tasksPool.query('ALTER TABLE tasks ADD CONSTRAINT "PK_tasks" PRIMARY KEY ("id")');
    await tasksPool.query(
      'CREATE INDEX "IDX_tasks_user_created" ON "tasks" ("user_id", "created_at", "id")',
    );
    await tasksPool.query('ANALYZE tasks');
    // The plan of the list's query (what TaskStore.page sends), so a slow row can be told
    // apart from a missing index at a glance.
    const { rows: plan } = await tasksPool.query(
      `EXPLAIN SELECT * FROM tasks WHERE user_id = 'bench-caller'
       ORDER BY created_at DESC, id DESC LIMIT 21`,
    );
    progress(
      `  plan: ${plan
        .map((row) => row['QUERY PLAN'].trim())
        .slice(0, 2)
        .join(' / ')}`,
    );
  }

  /**
   * `count` revoked sessions (none of them the bench's callers), as Better Auth's sign-out
   * publishes them: a row in the table and a NOTIFY the backend's source listens to.
   */
  async function revokeSessions(count) {
    await tasksPool.query(
      `INSERT INTO auth_revocation (kind, subject, revoked_at, expires_at)
       SELECT 'session', 'revoked-' || i, now(), now() + interval '15 minutes'
       FROM generate_series(1, $1::int) AS i`,
      [count],
    );
    await tasksPool.query(
      `SELECT pg_notify('auth_revocation', json_build_object(
         'kind', 'session', 'id', 'revoked-' || i,
         'at', (extract(epoch FROM now()) * 1000)::bigint)::text)
       FROM generate_series(1, $1::int) AS i`,
      [count],
    );
    return count;
  }

  // A CPU profile of this process between profileStart and profileStop (bench/profile.mjs):
  // one window per route, so two routes' profiles can be compared function by function.
  let inspector;
  async function profileStart() {
    if (!inspector) {
      inspector = new Session();
      inspector.connect();
    }
    await inspector.post('Profiler.enable');
    await inspector.post('Profiler.setSamplingInterval', { interval: 100 });
    await inspector.post('Profiler.start');
    return true;
  }
  async function profileStop() {
    const { profile } = await inspector.post('Profiler.stop');
    await inspector.post('Profiler.disable');
    const file = path.join(
      fs.mkdtempSync(path.join(os.tmpdir(), 'authbridge-prof-')),
      'cpuprofile',
    );
    fs.writeFileSync(file, JSON.stringify(profile));
    return file;
  }

  let stopping;
  const commands = {
    // The JWKS fetches and /api/auth/token calls, counted where they are served.
    counts: () => authProcess.call('counts'),
    // CPU time (microseconds) of each process: `api` (both backends and the bench's JWT
    // routes), `auth` (Better Auth, the JWKS, the session-lookup app).
    cpu: async () => {
      const { user, system } = process.cpuUsage();
      return { api: user + system, auth: await authProcess.call('cpu') };
    },
    token: (args) => authProcess.call('token', args),
    mint: (args) => authProcess.call('mint', args),
    seed: ({ rows }) => seedTasks(rows),
    revoke: ({ count }) => revokeSessions(count),
    session: () => authProcess.call('session'),
    profileStart,
    profileStop,
    stop: () =>
      (stopping ??= (async () => {
        await Promise.all([app.close(), revocationOffApp.close()]);
        toAuth.destroy();
        await stopAuth();
        await tasksPool.end();
        await database.teardown();
        return true;
      })()),
  };

  answerCommands(commands);
  // The harness died: do not leave PostgreSQL behind.
  process.on('disconnect', () => commands.stop().finally(() => process.exit(1)));

  process.send({
    type: 'ready',
    apiUrl: `http://127.0.0.1:${apiPort}`,
    sessionUrl,
    revocationOffUrl: `http://127.0.0.1:${revocationOffPort}`,
    authUrl,
    jwksUrl,
    betterAuthCheck,
    pid: process.pid,
  });
}

serve().catch(async (error) => {
  console.error(`[bench server] ${error?.stack ?? error}`);
  await stopAuth().catch(() => {});
  await database.teardown().catch(() => {});
  process.exit(1);
});
