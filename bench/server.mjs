// The server side of `npm run bench`, in a process of its own (run.mjs forks it; autocannon
// never shares this event loop): the built backend (backend/dist, NODE_ENV=production) with
// the bench-only routes of bench-routes.cjs beside it, a PostgreSQL (embedded unless
// DATABASE_URL is set, then a fresh database on that server), Better Auth in the Nest
// process (@thallesp/nestjs-better-auth), and the JWKS endpoint the backend trusts.
//
// Keys: the JWKS served to the backend holds Better Auth's own key (created at start-up, used
// by /api/auth/token in the browser path) and two TestIssuer keys (EdDSA and RS256, the same
// `iss`/`aud` as Better Auth), from which the bench mints the ≥10 000 distinct tokens of the
// cold scenarios in a second, where minting them through Better Auth would need a session
// and a private-key decrypt per token. The verification path in the backend is the same
// for both: a compact JWS whose `kid` is in the trusted key set.
//
// Driven over IPC: it answers `{ type: 'ready', ... }`, then one reply per command.
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { createServer } from 'node:http';
import { Session } from 'node:inspector/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

process.env.NODE_ENV = 'production';
const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const progress = (text) => process.send?.({ type: 'progress', text });

// With BENCH_AWAIT_BUILD=1, run.mjs builds the backend while this process starts PostgreSQL
// and Better Auth, and sends `built` when backend/dist is ready (or goes away if it failed).
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

