import { parseEnvironment } from '@authbridge/config';
import { databaseEnvSchema, envSchema, type AppConfig, type DatabaseConfig } from './env.schema';

/**
 * Validates the whole backend configuration.
 * @throws {InvalidEnvironmentError} one line naming the variable and the rule
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return parseEnvironment(envSchema, env);
}

/** Validates only what database tooling needs (migrations, the TypeORM CLI). */
export function loadDatabaseConfig(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  return parseEnvironment(databaseEnvSchema, env);
}
