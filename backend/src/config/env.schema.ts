import {
  betterAuthEndpoints,
  betterAuthUrl,
  httpUrl,
  nodeEnv,
  originList,
  port,
  postgresUrl,
  variable,
} from '@authbridge/config';
import type { JwksCacheOptions } from '@authbridge/nest-auth';
import { z } from 'zod';

/**
 * The one schema of the backend's environment, built from the fields shared with the web app
 * (`@authbridge/config`). Every message completes the sentence "<VARIABLE> must ...", so a
 * start-up error names the variable and the rule.
 */
/** Nest's levels, most to least severe: LOG_LEVEL=debug also logs each refused token's reason. */
export const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
export type AppLogLevel = (typeof LOG_LEVELS)[number];

/** The levels Nest prints for LOG_LEVEL (default: warn in production, log elsewhere). */
function levelsUpTo(level: AppLogLevel): AppLogLevel[] {
  return LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(level) + 1);
}

const envShape = {
  NODE_ENV: nodeEnv(),
  DATABASE_URL: postgresUrl(),
  API_HOST: variable(z.string().default('0.0.0.0')),
  API_PORT: port(3001),
  BETTER_AUTH_URL: betterAuthUrl(),
  AUTH_JWKS_URL: httpUrl(),
  CORS_ORIGINS: originList(),
  LOG_LEVEL: variable(
    z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).optional(),
  ),
};

export const envSchema = z.object(envShape).transform((env) => {
  // Issuer, audience and the JWKS URL come from the one derivation the web app signs with.
  const { origin, issuer, audience, jwksUrl } = betterAuthEndpoints(
    env.BETTER_AUTH_URL,
    env.AUTH_JWKS_URL,
  );
  return {
    nodeEnv: env.NODE_ENV,
    databaseUrl: env.DATABASE_URL,
    host: env.API_HOST,
    port: env.API_PORT,
    auth: { issuer, audience, jwksUrl },
    corsOrigins: env.CORS_ORIGINS ?? [origin],
    logLevels: levelsUpTo(env.LOG_LEVEL ?? (env.NODE_ENV === 'production' ? 'warn' : 'log')),
  };
});

/**
 * The validated configuration. `auth.jwks` (nest-auth's key-set fetch timeout, cooldown and
 * cache age) is not read from the environment: nest-auth's defaults suit production, and
 * tests that simulate a slow or broken JWKS set it on the object to bound their waits.
 */
export type AppConfig = z.output<typeof envSchema> & {
  auth: { jwks?: JwksCacheOptions };
};

/** The subset the migration runner and the TypeORM CLI need: no auth settings required. */
export const databaseEnvSchema = z
  .object({ NODE_ENV: envShape.NODE_ENV, DATABASE_URL: envShape.DATABASE_URL })
  .transform((env) => ({ nodeEnv: env.NODE_ENV, databaseUrl: env.DATABASE_URL }));

export type DatabaseConfig = z.output<typeof databaseEnvSchema>;
