import { z } from 'zod';
import { databaseEnvSchema, envSchema, type AppConfig, type DatabaseConfig } from './env.schema';

/** Variables whose value must never be echoed back in an error (credentials). */
const SECRET_VARIABLES = new Set(['DATABASE_URL']);

/** A configuration problem: its message is the whole, one-line explanation. */
export class InvalidEnvironmentError extends Error {
  override name = 'InvalidEnvironmentError';
}

function describe(issues: z.core.$ZodIssue[], env: NodeJS.ProcessEnv): string {
  const parts = issues.map((issue) => {
    const name = String(issue.path[0] ?? 'environment');
    const raw = env[name];
    const got =
      raw !== undefined && raw.trim() !== '' && !SECRET_VARIABLES.has(name)
        ? ` (got ${JSON.stringify(raw)})`
        : '';
    return `${name} ${issue.message}${got}`;
  });
  return `Invalid environment: ${parts.join('; ')}`;
}

function parse<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv): z.output<T> {
  const result = schema.safeParse(env);
  if (!result.success) throw new InvalidEnvironmentError(describe(result.error.issues, env));
  return result.data;
}

/** Validates the whole backend configuration; throws {@link InvalidEnvironmentError}. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return parse(envSchema, env);
}

/** Validates only what database tooling needs (migrations, the TypeORM CLI). */
export function loadDatabaseConfig(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  return parse(databaseEnvSchema, env);
}

/**
 * For entry points: one line on stderr and exit code 1 instead of a stack trace.
 * Other errors are rethrown untouched.
 */
export function exitOnInvalidEnvironment<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (error instanceof InvalidEnvironmentError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
