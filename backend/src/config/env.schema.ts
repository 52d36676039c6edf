import {
  betterAuthEndpoints,
  betterAuthUrl,
  hasProtocol,
  httpUrl,
  jwtAlgorithm,
  jwtLifetimeSeconds,
  nodeEnv,
  originList,
  port,
  postgresUrl,
  variable,
} from '@authbridge/config';
import type { JwksCacheOptions, SupportedAlgorithm } from '@authbridge/nest-auth';
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
  AUTH_JWT_ALGORITHM: jwtAlgorithm(),
  AUTH_JWT_LIFETIME_SECONDS: jwtLifetimeSeconds(),
  CORS_ORIGINS: originList(),
  // Revocation (docs/architecture.md#revocation): on by default, through Redis when REDIS_URL
  // is set, else through PostgreSQL (the Better Auth database: AUTH_REVOCATION_DATABASE_URL,
  // default DATABASE_URL, the one both apps share).
  AUTH_REVOCATION: variable(
    z.enum(['on', 'off'], { error: 'must be "on" or "off"' }).default('on'),
  ),
  AUTH_REVOCATION_DATABASE_URL: variable(
    z
      .string()
      .refine((v) => hasProtocol(v, ['postgres:', 'postgresql:']), {
        error: 'must be a postgres:// or postgresql:// connection string',
      })
      .optional(),
  ),
  AUTH_REVOCATION_ON_OUTAGE: variable(
    z.enum(['poll', 'refuse'], { error: 'must be "poll" or "refuse"' }).default('poll'),
  ),
  REDIS_URL: variable(
    z
      .string()
      .refine((v) => hasProtocol(v, ['redis:', 'rediss:']), {
        error: 'must be a redis:// or rediss:// URL',
      })
      .optional(),
  ),
  LOG_LEVEL: variable(
    z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).optional(),
  ),
};

/** How the API learns of revoked sessions: not at all, or through one channel. */
export type RevocationConfig =
  | { enabled: false }
  | { enabled: true; transport: 'postgres'; databaseUrl: string; onOutage: 'poll' | 'refuse' }
  | { enabled: true; transport: 'redis'; redisUrl: string; onOutage: 'poll' | 'refuse' };

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
    auth: { issuer, audience, jwksUrl, algorithms: [env.AUTH_JWT_ALGORITHM] },
    corsOrigins: env.CORS_ORIGINS ?? [origin],
    revocation: revocationConfig(env),
    /** The web app's JWT lifetime: how long the API remembers a revocation. */
    tokenLifetimeSeconds: env.AUTH_JWT_LIFETIME_SECONDS,
    logLevels: levelsUpTo(env.LOG_LEVEL ?? (env.NODE_ENV === 'production' ? 'warn' : 'log')),
  };
});

function revocationConfig(env: {
  AUTH_REVOCATION: 'on' | 'off';
  AUTH_REVOCATION_DATABASE_URL?: string;
  AUTH_REVOCATION_ON_OUTAGE: 'poll' | 'refuse';
  REDIS_URL?: string;
  DATABASE_URL: string;
}): RevocationConfig {
  if (env.AUTH_REVOCATION === 'off') return { enabled: false };
  const onOutage = env.AUTH_REVOCATION_ON_OUTAGE;
  if (env.REDIS_URL)
    return { enabled: true, transport: 'redis', redisUrl: env.REDIS_URL, onOutage };
  const databaseUrl = env.AUTH_REVOCATION_DATABASE_URL ?? env.DATABASE_URL;
  return { enabled: true, transport: 'postgres', databaseUrl, onOutage };
}

/**
 * The validated configuration. `auth.jwks` (nest-auth's key-set fetch timeout, cooldown and
 * cache age) is not read from the environment: nest-auth's defaults suit production, and
 * tests that simulate a slow or broken JWKS set it on the object to bound their waits.
 * `auth.algorithms` is the one `AUTH_JWT_ALGORITHM` (the algorithm Better Auth signs with);
 * the benchmark sets a list on the object to compare key types on one server.
 */
export type AppConfig = z.output<typeof envSchema> & {
  auth: { jwks?: JwksCacheOptions; algorithms: SupportedAlgorithm[] };
};

/** The subset the migration runner and the TypeORM CLI need: no auth settings required. */
export const databaseEnvSchema = z
  .object({ NODE_ENV: envShape.NODE_ENV, DATABASE_URL: envShape.DATABASE_URL })
  .transform((env) => ({ nodeEnv: env.NODE_ENV, databaseUrl: env.DATABASE_URL }));

export type DatabaseConfig = z.output<typeof databaseEnvSchema>;
