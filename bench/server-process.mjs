// Forks server.mjs and speaks its IPC protocol: run.mjs and profile.mjs drive the same
// server process through it.
import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Starts the server process; resolves once it is ready, with its URLs (the backend with the
 * bench routes, the session-lookup app, the backend with revocation off), `call(cmd, args)`
 * (one IPC command, its answer) and `stop()`.
 * @param {object} o
 * @param {(text: string) => void} o.onProgress  its progress lines
 * @param {string[]} [o.execArgv]  Node flags of the server process (e.g. --cpu-prof)
 * @param {() => Promise<void>} [o.build]  builds backend/dist while the server starts its
 *   database (the server loads backend/dist once it is done)
 */
export async function startServer({ onProgress, execArgv = [], build }) {
  const server = fork(path.join(here, 'server.mjs'), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv,
    env: build ? { ...process.env, BENCH_AWAIT_BUILD: '1' } : process.env,
  });
  const pending = new Map();
  let nextId = 0;
  const ready = new Promise((resolve, reject) => {
    server.on('message', (message) => {
      if (message.type === 'progress') return onProgress(message.text);
      if (message.type === 'ready') return resolve(message);
      const waiting = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) waiting?.reject(new Error(message.error));
      else waiting?.resolve(message.result);
    });
    server.once('exit', (code) => {
      const error = new Error(`the server process exited (${code})`);
      reject(error);
      for (const waiting of pending.values()) waiting.reject(error);
      pending.clear();
    });
  });
  const call = (cmd, args = {}) =>
    new Promise((resolve, reject) => {
      const id = ++nextId;
      pending.set(id, { resolve, reject });
      server.send({ id, cmd, ...args });
    });
  ready.catch(() => {}); // awaited below, after the build
  if (build) {
    try {
      await build();
    } catch (error) {
      server.disconnect(); // it stops PostgreSQL and exits when the channel closes
      throw error;
    }
    if (server.connected) server.send({ cmd: 'built' }); // else `ready` says why it exited
  }
  const { apiUrl, sessionUrl, revocationOffUrl } = await ready;
  const stop = async () => {
    if (server.exitCode === null) await call('stop').catch(() => server.kill());
  };
  return { apiUrl, sessionUrl, revocationOffUrl, call, stop };
}
