// The Better Auth side of `npm run bench`, in a process of its own (server.mjs forks it), as
// in production, where Better Auth lives in the web app and never in the API's process: it
// switches AsyncLocalStorage on for its whole process, which taxes every promise there.
//
// It holds Better Auth (configured as the web app configures it) on its own origin, which is
// the `iss`/`aud` the backend trusts, with the JWKS endpoint the backend fetches
// (/api/auth/jwks, counted) and /api/auth/token (counted); the TestIssuer keys the bench mints
// its many tokens with; and the session-lookup app (the backend's modules +
// @thallesp/nestjs-better-auth: that row is, by definition, Better Auth in the Nest process).
//
// Keys: the JWKS holds Better Auth's own key (created at start-up, used by /api/auth/token in
// the browser path) and two TestIssuer keys (EdDSA and RS256, the same `iss`/`aud` as Better
// Auth), from which the bench mints the ≥10 000 distinct tokens of the cold scenarios in a
// second, where minting them through Better Auth would need a session and a private-key
// decrypt per token. The verification path in the backend is the same for both.
//
// Driven over IPC by server.mjs, in the same style: `{ type: 'ready', ... }`, then one reply
// per command. It does not own PostgreSQL (server.mjs does).
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { answerCommands, betterAuthGlobal } from './server-process.mjs';

process.env.NODE_ENV = 'production';
const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const progress = (text) => process.send?.({ type: 'progress', text });
const pg = (await import('pg')).default;
const { freePort } = await import('../tools/postgres.mjs');

const databaseUrl = process.env.BENCH_DATABASE_URL;
const authPort = await freePort();
const origin = `http://127.0.0.1:${authPort}`;

// Better Auth, configured as the web app configures it (JWT plugin, the API's claims only,
// no JWT on every session check), without the rate limiter, which would turn the
// benchmark's thousands of /token calls per second into 429s.
const { betterAuth } = await import('better-auth');
const { jwt } = await import('better-auth/plugins');
const { getMigrations } = await import('better-auth/db/migration');
const { toNodeHandler } = await import('better-auth/node');
const authPool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
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
progress('auth: creating the Better Auth schema and its signing key');
await (await getMigrations(auth.options)).runMigrations();
const betterAuthKeys = (await auth.api.getJwks()).keys; // one key, before any traffic

// The libraries' dist/ is needed from here on: server.mjs sends `built` once it is there.
await new Promise((resolve, reject) => {
  process.on('message', (message) => message?.cmd === 'built' && resolve());
  process.once('disconnect', () => reject(new Error('the API process left before the build')));
});
const { TestIssuer } = require('@authbridge/nest-auth/testing');
const issuers = {
  EdDSA: await TestIssuer.create({ issuer: origin }),
  RS256: await TestIssuer.create({ issuer: origin, alg: 'RS256' }),
};
const trusted = JSON.stringify({
  keys: [...betterAuthKeys, ...issuers.EdDSA.jwks.keys, ...issuers.RS256.jwks.keys],
});

// Better Auth's endpoints on its origin, as the web app serves them: the JWKS the backend
// trusts (Better Auth's key and the TestIssuer keys) and the rest of Better Auth, counted.
const counts = { jwks: 0, token: 0 };
const betterAuthHandler = toNodeHandler(auth);
const authServer = createServer((req, res) => {
  if (req.url === '/api/auth/jwks') {
    counts.jwks++;
    return void res.writeHead(200, { 'content-type': 'application/json' }).end(trusted);
  }
  if (!req.url.startsWith('/api/auth/')) return void res.writeHead(404).end();
  if (req.url.startsWith('/api/auth/token')) counts.token++;
  betterAuthHandler(req, res);
});
await new Promise((resolve) => authServer.listen(authPort, '127.0.0.1', resolve));

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

/**
 * The session-lookup app: the backend's AppModule (the config server.mjs loaded, after its
 * migrations) with @thallesp/nestjs-better-auth's guard on one route, configured as main.ts
 * configures the backend.
 */
let sessionApp;
async function startSessionApp({ env }) {
  const dist = (file) => path.join(root, 'backend/dist', file);
  const { AppModule } = require(dist('app.module.js'));
  const { configureApp } = require(dist('app.setup.js'));
  const { loadConfig } = require(dist('config/index.js'));
  const { Module } = require('@nestjs/common');
  const { NestFactory } = require('@nestjs/core');
  const { createSessionBenchModule } = require('./bench-routes.cjs');
  const sessionModule = await import('@thallesp/nestjs-better-auth');
  const config = loadConfig(env);
  config.auth.algorithms = ['EdDSA', 'RS256'];
  class SessionAppModule {}
  Module({
    imports: [
      AppModule.forRoot(config),
      createSessionBenchModule({ betterAuth: auth, sessionModule }),
    ],
  })(SessionAppModule);
  sessionApp = await NestFactory.create(SessionAppModule, { bodyParser: false, logger: ['error'] });
  configureApp(sessionApp, config);
  const port = await freePort();
  await sessionApp.listen(port, '127.0.0.1');
  return `http://127.0.0.1:${port}`;
}

let session;
let stopping;
const commands = {
  counts: () => ({ ...counts }),
  // This process's CPU time (Better Auth, the JWKS, the session-lookup app), microseconds.
  cpu: () => {
    const { user, system } = process.cpuUsage();
    return user + system;
  },
  token: ({ alg = 'EdDSA', sub = 'bench-caller', sid = randomUUID() }) =>
    issuers[alg].sign({ sub, sid, email: 'caller@bench.test', name: 'Bench Caller' }),
  mint: ({ alg = 'EdDSA', count }) => mintTokens(alg, count),
  session: async () => (session ??= await signUp()),
  startSessionApp,
  stop: () =>
    (stopping ??= (async () => {
      await sessionApp?.close();
      const closed = new Promise((resolve) => authServer.close(resolve));
      authServer.closeAllConnections(); // the backends' keep-alive JWKS connections
      await closed;
      await authPool.end();
      return true;
    })()),
};

answerCommands(commands);
// The API process went away: it owns PostgreSQL; this one only has to go.
process.on('disconnect', () => commands.stop().finally(() => process.exit(1)));
// Ctrl-C reaches the whole process group: this process is stopped by the API process (a
// `stop`, or the channel closing as it exits), so a request in flight still gets answered.
process.on('SIGINT', () => {});

process.send({
  type: 'ready',
  authUrl: origin,
  jwksUrl: `${origin}/api/auth/jwks`,
  // The positive control of server.mjs's check: Better Auth ran here, so its global is set.
  betterAuthLoaded: betterAuthGlobal() !== undefined,
});
