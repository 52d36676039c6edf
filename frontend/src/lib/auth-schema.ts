import 'server-only';
import { postgresRevocationTableSql } from '@authbridge/web-auth/server';
import { getMigrations } from 'better-auth/db/migration';
import type { Pool } from 'pg';
import type { Auth } from './auth';

/** Arbitrary but fixed: every process preparing the auth schema takes this lock. */
const ADVISORY_LOCK_KEY = 0x61757468; // 'auth'

export interface PrepareResult {
  /** Tables created or altered by this run (empty when the schema was up to date). */
  changed: string[];
  /** Key ids in the JWKS after preparation. */
  keyIds: string[];
}

/**
 * Brings Better Auth's schema up to date, then makes sure a JWT signing key exists, all
 * under one PostgreSQL advisory lock: two processes running this at once take turns, so
 * neither sees a half-made schema and only the first creates a key (Better Auth would
 * otherwise create one per concurrent first request). Idempotent.
 */
export async function prepareAuthDatabase(auth: Auth, pool: Pool): Promise<PrepareResult> {
  const lock = await pool.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK_KEY]);
    const { toBeCreated, toBeAdded, runMigrations } = await getMigrations(auth.options);
    const changed = [...toBeCreated, ...toBeAdded].map((table) => table.table);
    if (changed.length) await runMigrations();
    // The revocations the API instances reload on start (docs/architecture.md#revocation).
    await lock.query(postgresRevocationTableSql());
    const { keys } = await auth.api.getJwks();
    return { changed, keyIds: keys.map((key) => String(key.kid)) };
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCK_KEY]).catch(() => {});
    lock.release();
  }
}
