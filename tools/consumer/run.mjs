#!/usr/bin/env node
// The consumer test: both libraries as our users get them. It
//  1. copies each library's files as a fresh clone has them (no dist) and runs `npm pack` there,
//     so `prepack` must build a complete tarball; checks the tarball's contents;
//  2. creates apps in a temporary folder OUTSIDE the workspace and installs the tarballs into
//     them with `npm install --offline`, the registry set to an unreachable address: every
//     dependency comes from the npm cache, at the workspace lock file's versions (lockfile.mjs);
//  3. runs each app's own checks:
//     - nest-cjs: a NestJS app as `nest new` made them (CommonJS, TypeScript 5, node10
//       resolution, ts-jest config). `npx @authbridge/nest-auth setup` adds auth to it; its sample
//       test, roles/ownership/rotation tests, a type-check, a start-up with a missing variable,
//       and a second setup run that must change nothing;
//     - nest-esm: a Nest 12 ESM app (TypeScript 6, nodenext), node:test on the compiled output;
//     - web-script: @authbridge/web-auth in plain Node;
//     - types: every entry point under TypeScript 5 (node10, node16, bundler) and 6 (nodenext,
//       bundler, node10);
//     - nx: `nx g @authbridge/nest-auth:setup` in a minimal Nx workspace.
// Ends with `N passed, N failed` over those checks. CONSUMER_NODE=/path/to/node runs the apps'
// checks on another Node binary; CONSUMER_KEEP=1 keeps the temporary folder.
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { consumerLock } from './lockfile.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const fixtures = path.join(here, 'apps');
const started = Date.now();
const nodeBin = process.env.CONSUMER_NODE || process.execPath;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'authbridge-consumer-'));
if (!path.relative(root, work).startsWith('..')) throw new Error(`${work} is inside the workspace`);

// The registry the workspace's `npm install` downloaded from: tarball URLs, the cache's keys.
const registry = spawnSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' })
  .stdout.trim()
  .replace(/\/?$/, '/');

// npm never reaches a registry here: a missing cache entry fails the install instead of
// quietly downloading it.
const offlineEnv = {
  ...process.env,
  npm_config_offline: 'true',
  npm_config_replace_registry_host: 'never',
  npm_config_registry: 'http://127.0.0.1:9/',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
  npm_config_loglevel: 'error',
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_SKIP_NX_CACHE: 'true',
  // the apps' Node first, so `npx`, `npm run` and the generator's install use it
  PATH: `${path.dirname(nodeBin)}${path.delimiter}${process.env.PATH}`,
};
for (const name of [
  'NODE_OPTIONS',
  'DATABASE_URL',
  'REDIS_URL',
  'BETTER_AUTH_URL',
  'AUTH_JWKS_URL',
]) {
  delete offlineEnv[name];
}

const results = [];
const log = (line) => console.log(`[consumer] ${line}`);

