import { z } from 'zod';

/**
 * The one schema of the web app's server environment. Every message completes the
 * sentence "<VARIABLE> must ...", so a start-up error names the variable and the rule.
 * next.config.ts, the scripts and the tests import it too.
 */

/** Empty strings count as unset, so `FOO=` in .env falls back to the default. */
const blankAsUnset = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

function hasProtocol(value: string, protocols: string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

const httpUrl = (missing: string) =>
  z.preprocess(
    blankAsUnset,
    z
      .string({ error: missing })
      .refine((v) => hasProtocol(v, ['http:', 'https:']), { error: 'must be an http(s) URL' }),
  );

const optionalString = z.preprocess(blankAsUnset, z.string().optional());

const positiveInt = (rule: string) =>
  z.preprocess(
    blankAsUnset,
    z
      .string()
      .refine((v) => /^\d+$/.test(v.trim()) && Number(v) >= 1, { error: rule })
      .transform(Number)
      .optional(),
  );

const shape = {
  NODE_ENV: z.preprocess(
    blankAsUnset,
    z
      .enum(['development', 'production', 'test'], {
        error: 'must be one of development, production, test',
      })
      .default('development'),
  ),
  BETTER_AUTH_SECRET: z.preprocess(
    blankAsUnset,
    z
      .string({ error: 'must be set (32+ characters; generate: openssl rand -base64 32)' })
      .min(32, { error: 'must be at least 32 characters' }),
  ),
  BETTER_AUTH_URL: httpUrl('must be set to the origin of this web app, e.g. http://localhost:3000'),
  DATABASE_URL: z.preprocess(
    blankAsUnset,
    z
      .string({ error: 'must be set to a postgres:// connection string' })
      .refine((v) => hasProtocol(v, ['postgres:', 'postgresql:']), {
        error: 'must be a postgres:// or postgresql:// connection string',
      }),
  ),
  NEXT_PUBLIC_API_URL: httpUrl(
    'must be set to the origin of the API as the browser sees it, e.g. http://localhost:3001',
  ),
  WEB_PORT: z.preprocess(
    blankAsUnset,
    z
      .string()
      .default('3000')
      .refine((v) => /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 65535, {
        error: 'must be a port number 1-65535',
      })
      .transform(Number),
  ),
  TRUSTED_ORIGINS: z.preprocess(
    blankAsUnset,
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
  GOOGLE_CLIENT_ID: optionalString,
  GOOGLE_CLIENT_SECRET: optionalString,
  GITHUB_CLIENT_ID: optionalString,
  GITHUB_CLIENT_SECRET: optionalString,
  REDIS_URL: z.preprocess(
    blankAsUnset,
    z
      .string()
      .refine((v) => hasProtocol(v, ['redis:', 'rediss:']), {
        error: 'must be a redis:// or rediss:// URL',
      })
      .optional(),
  ),
  AUTH_JWT_ROTATION_DAYS: z.preprocess(
    blankAsUnset,
    z
      .string()
      .refine((v) => /^\d+(\.\d+)?$/.test(v.trim()), {
        error: 'must be a number of days (0 or empty: no rotation)',
      })
      .transform(Number)
      .optional(),
  ),
  AUTH_RATE_LIMIT_MAX: positiveInt('must be a whole number of attempts, 1 or more'),
  AUTH_RATE_LIMIT_WINDOW_SECONDS: positiveInt('must be a whole number of seconds, 1 or more'),
};

/** A provider is on only when both its id and its secret are set. */
function pair(id: string | undefined, secret: string | undefined) {
  return id && secret ? { clientId: id, clientSecret: secret } : undefined;
}

export const serverEnvSchema = z.object(shape).transform((env) => {
  const origin = new URL(env.BETTER_AUTH_URL).origin;
  return {
    nodeEnv: env.NODE_ENV,
    secret: env.BETTER_AUTH_SECRET,
    /** Origin of this app: Better Auth's baseURL, the JWT issuer and audience. */
    baseURL: origin,
    databaseUrl: env.DATABASE_URL,
    apiUrl: new URL(env.NEXT_PUBLIC_API_URL).origin,
    webPort: env.WEB_PORT,
    trustedOrigins: [
      origin,
      ...(env.TRUSTED_ORIGINS ?? '')
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean)
        .map((o) => new URL(o).origin),
    ].filter((o, i, all) => all.indexOf(o) === i),
    social: {
      google: pair(env.GOOGLE_CLIENT_ID, env.GOOGLE_CLIENT_SECRET),
      github: pair(env.GITHUB_CLIENT_ID, env.GITHUB_CLIENT_SECRET),
    },
    redisUrl: env.REDIS_URL,
    jwtRotationDays: env.AUTH_JWT_ROTATION_DAYS || undefined,
    rateLimit: {
      max: env.AUTH_RATE_LIMIT_MAX ?? 3,
      windowSeconds: env.AUTH_RATE_LIMIT_WINDOW_SECONDS ?? 10,
    },
  };
});

export type ServerEnv = z.output<typeof serverEnvSchema>;

/** Values that must never be echoed back in an error message. */
const SECRETS = new Set(['BETTER_AUTH_SECRET', 'DATABASE_URL', 'REDIS_URL']);
const SECRET_SUFFIX = /_SECRET$/;

/** A configuration problem; its message is the whole one-line explanation. */
export class InvalidEnvironmentError extends Error {
  override name = 'InvalidEnvironmentError';
}

export function parseServerEnv(env: Record<string, string | undefined>): ServerEnv {
  const result = serverEnvSchema.safeParse(env);
  if (result.success) return result.data;
  const parts = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? 'environment');
    const raw = env[name];
    const shown =
      raw !== undefined && raw.trim() !== '' && !SECRETS.has(name) && !SECRET_SUFFIX.test(name)
        ? ` (got ${JSON.stringify(raw)})`
        : '';
    return `${name} ${issue.message}${shown}`;
  });
  throw new InvalidEnvironmentError(`Invalid environment: ${parts.join('; ')}`);
}

let cached: ServerEnv | undefined;

/**
 * The validated server environment, parsed on first use rather than at import, so
 * `next build` runs without secrets. `next start`/`next dev` validate before serving,
 * in next.config.ts. Not marked `server-only` because next.config.ts imports this file;
 * in a browser bundle it throws instead.
 */
export function serverEnv(): ServerEnv {
  if (typeof window !== 'undefined') throw new Error('serverEnv() is for server code only');
  cached ??= parseServerEnv(process.env);
  return cached;
}
