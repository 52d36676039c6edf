// The guard's own cost per request, apart from HTTP and Nest's router: JwtAuthGuard.canActivate
// on a cached token (the protected-warm path) and on a @Public() route, called in a loop on
// one fake request per call. Run by run.mjs after the load scenarios, in its own process;
// prints one JSON line. Costs are this process's CPU time per call (process.cpuUsage, so the
// crypto on libuv's thread pool counts too), not wall time: on a busy machine, waiting for a
// core would otherwise dominate.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
require('reflect-metadata');
const { Controller, Get, Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { ExecutionContextHost } = require('@nestjs/core/helpers/execution-context-host');
const { AuthModule, JwtAuthGuard, Public } = require('@authbridge/nest-auth');
const { TestIssuer } = require('@authbridge/nest-auth/testing');

class Routes {
  me() {}
  open() {}
}
for (const [key, decorators] of [
  ['me', [Get('me')]],
  ['open', [Get('open'), Public()]],
]) {
  const descriptor = Object.getOwnPropertyDescriptor(Routes.prototype, key);
  for (const d of decorators) d(Routes.prototype, key, descriptor);
}
Controller()(Routes);

const issuer = await TestIssuer.create();
class GuardModule {}
Module({ imports: [AuthModule.forRoot(issuer.moduleOptions())], controllers: [Routes] })(
  GuardModule,
);
const app = await NestFactory.createApplicationContext(GuardModule, { logger: false });
const guard = app.get(JwtAuthGuard);
const header = `Bearer ${await issuer.sign({ sub: 'bench' })}`;

/** CPU microseconds (user + system, every thread) since `from`. */
const cpuSince = (from) => {
  const { user, system } = process.cpuUsage(from);
  return user + system;
};

const contextFor = (handler) => {
  const req = { headers: { authorization: header }, rawHeaders: ['authorization', header] };
  const host = new ExecutionContextHost([req, {}, () => {}], Routes, handler);
  host.setType('http');
  return host;
};

async function perCall(handler, calls) {
  const start = process.cpuUsage();
  for (let i = 0; i < calls; i++) {
    const allowed = guard.canActivate(contextFor(handler));
    if (allowed !== true && (await allowed) !== true) throw new Error('the guard refused');
  }
  return cpuSince(start) / calls;
}

await perCall(Routes.prototype.me, 20_000); // warm-up: key import, cache fill, JIT
await perCall(Routes.prototype.open, 20_000);
const calls = 50_000;
const warmUs = await perCall(Routes.prototype.me, calls);
const publicUs = await perCall(Routes.prototype.open, calls);
const emptyUs = await (async () => {
  const start = process.cpuUsage();
  for (let i = 0; i < calls; i++) contextFor(Routes.prototype.me);
  return cpuSince(start) / calls;
})();

// The cold path: a new token per call, through the guard and through jose alone (what the
// naive-jose row does per request), alternated in rounds on separate fresh tokens so that
// neither side always runs first (GC after minting, JIT); medians of the rounds.
const rounds = 3;
const perRound = 400;
const coldCalls = rounds * perRound;
const mint = (n) =>
  Promise.all(Array.from({ length: n }, (_, i) => issuer.sign({ sub: `cold-${i}` })));
const [forGuard, forJose] = [await mint(coldCalls), await mint(coldCalls)];
const { createLocalJWKSet, jwtVerify } = await import('jose');
const localKeys = createLocalJWKSet(issuer.jwks);
const joseOptions = { issuer: issuer.issuer, audience: issuer.audience, algorithms: ['EdDSA'] };
async function coldPerCall(tokens, verifyOne) {
  const start = process.cpuUsage();
  for (const token of tokens) await verifyOne(token);
  return cpuSince(start) / tokens.length;
}
const throughGuard = async (token) => {
  const req = { headers: { authorization: `Bearer ${token}` } };
  const host = new ExecutionContextHost([req, {}, () => {}], Routes, Routes.prototype.me);
  host.setType('http');
  if ((await guard.canActivate(host)) !== true) throw new Error('the guard refused');
};
const throughJose = (token) => jwtVerify(token, localKeys, joseOptions);
// Warm-up of both sides (key import, JIT) on tokens of their own.
const [warmGuard, warmJose] = [await mint(300), await mint(300)];
for (const token of warmGuard) await throughGuard(token);
for (const token of warmJose) await throughJose(token);
const guardRounds = [];
const joseRounds = [];
for (let r = 0; r < rounds; r++) {
  const slice = (tokens) => tokens.slice(r * perRound, (r + 1) * perRound);
  const order = r % 2 ? ['jose', 'guard'] : ['guard', 'jose'];
  for (const side of order) {
    if (side === 'guard') guardRounds.push(await coldPerCall(slice(forGuard), throughGuard));
    else joseRounds.push(await coldPerCall(slice(forJose), throughJose));
  }
}
const middle = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const guardColdUs = middle(guardRounds);
const joseColdUs = middle(joseRounds);
await app.close();
process.stdout.write(
  `${JSON.stringify({
    calls,
    // Net of building the fake context; never below zero (timer noise on a busy machine).
    warmUs: Math.max(0, warmUs - emptyUs),
    publicUs: Math.max(0, publicUs - emptyUs),
    contextUs: emptyUs,
    coldCalls,
    guardColdUs,
    joseColdUs,
  })}\n`,
);
