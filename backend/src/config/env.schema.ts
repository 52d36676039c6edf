import { z } from 'zod';

/** Empty strings count as unset, so `FOO=` in .env falls back to the default. */
const unsetIfBlank = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

function hasProtocol(value: string, protocols: string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

const httpUrl = (rule: string) =>
  z.string().refine((v) => hasProtocol(v, ['http:', 'https:']), { error: rule });

/**
 * The one schema of the backend's environment. Every message completes the sentence
 * "<VARIABLE> must ...", so a start-up error names the variable and the rule.
 */
const envShape = {
  NODE_ENV: z.preprocess(
    unsetIfBlank,
    z
      .enum(['development', 'production', 'test'], {
        error: 'must be one of development, production, test',
      })
      .default('development'),
  ),
  DATABASE_URL: z.preprocess(
    unsetIfBlank,
    z
      .string({ error: 'must be set to a postgres:// connection string' })
      .refine((v) => hasProtocol(v, ['postgres:', 'postgresql:']), {
        error: 'must be a postgres:// or postgresql:// connection string',
      }),
  ),
  API_HOST: z.preprocess(unsetIfBlank, z.string().default('0.0.0.0')),
  API_PORT: z.preprocess(
    unsetIfBlank,
    z
      .string()
      .default('3001')
      .refine((v) => /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 65535, {
        error: 'must be a port number 1-65535',
      })
      .transform(Number),
  ),
  BETTER_AUTH_URL: z.preprocess(
    unsetIfBlank,
    z
      .string({ error: 'must be set to the origin of the web app, e.g. http://localhost:3000' })
      .refine((v) => hasProtocol(v, ['http:', 'https:']), {
        error: 'must be an http(s) URL, the origin of the web app (JWT issuer and audience)',
      }),
  ),
  AUTH_JWKS_URL: z.preprocess(unsetIfBlank, httpUrl('must be an http(s) URL').optional()),
  CORS_ORIGINS: z.preprocess(
    unsetIfBlank,
    z
      .string()
      .refine(
        (v) =>
          v
            .split(',')
            .map((o) => o.trim())
            .filter(Boolean)
            .every((o) => hasProtocol(o, ['http:', 'https:'])),
        { error: 'must be a comma-separated list of http(s) origins' },
      )
      .optional(),
  ),
};

export const envSchema = z.object(envShape).transform((env) => {
  const authOrigin = new URL(env.BETTER_AUTH_URL).origin;
  return {
    nodeEnv: env.NODE_ENV,
    databaseUrl: env.DATABASE_URL,
    host: env.API_HOST,
    port: env.API_PORT,
    auth: {
      // Better Auth's JWT plugin uses the origin of its base URL as both iss and aud.
      issuer: authOrigin,
      audience: authOrigin,
      jwksUrl: env.AUTH_JWKS_URL ?? `${env.BETTER_AUTH_URL.replace(/\/+$/, '')}/api/auth/jwks`,
    },
    corsOrigins: (env.CORS_ORIGINS ?? authOrigin)
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean)
      .map((origin) => new URL(origin).origin),
  };
});

export type AppConfig = z.output<typeof envSchema>;

/** The subset the migration runner and the TypeORM CLI need: no auth settings required. */
export const databaseEnvSchema = z
  .object({ NODE_ENV: envShape.NODE_ENV, DATABASE_URL: envShape.DATABASE_URL })
  .transform((env) => ({ nodeEnv: env.NODE_ENV, databaseUrl: env.DATABASE_URL }));

export type DatabaseConfig = z.output<typeof databaseEnvSchema>;
