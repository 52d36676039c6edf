#!/usr/bin/env node
// `npm run doctor [-- --token <jwt>]`: builds the libraries it uses (an Nx cache hit after the
// first run), then runs src/cli.ts with tsx, passing the arguments on.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const require = createRequire(import.meta.url);
const build = spawnSync(
  process.execPath,
  [
    require.resolve('nx/bin/nx.js'),
    'run-many',
    '-t',
    'build',
    '-p',
    'config',
    'nest-auth',
    '--outputStyle=static',
  ],
  {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
  },
);
if (build.status !== 0) {
  console.error('doctor: building libs/config and libs/nest-auth failed');
  process.exit(3);
}
const run = spawnSync(
  process.execPath,
  ['--import', 'tsx', path.join(here, 'src/cli.ts'), ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);
process.exit(run.status ?? 3);