/** Runs a command; resolves its output, rejects with it on a non-zero exit. */
function run(cmd, args, { cwd, env = offlineEnv, expectFailure = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => {
      // CI may force colour (FORCE_COLOR); checks read plain text.
      output = stripVTControlCharacters(output);
      const failed = code !== 0;
      if (failed === expectFailure) resolve(output);
      else {
        const error = new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${code}\n${output}`);
        reject(error);
      }
    });
  });
}

async function check(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    log(`ok   ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  } catch (error) {
    results.push({ name, ok: false });
    log(`FAIL ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n${error.stack ?? error}`);
    throw error;
  }
}

/** Groups of checks that depend on each other run in order; a failed one skips the rest. */
async function group(fn) {
  try {
    await fn();
  } catch {
    // already reported by check()
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

// ---------------------------------------------------------------------------------------------
// 1. Pack each library from a copy of its files as a clone has them (no dist), under the
//    workspace's node_modules so its build finds the compiler and types; the real dist, which
//    other test suites may be using right now, is never touched.

const packRoot = path.join(root, 'node_modules/.cache/authbridge-consumer', path.basename(work));
const tarballs = {};

function sourceFilesOf(lib) {
  const git = spawnSync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard', lib],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  if (git.status === 0)
    return git.stdout.split('\0').filter((f) => f && fs.existsSync(path.join(root, f)));
  const walk = (dir) =>
    fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
      if (['node_modules', 'dist', 'coverage'].includes(e.name)) return [];
      const rel = path.join(dir, e.name);
      return e.isDirectory() ? walk(rel) : [rel];
    });
  return walk(lib);
}

async function pack(lib, expected) {
  const copy = path.join(packRoot, lib);
  for (const file of sourceFilesOf(lib)) {
    fs.mkdirSync(path.dirname(path.join(packRoot, file)), { recursive: true });
    fs.copyFileSync(path.join(root, file), path.join(packRoot, file));
  }
  fs.copyFileSync(path.join(root, 'tsconfig.base.json'), path.join(packRoot, 'tsconfig.base.json'));
  if (fs.existsSync(path.join(root, lib, 'node_modules'))) {
    fs.symlinkSync(path.join(root, lib, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
  }
  assert(!fs.existsSync(path.join(copy, 'dist')), `${lib}: the copy already has a dist`);
  const dest = path.join(work, 'tarballs');
  fs.mkdirSync(dest, { recursive: true });
  const output = await run('npm', ['pack', '--json', '--pack-destination', dest], {
    cwd: copy,
    env: { ...offlineEnv, npm_config_loglevel: 'error' },
  });
  const [info] = JSON.parse(output.slice(output.indexOf('[')));
  const files = info.files.map((f) => f.path);
  for (const file of expected) assert(files.includes(file), `${lib} tarball lacks ${file}`);
  const stray = files.filter((f) => /\.spec\.|tsbuildinfo|^src\/|^test\/|\.env/.test(f));
  assert(stray.length === 0, `${lib} tarball ships ${stray.join(', ')}`);
  // Source maps must carry their sources: src/ is not shipped.
  const extracted = path.join(work, 'unpacked', info.name);
  fs.mkdirSync(extracted, { recursive: true });
  await run('tar', ['xzf', path.join(dest, info.filename), '-C', extracted], { cwd: work });
  for (const map of files.filter((f) => f.endsWith('.map'))) {
    const { sources, sourcesContent } = JSON.parse(
      fs.readFileSync(path.join(extracted, 'package', map), 'utf8'),
    );
    assert(
      sourcesContent?.length === sources.length &&
        sourcesContent.every((s) => typeof s === 'string'),
      `${lib}: ${map} points at sources it does not carry`,
    );
  }
  tarballs[info.name] = path.join(dest, info.filename);
  return info;
}

// ---------------------------------------------------------------------------------------------
// 2. Apps outside the workspace, installed offline.

const workspaceLock = path.join(root, 'package-lock.json');

/**
 * Copies a fixture app, fills in its dependency versions (`workspace`: the version the workspace
 * lock file has; `tarball`: the packed library) and writes its lock file.
 * `extra` are dependencies to put in the lock file only (what the generator will add).
 */
function createApp(name, { origin = '', extra = {}, copyFrom = name } = {}) {
  const dir = path.join(work, name);
  fs.cpSync(path.join(fixtures, copyFrom), dir, {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}after-setup`),
  });
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const sections = ['dependencies', 'devDependencies'];
  const registryDeps = {};
  const libs = [];
  for (const section of sections) {
    for (const [dep, spec] of Object.entries(manifest[section] ?? {})) {
      if (spec === 'tarball') libs.push(dep);
      else registryDeps[dep] = spec;
    }
  }
  const lockFor = (deps) =>
    consumerLock({
      workspaceLock,
      origin,
      registryDeps: deps,
      appName: manifest.name,
      registry,
      tarballs: libs.map((lib) => ({
        name: lib,
        tarball: tarballs[lib],
        relative: path.relative(dir, tarballs[lib]),
      })),
    });
  const { lock, versions } = lockFor({ ...registryDeps, ...extra });
  for (const section of sections) {
    for (const [dep, spec] of Object.entries(manifest[section] ?? {})) {
      manifest[section][dep] =
        spec === 'tarball' ? `file:${path.relative(dir, tarballs[dep])}` : `^${versions[dep]}`;
    }
  }
  const writeLock = (withExtra) => {
    const { lock: current } = withExtra ? { lock } : lockFor(registryDeps);
    const present = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    current.packages[''] = {
      name: present.name,
      version: present.version,
      dependencies: present.dependencies,
      devDependencies: present.devDependencies,
    };
    fs.writeFileSync(path.join(dir, 'package-lock.json'), `${JSON.stringify(current, null, 2)}\n`);
  };
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeLock(false);
  return { dir, manifest, versions, writeLock };
}

const npmInstall = (dir) =>
  run('npm', ['install', '--offline', '--no-audit', '--no-fund'], { cwd: dir });
const bin = (dir, name) => path.join(dir, 'node_modules/.bin', name);

/** TypeScript over check.ts/check.mts with one module set-up; `tsc` is the app's own. */
async function typeCheck(dir, label, compilerOptions, file) {
  const config = path.join(dir, `tsconfig.types-${label}.json`);
  fs.writeFileSync(
    config,
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        esModuleInterop: true,
        target: 'ES2022',
        lib: ['ES2023', 'DOM'],
        types: [],
        ...compilerOptions,
      },
      files: [file],
    }),
  );
  await run(nodeBin, [bin(dir, 'tsc'), '-p', config], { cwd: dir });
}

function copyTypesCheck(dir) {
  fs.copyFileSync(path.join(fixtures, 'types/check.ts'), path.join(dir, 'types-check.ts'));
  fs.copyFileSync(path.join(fixtures, 'types/check.ts'), path.join(dir, 'types-check.mts'));
}

function snapshot(dir) {
  const hash = crypto.createHash('sha256');
  const walk = (rel) => {
    for (const e of fs
      .readdirSync(path.join(dir, rel), { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))) {
      if (['node_modules', 'dist'].includes(e.name) || e.name.endsWith('.tsbuildinfo')) continue;
      const r = path.join(rel, e.name);
      if (e.isDirectory()) walk(r);
      else hash.update(r).update(fs.readFileSync(path.join(dir, r)));
    }
  };
  walk('.');
  return hash.digest('hex');
}

async function nestCjs() {
  const app = createApp('nest-cjs', {
    origin: 'tools/consumer', // its TypeScript 5
    extra: { '@swc/core': 'workspace', '@swc/jest': 'workspace' },
  });
  const { dir } = app;
  await check('nest-cjs: npm install --offline (TypeScript 5, the packed libraries)', () =>
    npmInstall(dir),
  );
  let firstRun = '';
  await check('nest-cjs: npx @authbridge/nest-auth setup (no Nx)', async () => {
    app.writeLock(true); // the versions the generator's `npm install` will find
    firstRun = await run('npx', ['@authbridge/nest-auth', 'setup'], { cwd: dir });
    for (const line of [
      'CREATE src/auth.config.ts',
      'UPDATE src/app.module.ts',
      'CREATE src/health.controller.ts',
      'CREATE .env.example',
      'CREATE test/auth.e2e-spec.ts',
      'UPDATE test/jest-e2e.json',
      'UPDATE package.json',
    ]) {
      assert(firstRun.includes(line), `setup did not print "${line}":\n${firstRun}`);
    }
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    for (const dep of ['@swc/core', '@swc/jest']) {
      assert(manifest.devDependencies[dep], `setup did not add ${dep}`);
      assert(fs.existsSync(path.join(dir, 'node_modules', dep)), `setup did not install ${dep}`);
    }
  });
  await check('nest-cjs: tsc --noEmit (TypeScript 5, module commonjs, node10)', async () => {
    fs.cpSync(path.join(fixtures, 'nest-cjs/after-setup'), path.join(dir, 'test'), {
      recursive: true,
    });
    const version = await run(nodeBin, [bin(dir, 'tsc'), '-v'], { cwd: dir });
    assert(version.includes('Version 5.'), `expected TypeScript 5, got ${version}`);
    await run(nodeBin, [bin(dir, 'tsc'), '--noEmit'], { cwd: dir });
  });
  await check(
    'nest-cjs: the generated sample test and the feature tests pass (Jest preset)',
    async () => {
      // The app's own script: Nest 12's `node --experimental-vm-modules .../jest.js`, unchanged.
      // The template's app.e2e-spec.ts calls GET / without a token (now 401), so name the specs.
      const out = await run(
        'npm',
        [
          'run',
          'test:e2e',
          '--',
          '--ci',
          '--testTimeout=60000',
          'test/auth.e2e-spec.ts',
          'test/features.e2e-spec.ts',
        ],
        { cwd: dir },
      );
      assert(/Tests:\s+\d+ passed, \d+ total/.test(out) && !/failed/.test(out), out);
    },
  );
  await check(
    'nest-cjs: the built app refuses to start without BETTER_AUTH_URL, in one line',
    async () => {
      await run(nodeBin, [bin(dir, 'tsc'), '-p', 'tsconfig.build.json'], { cwd: dir });
      const out = await run(nodeBin, ['dist/main.js'], { cwd: dir, expectFailure: true });
      assert(
        out.includes(
          'Invalid environment: BETTER_AUTH_URL must be set to the origin of the Better Auth app',
        ),
        out,
      );
    },
  );
  await check('nest-cjs: a second setup run changes nothing', async () => {
    const before = snapshot(dir);
    const out = await run('npx', ['@authbridge/nest-auth', 'setup'], { cwd: dir });
    assert(out.includes('Nothing to change'), out);
    assert(snapshot(dir) === before, 'the second run changed files');
  });
  await check(
    'types: TypeScript 5 resolves every entry point (node10, node16, bundler)',
    async () => {
      copyTypesCheck(dir);
      await Promise.all([
        typeCheck(
          dir,
          'node10',
          { module: 'commonjs', moduleResolution: 'node10' },
          'types-check.ts',
        ),
        typeCheck(
          dir,
          'node16',
          { module: 'node16', moduleResolution: 'node16' },
          'types-check.mts',
        ),
        typeCheck(
          dir,
          'bundler',
          { module: 'esnext', moduleResolution: 'bundler' },
          'types-check.ts',
        ),
      ]);
    },
  );
}

async function nestEsm() {
  const { dir } = createApp('nest-esm');
  await check('nest-esm: npm install --offline (TypeScript 6, ESM)', () => npmInstall(dir));
  await check('nest-esm: tsc (nodenext) and node:test on the output', async () => {
    const version = await run(nodeBin, [bin(dir, 'tsc'), '-v'], { cwd: dir });
    assert(version.includes('Version 6.'), `expected TypeScript 6, got ${version}`);
    await run(nodeBin, [bin(dir, 'tsc'), '-p', 'tsconfig.json'], { cwd: dir });
    const out = await run(nodeBin, ['--test', 'dist/test/auth.test.js'], { cwd: dir });
    assert(/# fail 0/.test(out), out);
  });
  await check(
    'types: TypeScript 6 resolves every entry point (nodenext, bundler, node10)',
    async () => {
      copyTypesCheck(dir);
      await Promise.all([
        typeCheck(
          dir,
          'nodenext',
          { module: 'nodenext', moduleResolution: 'nodenext' },
          'types-check.mts',
        ),
        typeCheck(
          dir,
          'bundler',
          { module: 'preserve', moduleResolution: 'bundler' },
          'types-check.ts',
        ),
        typeCheck(
          dir,
          'node10',
          { module: 'commonjs', moduleResolution: 'node10', ignoreDeprecations: '6.0' },
          'types-check.ts',
        ),
      ]);
    },
  );
}

async function webScript() {
  const { dir } = createApp('web-script');
  await check('web-script: npm install --offline', () => npmInstall(dir));
  await check('web-script: node --test (both entry points, plain Node ESM)', async () => {
    const out = await run(nodeBin, ['--test'], { cwd: dir });
    assert(/# fail 0/.test(out), out);
  });
}

async function nxGenerator() {
  // A minimal Nx workspace: nx from the workspace's node_modules, the packed nest-auth in its own.
  const dir = path.join(work, 'nx-workspace');
  fs.mkdirSync(path.join(dir, 'node_modules/@authbridge'), { recursive: true });
  for (const name of fs.readdirSync(path.join(root, 'node_modules'))) {
    if (name === '@authbridge' || name.startsWith('.')) continue;
    fs.symlinkSync(
      path.join(root, 'node_modules', name),
      path.join(dir, 'node_modules', name),
      'dir',
    );
  }
  fs.symlinkSync(
    path.join(work, 'unpacked/@authbridge/nest-auth/package'),
    path.join(dir, 'node_modules/@authbridge/nest-auth'),
    'dir',
  );
  fs.cpSync(path.join(fixtures, 'nest-cjs'), path.join(dir, 'apps/api'), {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}after-setup`),
  });
  const appManifest = path.join(dir, 'apps/api/package.json');
  const manifest = JSON.parse(fs.readFileSync(appManifest, 'utf8'));
  manifest.nx = { name: 'api' };
  fs.writeFileSync(appManifest, JSON.stringify(manifest, null, 2));
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'nx-consumer', private: true, workspaces: ['apps/*'] }, null, 2),
  );
  fs.writeFileSync(
    path.join(dir, 'nx.json'),
    JSON.stringify({ neverConnectToCloud: true }, null, 2),
  );
  await check('nx: nx g @authbridge/nest-auth:setup --project=api', async () => {
    const out = await run(
      nodeBin,
      [
        path.join(root, 'node_modules/nx/dist/bin/nx.js'),
        'g',
        '@authbridge/nest-auth:setup',
        '--project=api',
        '--skipInstall',
        '--no-interactive',
      ],
      { cwd: dir },
    );
    for (const line of [
      'CREATE apps/api/src/auth.config.ts',
      'UPDATE apps/api/src/app.module.ts',
    ]) {
      assert(out.includes(line), `nx g did not print "${line}":\n${out}`);
    }
    const module = fs.readFileSync(path.join(dir, 'apps/api/src/app.module.ts'), 'utf8');
    assert(
      module.includes('AuthModule.forRootAsync({ useFactory: () => authOptionsFromEnv() })'),
      module,
    );
  });
}

