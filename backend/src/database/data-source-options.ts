import type { DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '../config';
import { Task } from '../tasks/task.entity';
import { migrations } from './migrations';

export const entities = [Task];

/** The one description of the database connection: app, migration runner and TypeORM CLI. */
export function dataSourceOptions(
  config: Pick<DatabaseConfig, 'databaseUrl'>,
  overrides: { poolSize?: number; applicationName?: string } = {},
): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.databaseUrl,
    entities,
    migrations,
    migrationsTableName: 'typeorm_migrations',
    synchronize: false,
    migrationsRun: false,
    uuidExtension: 'pgcrypto',
    // The migration creates pgcrypto; doing it again on every connect races between processes.
    installExtensions: false,
    applicationName: overrides.applicationName ?? 'authbridge-backend',
    connectTimeoutMS: 5_000,
    poolSize: overrides.poolSize ?? 10,
    extra: { statement_timeout: 15_000 },
    // A restarted or stopped server terminates idle pooled connections (57P01); the pool
    // replaces them on the next query, so a warning is all this deserves.
    poolErrorHandler: (error: Error) =>
      console.warn(`[database] pooled connection lost: ${error.message}`),
  };
}
