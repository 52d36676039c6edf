// Forks the bench's server processes and speaks their IPC protocol: run.mjs and profile.mjs
// drive server.mjs (the API under test) through startServer; server.mjs drives
// auth-server.mjs (Better Auth) through forkServer.
import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * The server side of the protocol: answers each `{ id, cmd, ...args }` message with
 * `{ id, result }` or `{ id, error }` from `commands[cmd](args)`, and exits after `stop`.
 * Messages without an id (`built`) are not commands.
 * @param {Record<string, (args: object) => unknown>} commands
 */
export function answerCommands(commands) {
  process.on('message', async ({ id, cmd, ...args }) => {
    if (id === undefined) return;
    try {
      const result = await commands[cmd](args);
      process.send({ id, result });
      if (cmd === 'stop') process.exit(0);
    } catch (error) {
      process.send({ id, error: String(error?.stack ?? error) });
    }
  });
}

/**
 * Forks `file` (a script of this folder); `ready` resolves with its `{ type: 'ready' }`
 * message. `call(cmd, args)` sends one IPC command and resolves with its answer.
 * @param {string} file
 * @param {object} o
 * @param {(text: string) => void} o.onProgress  its progress lines
 * @param {string[]} [o.execArgv]  Node flags of the process
 * @param {NodeJS.ProcessEnv} [o.env]
 */
export function forkServer(file, { onProgress, execArgv = [], env = process.env }) {
  const child = fork(path.join(here, file), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv,
    env,
  });
  const pending = new Map();
  let nextId = 0;
  const ready = new Promise((resolve, reject) => {
    child.on('message', (message) => {
      if (message.type === 'progress') return onProgress(message.text);
      if (message.type === 'ready') return resolve(message);
      const waiting = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) waiting?.reject(new Error(message.error));
      else waiting?.resolve(message.result);
    });
    child.once('exit', (code) => {
      const error = new Error(`the ${file} process exited (${code})`);
      reject(error);
      for (const waiting of pending.values()) waiting.reject(error);
      pending.clear();
    });
  });
  ready.catch(() => {}); // the caller awaits it when it needs it
  const call = (cmd, args = {}) =>
    new Promise((resolve, reject) => {
      if (!child.connected) return reject(new Error(`the ${file} process is gone`));
      const id = ++nextId;
      pending.set(id, { resolve, reject });
      child.send({ id, cmd, ...args });
    });
  return { child, ready, call };
}

/** Better Auth's process-wide state, set once a Better Auth instance ran in this process. */
export const betterAuthGlobal = () => globalThis[Symbol.for('better-auth:global')];

/**
 * What says Better Auth is in this process: CommonJS modules loaded from its packages (or
 * @thallesp/nestjs-better-auth), and its global (Better Auth ran here, so its
 * AsyncLocalStorage is on). server.mjs checks both are empty for the API under test.
 */
export function betterAuthTraces(requireCache) {
  const modules = Object.keys(requireCache).filter((file) =>
    /[\\/]node_modules[\\/](better-auth|@better-auth|@thallesp)[\\/]/.test(file),
  );
  return { modules, global: betterAuthGlobal() !== undefined };
}

/**
 * Starts the server process (which forks the Better Auth process); resolves once both are
 * ready, with their URLs (the backend with the bench routes, the session-lookup app, the
 * backend with revocation off, Better Auth), the API process's Better Auth check,
 * `call(cmd, args)` (one IPC command, its answer) and `stop()`.
 * @param {object} o
 * @param {(text: string) => void} o.onProgress  its progress lines
 * @param {string[]} [o.execArgv]  Node flags of the server process (e.g. --cpu-prof)
 * @param {() => Promise<void>} [o.build]  builds backend/dist while the server starts its
 *   database (the server loads backend/dist once it is done)
 */
export async function startServer({ onProgress, execArgv = [], build }) {
  const {
    child: server,
    ready,
    call,
  } = forkServer('server.mjs', {
    onProgress,
    execArgv,
    env: build ? { ...process.env, BENCH_AWAIT_BUILD: '1' } : process.env,
  });
  if (build) {
    try {
      await build();
    } catch (error) {
      server.disconnect(); // it stops PostgreSQL and exits when the channel closes
      throw error;
    }
    if (server.connected) server.send({ cmd: 'built' }); // else `ready` says why it exited
  }
  const { apiUrl, sessionUrl, revocationOffUrl, authUrl, betterAuthCheck } = await ready;
  const stop = async () => {
    if (server.exitCode === null) await call('stop').catch(() => server.kill());
  };
  return { apiUrl, sessionUrl, revocationOffUrl, authUrl, betterAuthCheck, call, stop };
}
