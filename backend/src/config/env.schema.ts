import {
  betterAuthEndpoints,
  betterAuthUrl,
  httpUrl,
  jwtAlgorithm,
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
const envShape = {
  NODE_ENV: nodeEnv(),
  DATABASE_URL: postgresUrl(),
  API_HOST: variable(z.string().default('0.0.0.0')),
  API_PORT: port(3001),
  BETTER_AUTH_URL: betterAuthUrl(),
  AUTH_JWKS_URL: httpUrl(),
  AUTH_JWT_ALGORITHM: jwtAlgorithm(),
  CORS_ORIGINS: originList(),
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
    auth: { issuer, audience, jwksUrl, algorithms: [env.AUTH_JWT_ALGORITHM] },
    corsOrigins: env.CORS_ORIGINS ?? [origin],
  };
});

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
