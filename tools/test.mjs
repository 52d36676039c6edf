#!/usr/bin/env node
// `npm test`: every project's tests (unit, integration, browser) through Nx.
// Each suite that needs PostgreSQL gets a fresh database of its own: on DATABASE_URL's
// server when that is set, otherwise on a throw-away embedded PostgreSQL
// (tools/jest-postgres.cjs). Tests always run (no cache), and the closing line
// counts them for the whole workspace. Extra arguments go to Nx, e.g.
// `npm test -- -p backend` to test one project.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const summaryFile = path.join(
  fs.mkdtempSync(path.join(os.tmpdir(), 'authbridge-test-')),
  'summary.jsonl',
);
const started = Date.now();

const env = {
  ...process.env,
  AUTHBRIDGE_TEST_SUMMARY: summaryFile,
  NEXT_TELEMETRY_DISABLED: '1',
  NX_NO_CLOUD: 'true',
  NX_DAEMON: process.env.NX_DAEMON ?? 'false',
};
if (!env.DATABASE_URL) delete env.DATABASE_URL;
console.log(
  env.DATABASE_URL
    ? '[test] PostgreSQL: a fresh database per suite on the server of DATABASE_URL'
    : '[test] PostgreSQL: a throw-away embedded cluster per suite (set DATABASE_URL to use a server)',
);

const extra = process.argv.slice(2);
const reporter = path.join(root, 'tools/jest-summary-reporter.cjs');
const result = spawnSync(
  process.platform === 'win32' ? 'npx.cmd' : 'npx',
  [
    'nx',
    'run-many',
    '-t',
    'test',
    ...extra,
    '--skip-nx-cache',
    '--outputStyle=stream',
    '--',
    '--reporters=default',
    `--reporters=${reporter}`,
  ],
  { cwd: root, env, stdio: 'inherit' },
);

const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = fs.existsSync(summaryFile)
  ? fs.readFileSync(summaryFile, 'utf8').trim().split('\n')
  : [];
for (const line of lines.filter(Boolean)) {
  const entry = JSON.parse(line);
  console.log(
    `[test] ${entry.project}: ${entry.passed} passed, ${entry.failed} failed, ${entry.skipped} skipped`,
  );
  for (const key of Object.keys(totals)) totals[key] += entry[key];
}
const code = result.status ?? 1;
if (code !== 0 && totals.failed === 0) totals.failed = 1; // a suite that crashed before reporting
console.log(`[test] took ${((Date.now() - started) / 1000).toFixed(0)} s`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(code);
