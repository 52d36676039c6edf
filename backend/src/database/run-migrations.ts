import { DataSource } from 'typeorm';
import type { DatabaseConfig } from '../config';
import { dataSourceOptions } from './data-source-options';

/** Arbitrary but fixed: every backend process agrees on it, nothing else in the database uses it. */
export const MIGRATION_LOCK_KEY = 738_291_605_004_113;

/**
 * Runs pending migrations under a PostgreSQL advisory lock, so two processes starting at
 * once (two replicas, `migrate` next to `start`) apply each migration exactly once: the
 * second waits, then finds nothing pending. Returns the names of the migrations applied.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const lockHolder = dataSource.createQueryRunner();
  await lockHolder.connect();
  try {
    await lockHolder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((migration) => migration.name);
    } finally {
      await lockHolder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await lockHolder.release();
  }
}

/** Opens a short-lived connection, migrates, closes it. */
export async function migrateDatabase(config: Pick<DatabaseConfig, 'databaseUrl'>) {
  const dataSource = new DataSource(
    dataSourceOptions(config, { poolSize: 2, applicationName: 'authbridge-backend-migrate' }),
  );
  await dataSource.initialize();
  try {
    return await runMigrations(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
