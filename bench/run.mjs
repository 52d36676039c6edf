#!/usr/bin/env node
// `npm run bench`: what auth costs per request, measured on the whole API and side by side
// with the other ways of doing it. Not a test: it prints numbers and asserts nothing.
//
// 1. Builds the backend (and the libraries) in production mode, while it
// 2. forks server.mjs: the built backend + bench-only routes + PostgreSQL, in a process of
//    its own, which forks auth-server.mjs: Better Auth (its JWKS, /api/auth/token, the
//    session-lookup app) in a third, so the API under test runs without it, as in
//    production. This process only generates load (autocannon, loopback).
// 3. Warms the public route up until its throughput is stable, then for each scenario:
//    a warm-up, then PAIRS alternated runs (public baseline, then the scenario). The ratio
//    is taken within each pair; the table shows the median ratio and its spread.
// 4. Prints the machine and the table, writes bench/results/latest.json.
//
// BENCH_DURATION: seconds of measurement per scenario, split over its runs (default 10).
// BENCH_CONNECTIONS: concurrent connections (default 32). BENCH_PAIRS: pairs per scenario (3).
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { startServer } from './server-process.mjs';

const require = createRequire(import.meta.url);
const { isStable, median, round, summarizePairs } = require('./stats.cjs');
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const started = Date.now();

function positiveNumber(name, fallback, { integer = false } = {}) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    console.error(`${name} must be a positive ${integer ? 'integer' : 'number'} (got "${raw}")`);
    process.exit(2);
  }
  return value;
}

const DURATION = positiveNumber('BENCH_DURATION', 10);
const CONNECTIONS = positiveNumber('BENCH_CONNECTIONS', 32, { integer: true });
// BENCH_PAIRS: more pairs narrow the spread on a busy machine (at least 3, as the issue asks).
const PAIRS = Math.max(3, positiveNumber('BENCH_PAIRS', 3, { integer: true }));
const SCENARIOS = [
  'protected-warm',
  'protected-warm-revocation-off',
  'protected-cold',
  'naive-jose',
  'oauth2-jwt-bearer',
  'session-lookup',
  'protected-cold-rs256',
  'protected-warm-revoked-10k',
  'protected-cold-revoked-10k',
  'browser-path',
  'browser-path-reused',
  'tasks-list-1k',
  'tasks-list-1m',
];
// BENCH_ONLY=protected-warm,naive-jose: only these rows (with the public baseline), e.g. to
// profile one scenario with BENCH_CPU_PROF.
const ONLY = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',').map((n) => n.trim()) : null;
for (const name of ONLY ?? []) {
  if (!SCENARIOS.includes(name)) {
    console.error(`BENCH_ONLY: unknown scenario "${name}"; known: ${SCENARIOS.join(', ')}`);
    process.exit(2);
  }
}
const wanted = (name) => !ONLY || ONLY.includes(name);
// autocannon measures whole seconds (a shorter run still lasts one), hence runs of at least
// 1 s. A quick run (BENCH_DURATION below 3 s a row) skips the warm-up of each scenario (the
// public route still warms up) so the whole bench fits in a few minutes: its ratios are rough.
const RUN_SECONDS = Math.max(1, DURATION / PAIRS);
const WARMUP_SECONDS = 1;
const QUICK = DURATION / PAIRS < 1;
const COLD_TOKENS_MIN = 10_000;
const JWKS_COOLDOWN_MS = 30_000; // nest-auth's default jwks.cooldownMs, which the backend keeps

