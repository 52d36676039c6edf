import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { TestIssuer } from '@authbridge/nest-auth/testing';
import pg from 'pg';
import { ISSUER } from './support/api';
import { createScratchDatabase } from './support/database';

// The built entry points, as `npm run migrate`, `npm start` and a process manager use them.
const backend = path.resolve(__dirname, '..');

function nodeEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' };
  return { ...base, NODE_ENV: 'production', BETTER_AUTH_URL: ISSUER, ...env };
}

function run(script: string, env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [script], { cwd: backend, env: nodeEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Waits for a condition; the backstop only ends a broken run, it is not what the test asserts. */
async function until(condition: () => boolean | Promise<boolean>, what: () => string) {
  const backstop = Date.now() + 20_000;
  while (!(await condition())) {
    if (Date.now() > backstop) throw new Error(what());
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** True once the port refuses a new connection; a connection it still takes is dropped. */
function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = net.connect(port, '127.0.0.1');
    probe.once('connect', () => {
      probe.destroy();
      resolve(false);
    });
    probe.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNREFUSED' ? resolve(true) : reject(error),
    );
  });
}

describe('built entry points (dist/)', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;

  beforeAll(async () => {
    const tsc = require.resolve('typescript/bin/tsc');
    const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
      cwd: backend,
      encoding: 'utf8',
    });
    if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
    scratch = await createScratchDatabase('process');
  }, 120_000);

  afterAll(async () => {
    await scratch?.drop();
  });

  it.each([
    [
      { API_PORT: 'abc' },
      'Invalid environment: API_PORT must be a port number 1-65535 (got "abc")',
    ],
    [
      { DATABASE_URL: 'mysql://root:secret@db/app' },
      'Invalid environment: DATABASE_URL must be a postgres:// or postgresql:// connection string',
    ],
  ])('start with %j exits 1 with one line and no stack trace', async (bad, line) => {
    const result = await run('dist/main.js', { DATABASE_URL: scratch.url, ...bad });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(line);
    expect(result.stdout).toBe('');
  });

  it('migrate applies the schema once when run twice at the same time', async () => {
    const results = await Promise.all([
      run('dist/migrate.js', { DATABASE_URL: scratch.url }),
      run('dist/migrate.js', { DATABASE_URL: scratch.url }),
    ]);
    expect(results.map((r) => r.code)).toEqual([0, 0]);
    const outputs = results.map((r) => r.stdout.trim()).sort();
    expect(outputs).toEqual([
      'Applied 1 migration(s): CreateTasks1763800000000',
      'Database schema is up to date',
    ]);
  });

  describe('start', () => {
    let child: ChildProcess;
    let issuer: TestIssuer;
    let jwks: { jwksUrl: string; close(): Promise<void> };
    let port: number;
    let output = '';
    let fresh: Awaited<ReturnType<typeof createScratchDatabase>>;

    beforeAll(async () => {
      fresh = await createScratchDatabase('start');
      issuer = await TestIssuer.create({ issuer: ISSUER, audience: ISSUER });
      jwks = await issuer.serve();
      port = await freePort();
      child = spawn(process.execPath, ['dist/main.js'], {
        cwd: backend,
        env: nodeEnv({
          DATABASE_URL: fresh.url,
          AUTH_JWKS_URL: jwks.jwksUrl,
          API_PORT: String(port),
          API_HOST: '127.0.0.1',
          // The operator's switch for the reason of every refused token.
          LOG_LEVEL: 'debug',
        }),
      });
      child.stdout!.on('data', (chunk) => (output += chunk));
      child.stderr!.on('data', (chunk) => (output += chunk));
      await until(
        () => output.includes('API listening') || child.exitCode !== null,
        () => `no start-up line:\n${output}`,
      );
    }, 30_000);

    afterAll(async () => {
      if (child?.exitCode === null) child.kill('SIGKILL');
      await jwks?.close();
      await fresh?.drop();
    });

    it('migrates an empty database, then logs one ready line', async () => {
      expect(output).toContain(`API listening on http://localhost:${port}\n`);
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      expect(res.status).toBe(200);
    });

    it('LOG_LEVEL=debug: logs each refused token by reason, never the token itself', async () => {
      const expired = await issuer.sign({ sub: 'someone' }, { expiresIn: -120 });
      const wrongIssuer = await (
        await TestIssuer.create({ issuer: 'https://evil.example', audience: ISSUER })
      ).sign({ sub: 'someone' });
      const before = output.length;
      for (const token of [expired, wrongIssuer, 'not-a-jwt']) {
        const res = await fetch(`http://127.0.0.1:${port}/api/me`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(res.status).toBe(401);
      }
      await until(
        () => (output.slice(before).match(/Unauthorized \(/g) ?? []).length >= 3,
        () => `no refusal lines:\n${output.slice(-3000)}`,
      );
      const lines = output.slice(before);
      for (const reason of ['token_expired', 'unknown_key', 'malformed_token'])
        expect(lines).toContain(`Unauthorized (${reason})`);
      for (const token of [expired, wrongIssuer]) expect(lines).not.toContain(token);
    });

    it('on SIGTERM lets an in-flight request finish, then closes the pool and exits 0', async () => {
      const user = 'graceful-user';
      const token = await issuer.sign({ sub: user });
      const body = JSON.stringify({ title: 'written during shutdown' });
      const socket = net.connect(port, '127.0.0.1');
      await new Promise((r) => socket.once('connect', r));
      let response = '';
      socket.on('data', (chunk) => (response += chunk));
      // Headers and half the body now, the rest after the signal. `Expect: 100-continue` makes
      // the server say when it has taken the request (Node answers 100 as it emits 'request'):
      // from then on the request is in flight, with no guess at how long that takes.
      socket.write(
        `POST /api/users/${user}/tasks HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${token}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
          `Expect: 100-continue\r\n\r\n` +
          body.slice(0, 10),
      );
      await until(
        () => response.startsWith('HTTP/1.1 100 Continue\r\n\r\n'),
        () => `no 100 Continue:\n${response}`,
      );
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      let ended = false;
      socket.once('end', () => (ended = true));
      child.kill('SIGTERM');
      // The port stops taking new connections while the old one is still open and unanswered.
      await until(
        () => refusesConnections(port),
        () => `still taking connections after SIGTERM:\n${output.slice(-3000)}`,
      );
      expect({ ended, response }).toEqual({
        ended: false,
        response: 'HTTP/1.1 100 Continue\r\n\r\n',
      });
      socket.write(body.slice(10));
      await new Promise((r) => socket.once('end', r));
      expect(response).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 201 /);
      expect(await exited).toBe(0);

      const client = new pg.Client({ connectionString: fresh.url });
      await client.connect();
      try {
        const { rows } = await client.query('SELECT title FROM tasks WHERE user_id = $1', [user]);
        expect(rows).toEqual([{ title: 'written during shutdown' }]);
        const { rows: sessions } = await client.query(
          // This suite's own database: on a shared server (DATABASE_URL), other suites' APIs
          // are connected to theirs at the same time.
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE application_name LIKE 'authbridge-backend%' AND datname = current_database()`,
        );
        expect(sessions[0].n).toBe(0);
      } finally {
        await client.end();
      }
    });
  });
});