// ---------------------------------------------------------------------------------------------

let code = 0;
try {
  log(`node ${spawnSync(nodeBin, ['--version'], { encoding: 'utf8' }).stdout.trim()} in ${work}`);
  await check('npm pack @authbridge/nest-auth from a clean copy (prepack builds dist)', () =>
    pack('libs/nest-auth', [
      'package.json',
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
      'jest-preset.cjs',
      'generators.json',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/testing/index.js',
      'dist/testing/index.d.ts',
      'dist/passport/index.d.ts',
      'dist/generators/cli.js',
      'dist/generators/setup/schema.json',
      'dist/generators/setup/setup.generator.js',
    ]),
  );
  await check('npm pack @authbridge/web-auth from a clean copy (prepack builds dist)', () =>
    pack('libs/web-auth', [
      'package.json',
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/server.js',
      'dist/server.d.ts',
    ]),
  );
  // Independent apps in parallel: their time is mostly npm and process start-up.
  await Promise.all([group(nestCjs), group(nestEsm), group(webScript), group(nxGenerator)]);
} catch {
  // reported by check()
} finally {
  fs.rmSync(packRoot, { recursive: true, force: true });
  try {
    fs.rmdirSync(path.dirname(packRoot)); // only when no other run is using it
  } catch {
    // not empty, or already gone
  }
  if (process.env.CONSUMER_KEEP) log(`kept ${work}`);
  else fs.rmSync(work, { recursive: true, force: true });
}
const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
if (failed > 0 || passed === 0) code = 1;
log(`took ${((Date.now() - started) / 1000).toFixed(0)} s`);
console.log(`consumer: ${passed} passed, ${failed} failed`);
process.exit(code);