const log = (text) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0)}s] ${text}`);

// --- machine -------------------------------------------------------------------------
const cpus = os.cpus();
const machine = {
  cores: cpus.length,
  cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
  node: process.version,
  platform: `${os.platform()} ${os.release()}`,
  memoryGb: round(os.totalmem() / 2 ** 30, 1),
  loadAverage1m: round(os.loadavg()[0], 2),
  durationSeconds: DURATION,
  connections: CONNECTIONS,
  pairs: PAIRS,
};
log(
  `${machine.cores} cores (${machine.cpuModel}), Node ${machine.node}, load ${machine.loadAverage1m}; ` +
    `${DURATION}s per scenario in ${PAIRS} runs of ${round(RUN_SECONDS, 1)}s, ${CONNECTIONS} connections`,
);
if (QUICK) {
  log(
    'a quick run: runs of 1 s, no warm-up per scenario, at most 3 for the public route; ' +
      'its ratios are rough (BENCH_DURATION=10, the default, for figures to quote)',
  );
}

// --- build and server process -----------------------------------------------------------
// The server process starts PostgreSQL and the Better Auth process while the backend builds;
// both load the build's dist/ once it is done.
log('building the backend and the libraries (production build, Nx cache allowed)');
log('starting the server processes (backend + PostgreSQL, Better Auth) meanwhile');
const build = () =>
  new Promise((resolve, reject) => {
    const nx = spawn(
      'npx',
      ['nx', 'run-many', '-t', 'build', '-p', 'backend', 'web-auth', '--outputStyle=static'],
      {
        cwd: root,
        stdio: ['ignore', 'ignore', 'inherit'],
        env: { ...process.env, NX_DAEMON: 'false' },
      },
    );
    nx.once('error', reject);
    nx.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`the build failed (exit code ${code})`));
      log('build done');
      resolve();
    });
  });
// BENCH_CPU_PROF=<dir>: each server process (the API, Better Auth) writes a V8 CPU profile
// there when it stops (open it in Chrome DevTools or VS Code) to see where a scenario's time goes.
const profileDir = process.env.BENCH_CPU_PROF;
const {
  apiUrl,
  sessionUrl,
  revocationOffUrl,
  authUrl,
  betterAuthCheck,
  call: callServer,
  stop: stopServer,
} = await startServer({
  onProgress: (text) => log(`server: ${text}`),
  execArgv: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profileDir)}`] : [],
  build,
});
// Ctrl-C reaches every process of the group (PostgreSQL too), so the servers' calls in flight
// fail: after it, they never settle, and the handler stops the servers and exits 130.
let interrupted = false;
process.once('SIGINT', () => {
  interrupted = true;
  stopServer().finally(() => process.exit(130));
});
const call = (cmd, args) =>
  callServer(cmd, args).catch((error) =>
    interrupted ? new Promise(() => {}) : Promise.reject(error),
  );
log(betterAuthCheck);

// --- load ------------------------------------------------------------------------------
/** A token source: a fixed header, or each token of a pool once, in order, across runs. */
function pool(tokens) {
  let next = 0;
  return {
    take: () => tokens[next++ % tokens.length],
    get used() {
      return next;
    },
    size: tokens.length,
  };
}

/**
 * One autocannon run. `how` is `{ headers }` for a fixed request, `{ tokens }` for a pool
 * of tokens (one per request), or `{ requests, perIteration }` for a chain of requests;
 * `how.cpu` names the process whose CPU time the row counts: 'api' (the default: the API
 * under test), 'auth' (the Better Auth process, which serves session-lookup) or 'both'.
 */
