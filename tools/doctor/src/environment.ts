import { InvalidEnvironmentError, type Environment } from '@authbridge/config';
import { loadConfig } from '../../../backend/src/config/load-config';
import type { AppConfig } from '../../../backend/src/config/env.schema';
import { parseServerEnv, type ServerEnv } from '../../../frontend/src/lib/env';

/**
 * The configuration as each app reads it: the web app's schema (frontend/src/lib/env.ts) and
 * the API's (backend/src/config/env.schema.ts), run on the same environment. Using the apps'
 * own schemas is the point: the doctor cannot disagree with them about a default.
 */
export interface AppsView {
  /** The process environment over the root .env, blank values dropped. */
  env: Environment;
  web: { config: ServerEnv } | { error: string };
  api: { config: AppConfig } | { error: string };
}

/** Port of the embedded PostgreSQL `npm run dev` prefers; see tools/dev.mjs. */
export const DEFAULT_EMBEDDED_PG_PORT = 54329;

/**
 * What `npm run dev` uses when DATABASE_URL is empty: the embedded cluster under .data/ on
 * EMBEDDED_PG_PORT (tools/postgres.mjs, user and password `postgres`, database `authbridge`).
 */
export function embeddedDatabaseUrl(env: Environment): string {
  const port = Number(env.EMBEDDED_PG_PORT) || DEFAULT_EMBEDDED_PG_PORT;
  return `postgres://postgres:postgres@127.0.0.1:${port}/authbridge`;
}

/** Reads both apps' configuration from `env` (already merged with the root .env). */
export function readApps(source: Environment): AppsView {
  const env: Environment = {};
  for (const [key, value] of Object.entries(source)) {
    if (value !== undefined && value.trim() !== '') env[key] = value;
  }
  // As under `npm run dev`: no DATABASE_URL means the embedded cluster.
  const withDatabase = { ...env, DATABASE_URL: env.DATABASE_URL ?? embeddedDatabaseUrl(env) };
  return {
    env,
    web: attempt(() => ({ config: parseServerEnv(withDatabase) })),
    api: attempt(() => ({ config: loadConfig(withDatabase) })),
  };
}

function attempt<T>(read: () => T): T | { error: string } {
  try {
    return read();
  } catch (error) {
    if (error instanceof InvalidEnvironmentError) return { error: error.message };
    throw error;
  }
}