// Everything after PostgreSQL is up: a failure there must not leave the cluster running.
async function serve() {
  const apiPort = await freePort();
  const origin = `http://127.0.0.1:${apiPort}`;

  // Better Auth, configured as the web app configures it (JWT plugin, the API's claims only,
  // no JWT on every session check), without the rate limiter, which would turn the
  // benchmark's thousands of /token calls per second into 429s.
  const { betterAuth } = await import('better-auth');
  const { jwt } = await import('better-auth/plugins');
  const { getMigrations } = await import('better-auth/db/migration');
  const authPool = new pg.Pool({ connectionString: database.url, max: 10 });
  authPool.on('error', () => {});
  const auth = betterAuth({
    appName: 'authbridge-bench',
    database: authPool,
    secret: randomBytes(32).toString('hex'),
    baseURL: origin,
    basePath: '/api/auth',
    emailAndPassword: { enabled: true, autoSignIn: true },
    rateLimit: { enabled: false },
    plugins: [
      jwt({
        jwt: {
          issuer: origin,
          audience: origin,
          expirationTime: '15m',
          // As the web app's: the API's claims, and `sid` so revocation can find the session.
          definePayload: ({ user, session }) => ({
            email: user.email,
            name: user.name,
            ...(session?.id ? { sid: session.id } : {}),
          }),
        },
        disableSettingJwtHeader: true,
      }),
    ],
  });
  progress('creating the Better Auth schema and its signing key');
  await (await getMigrations(auth.options)).runMigrations();
  const betterAuthKeys = (await auth.api.getJwks()).keys; // one key, before any traffic

  await built; // from here on, the libraries' and the backend's dist/ are needed
  const { TestIssuer } = require('@authbridge/nest-auth/testing');
  const issuers = {
    EdDSA: await TestIssuer.create({ issuer: origin }),
    RS256: await TestIssuer.create({ issuer: origin, alg: 'RS256' }),
  };
  const trusted = JSON.stringify({
    keys: [...betterAuthKeys, ...issuers.EdDSA.jwks.keys, ...issuers.RS256.jwks.keys],
  });
  const counts = { jwks: 0, token: 0 };
  const jwksServer = createServer((req, res) => {
    if (req.url !== '/api/auth/jwks') return void res.writeHead(404).end();
    counts.jwks++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(trusted);
  });
  await new Promise((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  const jwksUrl = `http://127.0.0.1:${jwksServer.address().port}/api/auth/jwks`;

  progress('starting the backend (production build) with the bench routes');
  const dist = (file) => path.join(root, 'backend/dist', file);
  const { AppModule } = require(dist('app.module.js'));
  const { configureApp } = require(dist('app.setup.js'));
  const { loadConfig } = require(dist('config/index.js'));
  const { migrateDatabase } = require(dist('database/run-migrations.js'));
  const { Module } = require('@nestjs/common');
  const { NestFactory } = require('@nestjs/core');
  const { createBenchModule, createSessionBenchModule } = require('./bench-routes.cjs');
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
    BETTER_AUTH_URL: origin,
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

  const { toNodeHandler } = await import('better-auth/node');
  const betterAuthHandler = toNodeHandler(auth);
  const libs = { jose: await import('jose'), oauth2: require('express-oauth2-jwt-bearer') };
  const sessionModule = await import('@thallesp/nestjs-better-auth');

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

  const app = await startApp(
    createBenchModule({ issuer: origin, jwksUrl, libs }),
    apiPort,
    (nest) =>
      // Better Auth's own endpoints on the API's origin (in the real stack they are the web
      // app's): the browser path's GET /api/auth/token, counted. Other paths go on untouched.
      nest.use((req, res, next) => {
        if (!req.url.startsWith('/api/auth/')) return next();
        if (req.url.startsWith('/api/auth/token')) counts.token++;
        betterAuthHandler(req, res);
      }),
  );
  const sessionPort = await freePort();
  const revocationOffPort = await freePort();
  // Started together: each waits mostly on its own database connections.
  const [sessionApp, revocationOffApp] = await Promise.all([
    startApp(createSessionBenchModule({ betterAuth: auth, sessionModule }), sessionPort),
    // Only the backend's own routes: the row measures /api/me there.
    startApp(createEmptyModule(), revocationOffPort, undefined, revocationOffConfig),
  ]);

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

  /** Writes `count` distinct tokens (one a line) to a temp file; returns its path. */
  async function mintTokens(alg, count) {
    const issuer = issuers[alg];
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'authbridge-bench-')), 'tokens');
    const lines = [];
    // WebCrypto signs on libuv's thread pool: a batch in flight keeps every core busy.
    const batch = 64;
    for (let i = 0; i < count; i += batch) {
      const size = Math.min(batch, count - i);
      const signed = await Promise.all(
        Array.from({ length: size }, (_, k) =>
          issuer.sign({
            sub: `user-${(i + k) % 9999}`,
            sid: randomUUID(),
            email: `u${i + k}@bench.test`,
            name: 'U',
          }),
        ),
      );
      lines.push(...signed);
      if (Math.floor((i + size) / 10_000) > Math.floor(i / 10_000)) {
        progress(`  minted ${i + size} of ${count} ${alg} tokens`);
      }
    }
    fs.writeFileSync(file, lines.join('\n'));
    return file;
  }

  async function signUp() {
    const response = await auth.api.signUpEmail({
      body: { email: 'caller@bench.test', password: 'bench-password-123', name: 'Bench Caller' },
      asResponse: true,
    });
    if (!response.ok) throw new Error(`sign-up failed: ${response.status}`);
    return response.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ');
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

  let session;
  let stopping;
  const commands = {
    counts: () => ({ ...counts }),
    // This process's CPU time (both apps, Better Auth, the JWKS server), microseconds.
    cpu: () => {
      const { user, system } = process.cpuUsage();
      return user + system;
    },
    token: ({ alg = 'EdDSA', sub = 'bench-caller', sid = randomUUID() }) =>
      issuers[alg].sign({
        sub,
        sid,
        email: 'caller@bench.test',
        name: 'Bench Caller',
      }),
    mint: ({ alg = 'EdDSA', count }) => mintTokens(alg, count),
    seed: ({ rows }) => seedTasks(rows),
    revoke: ({ count }) => revokeSessions(count),
    session: async () => (session ??= await signUp()),
    profileStart,
    profileStop,
    stop: () =>
      (stopping ??= (async () => {
        await Promise.all([app.close(), sessionApp.close(), revocationOffApp.close()]);
        await new Promise((resolve) => jwksServer.close(resolve));
        await Promise.all([tasksPool.end(), authPool.end()]);
        await database.teardown();
        return true;
      })()),
  };

  process.on('message', async ({ id, cmd, ...args }) => {
    try {
      const result = await commands[cmd](args);
      process.send({ id, result });
      if (cmd === 'stop') process.exit(0);
    } catch (error) {
      process.send({ id, error: String(error?.stack ?? error) });
    }
  });
  // The harness died: do not leave PostgreSQL behind.
  process.on('disconnect', () => commands.stop().finally(() => process.exit(1)));

  process.send({
    type: 'ready',
    apiUrl: origin,
    sessionUrl: `http://127.0.0.1:${sessionPort}`,
    revocationOffUrl: `http://127.0.0.1:${revocationOffPort}`,
    jwksUrl,
    pid: process.pid,
  });
}

serve().catch(async (error) => {
  console.error(`[bench server] ${error?.stack ?? error}`);
  await database.teardown().catch(() => {});
  process.exit(1);
});
