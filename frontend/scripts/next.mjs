#!/usr/bin/env node
// `npm run dev|start|build -w frontend`: the app in development or production mode on
// WEB_PORT (default 3000), through our own server (server/web-server.mjs: it decides the
// client's address from the socket), or `next build|typegen`. The repository's root .env is
// loaded first (the process environment wins over it) and telemetry is off (no network here).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { exitOnInvalidEnvironment, parseEnvironment, port } from '@authbridge/config';
import { loadRootEnv } from '@authbridge/config/root-env';
import { z } from 'zod';

const here = path.dirname(fileURLToPath(import.meta.url));
const appDir = path.resolve(here, '..');
loadRootEnv(process.env, appDir);
process.env.NEXT_TELEMETRY_DISABLED ??= '1';

const [mode, ...rest] = process.argv.slice(2);
if (!['dev', 'start', 'build', 'typegen'].includes(mode)) {
  console.error('usage: node scripts/next.mjs dev|start|build|typegen [next options]');
  process.exit(2);
}
// Needed before Next loads next.config.ts (which validates the rest): the port to listen on.
const { WEB_PORT: webPort } = exitOnInvalidEnvironment(() =>
  parseEnvironment(z.object({ WEB_PORT: port(3000) }), process.env),
);

if (mode === 'dev' || mode === 'start') {
  // What `next dev` / `next start` would set; read by Next, React and our env schema.
  process.env.NODE_ENV ??= mode === 'dev' ? 'development' : 'production';
  const { startWebServer } = await import('../server/web-server.mjs');
  await startWebServer({ dev: mode === 'dev', dir: appDir, port: webPort });
} else {
  runNextCli();
}

/** `next build` / `next typegen`, in a child process. */
function runNextCli() {
  const nextBin = path.join(
    path.dirname(fileURLToPath(import.meta.resolve('next/package.json'))),
    'dist/bin/next',
  );
  const child = spawn(process.execPath, [nextBin, mode, ...rest], {
    cwd: appDir,
    stdio: 'inherit',
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
}
