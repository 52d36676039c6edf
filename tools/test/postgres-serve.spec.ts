import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

// `node tools/postgres.mjs serve`, the PostgreSQL holder of `npm run dev` (tools/dev.mjs):
// the order of shutdown (apps before the database) and the recovery after a kill -9.
const tools = path.resolve(__dirname, '..');

interface Holder {
  child: ChildProcess;
  next(key: string): Promise<unknown>;
}

function startHolder(dataDir: string): Holder {
  const child = spawn(process.execPath, ['postgres.mjs', 'serve', dataDir], {
    cwd: tools,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const messages: Record<string, unknown>[] = [];
  const waiters: Array<() => void> = [];
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    messages.push(JSON.parse(line));
    waiters.splice(0).forEach((wake) => wake());
  });
  child.once('exit', () => waiters.splice(0).forEach((wake) => wake()));
  const next = (key: string) =>
    new Promise<unknown>((resolve, reject) => {
      const check = () => {
        const found = messages.find((m) => key in m);
        if (found) return resolve(found[key]);
        if (child.exitCode !== null || child.signalCode !== null) {
          return reject(new Error(`the holder exited before answering ${key}`));
        }
        waiters.push(check);
      };
      check();
    });
  return { child, next };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(condition: () => boolean) {
  while (!condition()) await new Promise((r) => setTimeout(r, 50));
}

describe('tools/postgres.mjs serve', () => {
  let parent: string;
  beforeEach(() => {
    parent = fs.mkdtempSync(path.join(os.tmpdir(), 'authbridge-tools-'));
  });
  afterEach(() => {
    // A failed test must not leave a postmaster behind.
    const pidFile = path.join(parent, 'pg/postmaster.pid');
    if (fs.existsSync(pidFile)) {
      const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
      if (pid > 0 && alive(pid)) process.kill(pid, 'SIGKILL');
    }
    fs.rmSync(parent, { recursive: true, force: true });
  });

  it('when its runner dies, stops the apps first, then PostgreSQL, leaving nothing running', async () => {
    const logFile = path.join(parent, 'order.log');
    const holder = startHolder(path.join(parent, 'pg'));
    const url = String(await holder.next('url'));
    const app = spawn(process.execPath, [path.join(__dirname, 'fake-app.cjs'), url, logFile], {
      detached: true,
      stdio: 'ignore',
    });
    await until(
      () => fs.existsSync(logFile) && fs.readFileSync(logFile, 'utf8').includes('connected'),
    );
    const postmaster = Number(
      fs.readFileSync(path.join(parent, 'pg/postmaster.pid'), 'utf8').split('\n')[0],
    );

    holder.child.stdin!.write(`after ${app.pid}\n`);
    holder.child.stdin!.end(); // what a kill -9 of tools/dev.mjs does to the holder's stdin
    await holder.next('stopped');
    fs.appendFileSync(logFile, 'postgres: stopped\n');

    expect(fs.readFileSync(logFile, 'utf8').trim().split('\n')).toEqual([
      'app: connected',
      'app: closed its connection and exited',
      'postgres: stopped',
    ]);
    await until(() => holder.child.exitCode !== null);
    expect(alive(app.pid!)).toBe(false);
    expect(alive(postmaster)).toBe(false);
  });

  it('after a kill -9 of the holder, the next start clears the stale postmaster', async () => {
    const dataDir = path.join(parent, 'pg');
    const first = startHolder(dataDir);
    await first.next('url');
    const stale = Number(
      fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    first.child.kill('SIGKILL');
    await until(() => first.child.signalCode !== null);
    expect(alive(stale)).toBe(true);

    const second = startHolder(dataDir);
    const stderr: string[] = [];
    second.child.stderr!.on('data', (chunk) => stderr.push(String(chunk)));
    expect(String(await second.next('url'))).toMatch(/^postgres:\/\//);
    expect(alive(stale)).toBe(false);
    expect(stderr.join('')).toContain('left running by an earlier crash');
    second.child.stdin!.write('stop\n');
    await second.next('stopped');
  });
});
