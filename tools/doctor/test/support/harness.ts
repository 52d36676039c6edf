import type { Environment } from '@authbridge/config';
import { TestIssuer } from '@authbridge/nest-auth/testing';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SupportedAlgorithm } from '@authbridge/nest-auth';
import {
  BETTER_AUTH_TABLES,
  expectedMigrations,
  type DatabaseProbe,
  type DoctorDeps,
} from '../../src/checks';
import { doctor } from '../../src/doctor';

/**
 * A stand-in for the web app, as the doctor and the API see it: `/api/auth/ok` and
 * `/api/auth/jwks` over real HTTP on 127.0.0.1, with the keys of a TestIssuer whose issuer
 * is this server's origin (as Better Auth's is its baseURL's).
 */
export interface FakeWebApp {
  origin: string;
  port: number;
  issuer: TestIssuer;
  close(): Promise<void>;
}

export async function startFakeWebApp(alg: SupportedAlgorithm = 'EdDSA'): Promise<FakeWebApp> {
  const state: { issuer?: TestIssuer } = {};
  const server = http.createServer((request, response) => {
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.url === '/api/auth/ok') return send(200, { ok: true });
    if (request.url === '/api/auth/jwks' && state.issuer) return send(200, state.issuer.jwks);
    return send(404, { message: 'Not Found' });
  });
  server.keepAliveTimeout = 1;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const issuer = await TestIssuer.create({ issuer: origin, alg });
  state.issuer = issuer;
  return {
    origin,
    port,
    issuer,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A fresh random secret, like `openssl rand -base64 32`. */
export const randomSecret = () => randomBytes(32).toString('base64');

/** A valid environment for both apps, pointing at `web`. */
export function envFor(web: FakeWebApp, overrides: Environment = {}): Environment {
  return {
    BETTER_AUTH_SECRET: randomSecret(),
    BETTER_AUTH_URL: web.origin,
    WEB_PORT: String(web.port),
    NEXT_PUBLIC_API_URL: 'http://localhost:3001',
    API_PORT: '3001',
    DATABASE_URL: 'postgres://app:pw@127.0.0.1:5999/app',
    ...overrides,
  };
}

/** What the fake database holds. */
export interface DatabaseState {
  tables: string[];
  migrations: string[];
  jwks: { id: string; privateKey: string }[];
}

/** A migrated database with no signing key yet. */
export function migratedDatabase(overrides: Partial<DatabaseState> = {}): DatabaseState {
  return {
    tables: [...BETTER_AUTH_TABLES, 'tasks', 'typeorm_migrations'],
    migrations: expectedMigrations(),
    jwks: [],
    ...overrides,
  };
}

/**
 * A database that answers the doctor's three queries from `state`, or refuses connections
 * like a stopped server (`'down'`).
 */
export function fakeConnect(state: DatabaseState | 'down'): DoctorDeps['connect'] {
  return async () => {
    if (state === 'down') {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5999'), {
        code: 'ECONNREFUSED',
      });
    }
    const probe: DatabaseProbe = {
      query: async <T>(sql: string) => {
        if (sql === 'select 1') return { rows: [{ '?column?': 1 }] as T[] };
        if (sql.includes('information_schema.tables')) {
          return { rows: state.tables.map((table_name) => ({ table_name })) as T[] };
        }
        if (sql.includes('typeorm_migrations')) {
          return { rows: state.migrations.map((name) => ({ name })) as T[] };
        }
        if (sql.includes('from jwks')) return { rows: state.jwks as T[] };
        throw new Error(`unexpected query ${sql}`);
      },
      end: async () => {},
    };
    return probe;
  };
}

/** Runs the doctor as `npm run doctor -- <args>` would, on `env`, with a frozen clock. */
export async function runDoctor(
  args: string[],
  env: Environment,
  options: { now?: number; database?: DatabaseState | 'down' } = {},
): Promise<{ lines: string[]; code: number; output: string }> {
  const now = options.now ?? Date.now();
  const deps: DoctorDeps = {
    fetch: (...a) => fetch(...a),
    connect: fakeConnect(options.database ?? migratedDatabase()),
    now: () => now,
    timeoutMs: 5_000,
  };
  const { lines, code } = await doctor(args, env, deps);
  return { lines, code, output: lines.join('\n') };
}

/** The line of check `id`. */
export function lineOf(lines: string[], id: string): string {
  const line = lines.find((l) => l.slice(2).startsWith(`${id} `));
  if (!line) throw new Error(`no "${id}" line in:\n${lines.join('\n')}`);
  return line;
}
