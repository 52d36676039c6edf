// The guard's own cost per request, apart from HTTP and Nest's router: JwtAuthGuard.canActivate
// on a cached token (the protected-warm path) and on a @Public() route, called in a loop on
// one fake request per call. Run by run.mjs after the load scenarios, in its own process;
// prints one JSON line. Only relative sizes matter (the machine may be busy).
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

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

const contextFor = (handler) => {
  const req = { headers: { authorization: header }, rawHeaders: ['authorization', header] };
  const host = new ExecutionContextHost([req, {}, () => {}], Routes, handler);
  host.setType('http');
  return host;
};

async function perCall(handler, calls) {
  const start = performance.now();
  for (let i = 0; i < calls; i++) {
    const allowed = guard.canActivate(contextFor(handler));
    if (allowed !== true && (await allowed) !== true) throw new Error('the guard refused');
  }
  return ((performance.now() - start) * 1000) / calls;
}

await perCall(Routes.prototype.me, 20_000); // warm-up: key import, cache fill, JIT
await perCall(Routes.prototype.open, 20_000);
const calls = 100_000;
const warmUs = await perCall(Routes.prototype.me, calls);
const publicUs = await perCall(Routes.prototype.open, calls);
const emptyUs = await (async () => {
  const start = performance.now();
  for (let i = 0; i < calls; i++) contextFor(Routes.prototype.me);
  return ((performance.now() - start) * 1000) / calls;
})();
await app.close();
process.stdout.write(
  `${JSON.stringify({
    calls,
    // Net of building the fake context; never below zero (timer noise on a busy machine).
    warmUs: Math.max(0, warmUs - emptyUs),
    publicUs: Math.max(0, publicUs - emptyUs),
    contextUs: emptyUs,
  })}\n`,
);
