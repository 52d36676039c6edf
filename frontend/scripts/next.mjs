#!/usr/bin/env node
// `npm run dev|start|build -w frontend`: `next dev|start` on WEB_PORT (default 3000), or
// `next build|typegen`, with the repository's root .env loaded first (the process environment
// wins over it) and telemetry off (no network here).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import dotenv from 'dotenv';

const here = path.dirname(fileURLToPath(import.meta.url));
const appDir = path.resolve(here, '..');
const rootEnv = path.resolve(appDir, '..', '.env');
if (fs.existsSync(rootEnv)) {
  for (const [key, value] of Object.entries(dotenv.parse(fs.readFileSync(rootEnv)))) {
    if (process.env[key] === undefined || process.env[key] === '') process.env[key] = value;
  }
}
process.env.NEXT_TELEMETRY_DISABLED ??= '1';

const [mode, ...rest] = process.argv.slice(2);
if (!['dev', 'start', 'build', 'typegen'].includes(mode)) {
  console.error('usage: node scripts/next.mjs dev|start|build|typegen [next options]');
  process.exit(2);
}
const port = (process.env.WEB_PORT ?? '').trim() || '3000';
if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
  console.error(`Invalid environment: WEB_PORT must be a port number 1-65535 (got "${port}")`);
  process.exit(1);
}

const nextBin = path.join(
  path.dirname(fileURLToPath(import.meta.resolve('next/package.json'))),
  'dist/bin/next',
);
const portArgs = mode === 'dev' || mode === 'start' ? ['-p', port] : [];
const child = spawn(process.execPath, [nextBin, mode, ...portArgs, ...rest], {
  cwd: appDir,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
