#!/usr/bin/env node
// Where the time of one route goes against another's: `npm run profile -w bench` (after a
// build; `npm run bench` builds). Starts the same server process as run.mjs, loads each route
// alone while the server records a CPU profile (100-µs sampling), and prints the server's
// self time per function in µs per request, side by side, largest differences first.
//
// Routes compared: `public` (no header), `public-header` (the same route with the very
// Authorization header protected-warm sends: what the header alone costs to parse) and
// `protected-warm` (/api/me behind the guard, one token reused). Rounds alternate the routes
// so a machine that slows down does not favour one.
//
// Every route gets the same request rate (PROFILE_RATE, default 600 req/s, below what a busy
// 2-core machine serves): at full speed a slower route also batches fewer requests per
// socket write and event-loop turn, which would inflate its per-request I/O costs and
// blur the comparison of the work itself.
//
// PROFILE_SECONDS: seconds of load per route and round (default 5); PROFILE_ROUNDS (default 2).
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { startServer } from './server-process.mjs';

const SECONDS = Number(process.env.PROFILE_SECONDS || 5);
const ROUNDS = Number(process.env.PROFILE_ROUNDS || 2);
const RATE = Number(process.env.PROFILE_RATE || 600);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 32);
const log = (text) => console.error(`[profile] ${text}`);

const server = await startServer({ onProgress: (text) => log(`server: ${text}`) });
process.once('SIGINT', () => server.stop().finally(() => process.exit(130)));
const token = await server.call('token', { alg: 'EdDSA' });
const authorization = `Bearer ${token}`;
const routes = [
  { name: 'public', path: '/api/bench/public', headers: {} },
  { name: 'public-header', path: '/api/bench/public', headers: { authorization } },
  { name: 'protected-warm', path: '/api/me', headers: { authorization } },
];

const load = (route, seconds) =>
  autocannon({
    url: server.apiUrl + route.path,
    connections: CONNECTIONS,
    duration: seconds,
    overallRate: RATE,
    headers: route.headers,
  });

/** Self time (µs) per function of a V8 CPU profile, keyed `name file:line`. */
function selfTimes(profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map();
  profile.samples.forEach((id, i) => {
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    const file = url
      ? url
          .replace(/^.*node_modules\//, '')
          .replace(/^file:\/\/.*?\/(?=[^/]+\/src|backend|libs|bench)/, '')
      : '';
    const key = `${functionName || '(anonymous)'} ${file}${file ? `:${lineNumber + 1}` : ''}`;
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  return totals;
}

log(`warming every route up (${SECONDS} s each)`);
for (const route of routes) await load(route, SECONDS);

const perRequest = routes.map(() => new Map());
const requests = routes.map(() => 0);
for (let round = 0; round < ROUNDS; round++) {
  for (const [i, route] of routes.entries()) {
    await server.call('profileStart');
    const result = await load(route, SECONDS);
    const file = await server.call('profileStop');
    const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
    if (result.non2xx || result.errors)
      log(`! ${route.name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    requests[i] += result.requests.total;
    for (const [key, us] of selfTimes(profile)) {
      perRequest[i].set(key, (perRequest[i].get(key) ?? 0) + us);
    }
    log(`round ${round + 1}: ${route.name} ${Math.round(result.requests.average)} req/s`);
  }
}
await server.stop();

const keys = new Set(perRequest.flatMap((totals) => [...totals.keys()]));
const rows = [...keys]
  .filter((key) => key.startsWith('(idle)') === false)
  .map((key) => {
    const us = perRequest.map((totals, i) => (totals.get(key) ?? 0) / requests[i]);
    return { key, us, diff: us[us.length - 1] - us[0] };
  });
const total = (i) => rows.reduce((sum, row) => sum + row.us[i], 0);
const fmt = (n) => n.toFixed(1).padStart(7);
console.log(
  `Server CPU (non-idle) per request: ${routes.map((r, i) => `${r.name} ${total(i).toFixed(1)} µs`).join(', ')}` +
    ` (${ROUNDS} × ${SECONDS} s per route at ${RATE} req/s, ${CONNECTIONS} connections)`,
);
/** Which part of the stack a function belongs to. */
function area(key) {
  const file = key.slice(key.lastIndexOf(' ') + 1);
  if (file.startsWith('libs/nest-auth')) return 'nest-auth';
  if (file.startsWith('@nestjs/')) return file.split('/').slice(0, 2).join('/');
  if (file.startsWith('backend') || file.startsWith('bench')) return 'backend + bench routes';
  if (file.startsWith('node:')) return 'Node (JS)';
  if (file === '' || key.startsWith('(')) return key.startsWith('(') ? key.split(' ')[0] : 'native';
  return file.split('/')[0].startsWith('@')
    ? file.split('/').slice(0, 2).join('/')
    : file.split('/')[0];
}
const areas = new Map();
for (const row of rows) {
  const name = area(row.key);
  const sums = areas.get(name) ?? routes.map(() => 0);
  row.us.forEach((u, i) => (sums[i] += u));
  areas.set(name, sums);
}
console.log(
  `${routes.map((r) => r.name.padStart(14)).join(' ')}   warm−public  area (self time, µs/request)`,
);
for (const [name, us] of [...areas].sort(
  (a, b) => Math.abs(b[1].at(-1) - b[1][0]) - Math.abs(a[1].at(-1) - a[1][0]),
)) {
  console.log(
    `${us.map((u) => fmt(u).padStart(14)).join(' ')}   ${fmt(us.at(-1) - us[0])}      ${name}`,
  );
}
console.log('');
console.log(
  `${routes.map((r) => r.name.padStart(14)).join(' ')}   warm−public  function (self time, µs/request)`,
);
for (const row of rows.sort((a, b) => Math.abs(b.diff) - Math.abs(a.diff)).slice(0, 40)) {
  console.log(
    `${row.us.map((u) => fmt(u).padStart(14)).join(' ')}   ${fmt(row.diff)}      ${row.key}`,
  );
}
process.exit(0);
