#!/usr/bin/env node
// `npm run dev -w backend`: compile once, then `tsc --watch` and `node --watch dist/main.js`
// side by side. tsc (not tsx/esbuild) because Nest's DI needs emitDecoratorMetadata.
// Ctrl-C / SIGTERM stops both, and the API shuts down gracefully.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const backend = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tscBin = createRequire(import.meta.url).resolve('typescript/bin/tsc');

const first = spawnSync(process.execPath, [tscBin, '-p', 'tsconfig.build.json'], {
  cwd: backend,
  stdio: 'inherit',
});
if (first.status !== 0) process.exit(first.status ?? 1);

const children = [
  spawn(
    process.execPath,
    [tscBin, '-p', 'tsconfig.build.json', '--watch', '--preserveWatchOutput'],
    { cwd: backend, stdio: ['ignore', 'inherit', 'inherit'] },
  ),
  spawn(process.execPath, ['--watch', '--enable-source-maps', 'dist/main.js'], {
    cwd: backend,
    stdio: 'inherit',
  }),
];

let stopping = false;
function stop(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 11_000).unref();
  Promise.all(
    children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)),
  ).then(() => process.exit(code));
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop(0));
for (const child of children) child.on('exit', (code) => stop(code ?? 1));
