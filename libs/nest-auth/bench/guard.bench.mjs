// Throughput of the guard, side by side, in one run (not a test; ~1 minute):
//   public route | JwtAuthGuard + verified-token cache | without the cache |
//   a new token on every request | passport-jwt (jsonwebtoken, RS256) vs our guard on RS256.
// Each app is a small Nest 12 Express app in this process; autocannon runs in a child
// process (bench/load.mjs). Run after a build: `npm run bench -w libs/nest-auth`.
// BENCH_DURATION (seconds per scenario, default 5) and BENCH_CONNECTIONS (default 32).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
require('reflect-metadata');
const { Controller, Get, Injectable, Module, UseGuards } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { AuthGuard, PassportModule, PassportStrategy } = require('@nestjs/passport');
const { ExtractJwt, Strategy: PassportJwtStrategy } = require('passport-jwt');
const { createPublicKey } = require('node:crypto');
const { AuthModule, CurrentUser, Public } = require('../dist/index.js');
const { TestIssuer } = require('../dist/testing/index.js');

const here = path.dirname(fileURLToPath(import.meta.url));
const DURATION = Number(process.env.BENCH_DURATION ?? 4);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);

function decorate(target, key, ...decorators) {
  const descriptor = Object.getOwnPropertyDescriptor(target.prototype, key);
  for (const d of decorators.reverse()) d(target.prototype, key, descriptor);
}

class BenchController {
  open() {
    return { ok: true };
  }
  me(user) {
    return { id: user.id };
  }
}
decorate(BenchController, 'open', Get('public'), Public());
decorate(BenchController, 'me', Get('me'));
CurrentUser()(BenchController.prototype, 'me', 0);
Controller()(BenchController);

async function startNest(moduleClass) {
  const app = await NestFactory.create(moduleClass, { logger: false });
  await app.listen(0, '127.0.0.1');
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}

async function authApp(options) {
  class AppModule {}
  Module({ imports: [AuthModule.forRoot(options)], controllers: [BenchController] })(AppModule);
  return startNest(AppModule);
}

async function passportJwtApp(issuer) {
  const pem = createPublicKey({ key: issuer.jwks.keys[0], format: 'jwk' }).export({
    type: 'spki',
    format: 'pem',
  });
  class JwtStrategy extends PassportStrategy(PassportJwtStrategy, 'jwt') {
    constructor() {
      super({
        jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
        secretOrKey: pem,
        issuer: issuer.issuer,
        audience: issuer.audience,
        algorithms: ['RS256'],
      });
    }
    validate(payload) {
      return { id: payload.sub };
    }
  }
  Injectable()(JwtStrategy);
  class PassportController {
    me(req) {
      return { id: req.user.id };
    }
  }
  const { Req } = require('@nestjs/common');
  decorate(PassportController, 'me', Get('me'), UseGuards(AuthGuard('jwt')));
  Req()(PassportController.prototype, 'me', 0);
  Controller()(PassportController);
  class AppModule {}
  Module({
    imports: [PassportModule],
    controllers: [PassportController],
    providers: [JwtStrategy],
  })(AppModule);
  return startNest(AppModule);
}

function load(url, { header, tokensFile } = {}, duration = DURATION) {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [
        path.join(here, 'load.mjs'),
        url,
        String(duration),
        String(CONNECTIONS),
        tokensFile ?? '-',
        header ?? '',
      ],
      { maxBuffer: 1 << 20 },
      (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout))),
    );
  });
}

async function mintTokens(issuer, count) {
  const tokens = [];
  for (let i = 0; i < count; i++) tokens.push(await issuer.sign({ sub: `user-${i}` }));
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nest-auth-bench-')), 'tokens.txt');
  fs.writeFileSync(file, tokens.join('\n'));
  return file;
}

const eddsa = await TestIssuer.create();
const rsa = await TestIssuer.create({ alg: 'RS256' });
const perRequestTokens = Math.max(20_000, (DURATION + 1) * 8_000);
console.log(
  `node ${process.version}, ${os.cpus().length} cores; ${DURATION}s per scenario, ${CONNECTIONS} connections; minting ${perRequestTokens} tokens...`,
);
const eddsaTokens = await mintTokens(eddsa, perRequestTokens);
const eddsaToken = `Bearer ${await eddsa.sign({ sub: 'bench' })}`;
const rsaToken = `Bearer ${await rsa.sign({ sub: 'bench' })}`;

const scenarios = [
  [
    'JwtAuthGuard EdDSA, cache, same token',
    () => authApp(eddsa.moduleOptions()),
    '/me',
    { header: eddsaToken },
  ],
  [
    'JwtAuthGuard EdDSA, no cache, same token',
    () => authApp(eddsa.moduleOptions({ verifiedTokenCache: false })),
    '/me',
    { header: eddsaToken },
  ],
  [
    'JwtAuthGuard EdDSA, cache, new token per request',
    () => authApp(eddsa.moduleOptions()),
    '/me',
    { tokensFile: eddsaTokens },
  ],
  [
    'JwtAuthGuard RS256, no cache, same token',
    () => authApp(rsa.moduleOptions({ verifiedTokenCache: false })),
    '/me',
    { header: rsaToken },
  ],
  [
    'passport-jwt (jsonwebtoken) RS256, same token',
    () => passportJwtApp(rsa),
    '/me',
    { header: rsaToken },
  ],
];

// The machine may be busy (other work, 2 cores): each scenario is measured right after a
// fresh run of the public route, and its ratio is taken against that neighbour.
const publicApp = await authApp(eddsa.moduleOptions());
const rows = [];
for (const [name, start, route, how] of scenarios) {
  const { app, url } = await start();
  await load(url + route, how, 1); // warm-up (JIT, key import, connections)
  const base = await load(`${publicApp.url}/public`, {});
  const result = await load(url + route, how);
  await app.close();
  if (result.non2xx || result.errors) {
    console.warn(`  ! ${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  }
  rows.push({
    scenario: name,
    'req/s': Math.round(result.rps),
    'public req/s': Math.round(base.rps),
    'vs public': (result.rps / base.rps).toFixed(2),
    'p99 ms': result.p99,
  });
  console.log(`  ${name}: ${Math.round(result.rps)} req/s (public: ${Math.round(base.rps)})`);
}
await publicApp.app.close();
console.table(rows);
process.exit(0);
