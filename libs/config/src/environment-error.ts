import type { z } from 'zod';
import { shownValue } from './redaction';

/** What an environment looks like to the parsers: `process.env` or a plain object. */
export type Environment = Record<string, string | undefined>;

/**
 * A configuration problem. Its message is the whole explanation, on one line:
 * `Invalid environment: API_PORT must be a port number 1-65535 (got "abc")`.
 */
export class InvalidEnvironmentError extends Error {
  override name = 'InvalidEnvironmentError';
}

/**
 * Validates `env` against an app's schema. Every schema message completes the sentence
 * "<VARIABLE> must ...", so the error names the variable and the rule; values are shown only
 * where {@link shownValue} allows.
 *
 * @throws {InvalidEnvironmentError}
 * @example
 * const config = parseEnvironment(z.object({ API_PORT: port(3001) }), process.env);
 */
export function parseEnvironment<T extends z.ZodType>(schema: T, env: Environment): z.output<T> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const parts = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? 'environment');
    return `${name} ${issue.message}${shownValue(name, env[name])}`;
  });
  throw new InvalidEnvironmentError(`Invalid environment: ${parts.join('; ')}`);
}

/**
 * For entry points: prints the one line on stderr and exits with code 1 instead of a stack
 * trace. Other errors are rethrown untouched.
 *
 * @example
 * const config = exitOnInvalidEnvironment(() => loadConfig());
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