async function measure(route, how = {}, seconds = RUN_SECONDS) {
  const url = route.startsWith('http') ? route : apiUrl + route;
  const requests =
    how.requests ??
    (how.tokens
      ? [
          {
            setupRequest: (req) => ({
              ...req,
              headers: { ...req.headers, authorization: `Bearer ${how.tokens.take()}` },
            }),
          },
        ]
      : undefined);
  const cpuBefore = await call('cpu');
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    headers: how.headers ?? {},
    requests,
  });
  const cpuAfter = await call('cpu');
  const cpuOf = (cpu) =>
    ({ api: cpu.api, auth: cpu.auth, both: cpu.api + cpu.auth })[how.cpu ?? 'api'];
  const cpuUsed = cpuOf(cpuAfter) - cpuOf(cpuBefore);
  const perIteration = how.perIteration ?? 1;
  const iterations = result.requests.total / perIteration;
  return {
    rps: iterations / result.duration,
    cpuUs: iterations > 0 ? cpuUsed / iterations : undefined,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

const PUBLIC = { route: '/api/bench/public', how: {} };
const baselineRuns = [];

log('warming the public route up until its throughput is stable (±5% over 3 runs)');
{
  const rates = [];
  const most = QUICK ? 3 : 6;
  while (!isStable(rates, { window: 3, tolerance: 0.05 }) && rates.length < most) {
    rates.push((await measure(PUBLIC.route, PUBLIC.how, WARMUP_SECONDS)).rps);
  }
  log(
    `  public: ${rates.map((r) => Math.round(r)).join(' → ')} req/s` +
      (isStable(rates) ? ' (stable)' : ` (not stable after ${most} runs: the machine is busy)`),
  );
}

const rows = [];
const problems = [];

/** Warm-up, then PAIRS × (public, scenario); adds a row. */
async function scenario(name, route, how) {
  if (!wanted(name)) return undefined;
  log(`${name}: ${QUICK ? '' : 'warm-up, then '}${PAIRS} pairs (public, ${name})`);
  if (!QUICK) await measure(route, how, WARMUP_SECONDS);
  const pairs = [];
  for (let i = 0; i < PAIRS; i++) {
    const base = await measure(PUBLIC.route, PUBLIC.how);
    const run = await measure(route, how);
    baselineRuns.push(base);
    if (run.non2xx || run.errors) {
      problems.push(`${name}: ${run.non2xx} non-2xx answers, ${run.errors} errors in one run`);
    }
    pairs.push({ base, run });
  }
  const summary = summarizePairs(pairs);
  rows.push({ name, ...summary });
  log(
    `  ${name}: ${Math.round(summary.rps)} req/s, ratio ${summary.ratioToPublic.toFixed(2)} ` +
      `±${summary.ratioSpread.toFixed(2)} (public ${Math.round(summary.baseRps)} req/s)`,
  );
  return summary;
}

const bearer = (token) => ({ headers: { authorization: `Bearer ${token}` } });
const coldTokensFor = (rps) =>
  Math.max(COLD_TOKENS_MIN, Math.ceil(rps * (WARMUP_SECONDS + PAIRS * RUN_SECONDS) * 1.3));
async function loadPool(alg, count, forScenario) {
  if (!wanted(forScenario)) return pool(['']);
  log(`minting ${count} distinct ${alg} tokens (each used once)`);
  const file = await call('mint', { alg, count });
  const tokens = fs.readFileSync(file, 'utf8').split('\n');
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  return pool(tokens);
}
function checkPool(name, tokens) {
  if (tokens.used > tokens.size) {
    problems.push(`${name}: ${tokens.used} requests for ${tokens.size} tokens: some were reused`);
  }
}

const callerToken = await call('token', { alg: 'EdDSA' });
const callerRsaToken = await call('token', { alg: 'RS256' });

// The revocation-off app fetches the key set once too: before the count below starts.
await fetch(`${revocationOffUrl}/api/me`, bearer(callerToken));
// 2-3: the JWKS fetches the backend makes while serving them (expected: its first one).
const jwksBefore = (await call('counts')).jwks;
const warm = await scenario('protected-warm', '/api/me', bearer(callerToken));
// The same request to the same backend started with AUTH_REVOCATION=off (a second app in the
// server process): what revocation costs a warm request over HTTP.
await scenario('protected-warm-revocation-off', `${revocationOffUrl}/api/me`, bearer(callerToken));
const coldPool = await loadPool('EdDSA', coldTokensFor(warm?.rps ?? 0), 'protected-cold');
await scenario('protected-cold', '/api/me', { tokens: coldPool });
checkPool('protected-cold', coldPool);
const jwksFetchesWarmCold =
  wanted('protected-warm') || wanted('protected-cold')
    ? (await call('counts')).jwks - jwksBefore
    : null;

await scenario('naive-jose', '/api/bench/naive-jose', bearer(callerToken));
await scenario('oauth2-jwt-bearer', '/api/bench/oauth2-jwt-bearer', bearer(callerRsaToken));

const cookie = await call('session');
// Its own app (the backend's modules + @thallesp/nestjs-better-auth) in the Better Auth
// process, measured against the backend's public route like every other row; its CPU is
// that process's.
await scenario('session-lookup', `${sessionUrl}/api/bench/session`, {
  headers: { cookie },
  cpu: 'auth',
});

const rsaPool = await loadPool('RS256', coldTokensFor(warm?.rps ?? 0), 'protected-cold-rs256');
await scenario('protected-cold-rs256', '/api/me', { tokens: rsaPool });
checkPool('protected-cold-rs256', rsaPool);

// 7: revocation. Every row runs with revocation on, as the backend runs by default (a
// PostgreSQL source; the bench's tokens carry a `sid`). These two add 10 000 revoked sessions
// to the set the guard checks on every request.
const skipped = [];
if (wanted('protected-warm-revoked-10k') || wanted('protected-cold-revoked-10k')) {
  log('revoking 10 000 sessions (rows + NOTIFY, as sign-out publishes them)');
  await call('revoke', { count: 10_000 });
  // The set is really in force: a token of the last revoked session is refused once its
  // NOTIFY arrived (they arrive in order, so every other one did too). At most 5 s.
  const revoked = await call('token', { sid: 'revoked-10000' });
  let status;
  for (let waited = 0; waited < 5_000; waited += 100) {
    status = (await fetch(`${apiUrl}/api/me`, { headers: { authorization: `Bearer ${revoked}` } }))
      .status;
    if (status === 401) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (status !== 401) {
    problems.push(`revocation: a revoked session's token got ${status}, not 401, after 5 s`);
  }
}
await scenario('protected-warm-revoked-10k', '/api/me', bearer(callerToken));
const revokedPool = await loadPool(
  'EdDSA',
  coldTokensFor(warm?.rps ?? 0),
  'protected-cold-revoked-10k',
);
await scenario('protected-cold-revoked-10k', '/api/me', { tokens: revokedPool });
checkPool('protected-cold-revoked-10k', revokedPool);

// 8: a page in the browser: Better Auth signs a JWT (/api/auth/token), then one API call;
// against the same call with the token the token manager keeps for 15 minutes. In the load,
// the token request goes through the API's origin (autocannon keeps one origin per
// connection), which passes it on to the Better Auth process; the row's CPU is both
// processes' (Better Auth's work and that hop, plus /api/me).
const browserToken = await (
  await fetch(`${authUrl}/api/auth/token`, { headers: { cookie } })
).json();
await scenario('browser-path', '/api/me', {
  cpu: 'both',
  perIteration: 2,
  requests: [
    {
      method: 'GET',
      path: '/api/auth/token',
      headers: { cookie },
      onResponse: (status, body, context) => {
        context.token = status === 200 ? JSON.parse(body).token : 'none';
      },
    },
    {
      method: 'GET',
      path: '/api/me',
      setupRequest: (req, context) => ({
        ...req,
        headers: { ...req.headers, authorization: `Bearer ${context.token}` },
      }),
    },
  ],
});
await scenario('browser-path-reused', '/api/me', bearer(browserToken.token));

// 9: the task list, the caller owning 100 tasks, at two table sizes.
for (const [name, rowsInTable] of [
  ['tasks-list-1k', 1_000],
  ['tasks-list-1m', 1_000_000],
]) {
  if (!wanted(name)) continue;
  log(`seeding ${rowsInTable} tasks of 10 000 users (generate_series)`);
  await call('seed', { rows: rowsInTable });
  await scenario(name, '/api/users/bench-caller/tasks', bearer(callerToken));
}

// Counts. A flood of tokens whose `kid` nobody knows: nest-auth refetches at most 3 times in
// a row, then once per cooldown.
const floodSeconds = DURATION;
log(`kid flood: ${floodSeconds}s of tokens with random kids`);
const [, payload, signature] = callerToken.split('.');
const floodTokens = Array.from({ length: 50_000 }, () => {
  const header = Buffer.from(JSON.stringify({ alg: 'EdDSA', kid: randomUUID() })).toString(
    'base64url',
  );
  return `${header}.${payload}.${signature}`;
});
const jwksBeforeFlood = (await call('counts')).jwks;
await measure('/api/me', { tokens: pool(floodTokens) }, floodSeconds);
const jwksFetchesKidFlood = (await call('counts')).jwks - jwksBeforeFlood;

log('token manager: 100 concurrent API calls through libs/web-auth');
const webAuth = await import(pathToFileURL(path.join(root, 'libs/web-auth/dist/index.js')).href);
const tokenManager = webAuth.createTokenManager({
  fetchToken: async () =>
    (await (await fetch(`${authUrl}/api/auth/token`, { headers: { cookie } })).json()).token,
});
const client = webAuth.createApiClient({
  baseURL: `${apiUrl}/api`,
  tokenManager,
  onUnauthenticated: () => problems.push('token manager: a call came back unauthenticated'),
});
const tokensBefore = (await call('counts')).token;
await Promise.all(Array.from({ length: 100 }, () => client.get('/me')));
const tokenFetchesFor100Calls = (await call('counts')).token - tokensBefore;

await stopServer();

log('the guard alone: JwtAuthGuard.canActivate in a loop (bench/guard-path.mjs)');
const guardPath = JSON.parse(
  execFileSync(process.execPath, [path.join(here, 'guard-path.mjs')], { encoding: 'utf8' }),
);

// --- report ----------------------------------------------------------------------------
const publicRow = {
  name: 'public',
  rps: median(baselineRuns.map((r) => r.rps)),
  p50Ms: median(baselineRuns.map((r) => r.p50)),
  p99Ms: median(baselineRuns.map((r) => r.p99)),
  cpuUs: median(baselineRuns.map((r) => r.cpuUs ?? 0)),
  baseCpuUs: median(baselineRuns.map((r) => r.cpuUs ?? 0)),
  ratioToPublic: 1,
  ratioSpread: 0,
};
const all = [publicRow, ...rows];
const counts = { jwksFetchesWarmCold, jwksFetchesKidFlood, tokenFetchesFor100Calls };

console.log(
  `\nMachine: ${machine.cores} cores, ${machine.cpuModel}, ${machine.memoryGb} GB, Node ${machine.node}, ` +
    `load average at start ${machine.loadAverage1m}; ${betterAuthCheck}`,
);
console.log(
  `${DURATION}s per scenario (${PAIRS} pairs of ${round(RUN_SECONDS, 1)}s), ${CONNECTIONS} connections\n`,
);
console.table(
  Object.fromEntries(
    all.map((row) => [
      row.name,
      {
        'req/s': Math.round(row.rps),
        'p50 ms': row.p50Ms,
        'p99 ms': row.p99Ms,
        'vs public': `${row.ratioToPublic.toFixed(2)} ±${row.ratioSpread.toFixed(2)}`,
        'server CPU µs/req': row.cpuUs === undefined ? '' : Math.round(row.cpuUs),
        'CPU − public': row.cpuUs === undefined ? '' : Math.round(row.cpuUs - row.baseCpuUs),
      },
    ]),
  ),
);
console.log(
  `JwtAuthGuard.canActivate alone: ${guardPath.warmUs.toFixed(2)} µs per call on a cached token, ` +
    `${guardPath.publicUs.toFixed(2)} µs on a @Public() route (${guardPath.calls} calls, loop in one process); ` +
    `a new token per call: ${guardPath.guardColdUs.toFixed(0)} µs through the guard, ` +
    `${guardPath.joseColdUs.toFixed(0)} µs through jose's jwtVerify alone (${guardPath.coldCalls} calls each)`,
);
if (skipped.length) console.log(`Skipped: ${skipped.join(', ')}`);
console.log(
  `JWKS fetches during protected-warm + protected-cold: ${jwksFetchesWarmCold ?? 'not run'} (expected 1)`,
);
console.log(
  `JWKS fetches during a ${floodSeconds}s flood of random kids: ${jwksFetchesKidFlood} ` +
    `(expected at most ${3 + Math.floor((floodSeconds * 1000) / JWKS_COOLDOWN_MS)}: 3, then one per ${JWKS_COOLDOWN_MS / 1000}s cooldown)`,
);
console.log(
  `Token fetches by the web-auth token manager for 100 concurrent calls: ${tokenFetchesFor100Calls} (expected 1)`,
);

// The goals, as ratios measured in this run.
const byName = Object.fromEntries(all.map((row) => [row.name, row]));
const goal = (text, met) => ({ text, met });
const ratio = (name) => byName[name]?.ratioToPublic;
const goals = [
  ['protected-warm ≥ 0.95 of public', ['protected-warm'], () => ratio('protected-warm') >= 0.95],
  [
    'protected-cold ≥ naive-jose',
    ['protected-cold', 'naive-jose'],
    () => ratio('protected-cold') >= ratio('naive-jose'),
  ],
  [
    'protected-cold ≥ 3 × session-lookup',
    ['protected-cold', 'session-lookup'],
    () => ratio('protected-cold') >= 3 * ratio('session-lookup'),
  ],
  [
    'tasks-list p99 at 1 000 000 rows ≤ 2 × p99 at 1 000 rows',
    ['tasks-list-1m', 'tasks-list-1k'],
    () => byName['tasks-list-1m'].p99Ms <= 2 * byName['tasks-list-1k'].p99Ms,
  ],
]
  .filter(([, rowsNeeded]) => rowsNeeded.every((name) => byName[name]))
  .map(([text, , met]) => goal(text, met()));
console.log('Goals (one run; on a busy machine the spread can exceed the margins):');
for (const { text, met } of goals) console.log(`  ${met ? 'met   ' : 'MISSED'} ${text}`);
for (const problem of problems) console.warn(`! ${problem}`);

const result = {
  machine,
  scenarios: all.map((row) => ({
    name: row.name,
    rps: Math.round(row.rps),
    p50Ms: row.p50Ms,
    p99Ms: row.p99Ms,
    ratioToPublic: round(row.ratioToPublic),
  })),
  counts,
  ratioSpread: Object.fromEntries(all.map((row) => [row.name, round(row.ratioSpread)])),
  serverCpuUsPerRequest: Object.fromEntries(
    all.map((row) => [row.name, row.cpuUs === undefined ? null : Math.round(row.cpuUs)]),
  ),
  guardPath: {
    warmUs: round(guardPath.warmUs),
    publicUs: round(guardPath.publicUs),
    coldUs: round(guardPath.guardColdUs),
    joseAloneColdUs: round(guardPath.joseColdUs),
  },
  skipped,
  goals,
  problems,
};
fs.mkdirSync(path.join(here, 'results'), { recursive: true });
fs.writeFileSync(path.join(here, 'results/latest.json'), `${JSON.stringify(result, null, 2)}\n`);
log(`wrote bench/results/latest.json; took ${((Date.now() - started) / 1000).toFixed(0)}s`);
process.exit(0);
