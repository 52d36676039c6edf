// The cost of the module's global guards per request, in process, without HTTP (not a test;
// a few seconds): Nest's own guard loop (GuardsConsumer) run over the app's global guards
// on a fresh request object each time, for a @Public() route and for an authenticated route
// whose token is in the verified-token cache. Less noisy than the HTTP benchmark on a busy
// machine, and it isolates what this library adds to a request.
// Run after a build: `node bench/guard-hot-path.bench.mjs [path/to/dist]`.
// BENCH_ITERATIONS (default 200 000) per round, BENCH_ROUNDS (default 5). BENCH_REVOCATION=1
// turns revocation on (the test issuer's in-memory source, 10 000 revoked sessions and 1 000
// revoked users in the list), to compare the cached path with it and without it.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
require('reflect-metadata');
const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(process.argv[2] ?? path.join(here, '../dist'));
const { Controller, Get, Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { GuardsConsumer } = require('@nestjs/core/guards/guards-consumer.js');
const { AuthModule, CurrentUser, Public } = require(path.join(dist, 'index.js'));
const { TestIssuer } = require(path.join(dist, 'testing/index.js'));

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

class BenchController {
  open() {
    return { ok: true };
  }
  me(user) {
    return { id: user.id };
  }
}
const decorate = (key, ...decorators) => {
  const descriptor = Object.getOwnPropertyDescriptor(BenchController.prototype, key);
  for (const d of decorators.reverse()) d(BenchController.prototype, key, descriptor);
};
decorate('open', Get('public'), Public());
decorate('me', Get('me'));
CurrentUser()(BenchController.prototype, 'me', 0);
Controller()(BenchController);

const issuer = await TestIssuer.create();
class AppModule {}
const revocation = process.env.BENCH_REVOCATION === '1';
const options = issuer.moduleOptions(revocation ? { revocation: issuer.revocations } : {});
Module({ imports: [AuthModule.forRoot(options)], controllers: [BenchController] })(AppModule);
const app = await NestFactory.create(AppModule, { logger: false });
await app.init();
if (revocation) {
  for (let i = 0; i < 10_000; i++) issuer.revokeSession(`revoked-session-${i}`);
  for (let i = 0; i < 1_000; i++) issuer.revokeUser(`revoked-user-${i}`);
}
console.log(`revocation: ${revocation ? 'on (10 000 sessions, 1 000 users revoked)' : 'off'}`);
const guards = app.config.getGlobalGuards();
const consumer = new GuardsConsumer();
const authorization = `Bearer ${await issuer.sign({ sub: 'bench' })}`;
const rawHeaders = [
  'Host',
  '127.0.0.1',
  'Connection',
  'keep-alive',
  'Authorization',
  authorization,
];
const response = { setHeader() {} };

async function run(handler, withToken) {
  const started = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i++) {
    // A new request object each time, as Express gives: nothing cached on it carries over.
    const request = withToken
      ? { headers: { host: '127.0.0.1', authorization }, rawHeaders, params: {} }
      : { headers: { host: '127.0.0.1' }, rawHeaders: rawHeaders.slice(0, 4), params: {} };
    const ok = await consumer.tryActivate(
      guards,
      [request, response, () => undefined],
      app.get(BenchController),
      handler,
      'http',
    );
    if (!ok) throw new Error('denied');
  }
  return Number(process.hrtime.bigint() - started) / ITERATIONS;
}

const results = { public: [], authenticated: [] };
await run(BenchController.prototype.me, true); // warm-up: JIT, verifying the token once
for (let round = 0; round < ROUNDS; round++) {
  results.public.push(await run(BenchController.prototype.open, false));
  results.authenticated.push(await run(BenchController.prototype.me, true));
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(
  JSON.stringify({
    dist: path.relative(process.cwd(), dist) || '.',
    guards: guards.length,
    'public ns/request': Math.round(median(results.public)),
    'authenticated, cached token ns/request': Math.round(median(results.authenticated)),
  }),
);
await app.close();
