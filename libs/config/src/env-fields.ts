import { z } from 'zod';

/**
 * The zod fields both apps' schemas are built from. Each message completes the sentence
 * "<VARIABLE> must ...", which {@link parseEnvironment} turns into a one-line error.
 * Every field treats a blank value as unset, so `FOO=` in .env falls back to the default.
 */

/**
 * Empty or blank strings count as unset.
 *
 * @example
 * z.preprocess(blankAsUnset, z.string().default('0.0.0.0'));
 */
export function blankAsUnset(value: unknown): unknown {
  return typeof value === 'string' && value.trim() === '' ? undefined : value;
}

/**
 * Wraps an app's own field so a blank value counts as unset.
 *
 * @example
 * API_HOST: variable(z.string().default('0.0.0.0')),
 */
export function variable<T extends z.ZodType>(schema: T) {
  return z.preprocess(blankAsUnset, schema);
}

/**
 * Whether `value` parses as a URL with one of `protocols` (`'https:'`, with the colon).
 *
 * @example
 * z.string().refine((v) => hasProtocol(v, ['redis:', 'rediss:']), { error: 'must be ...' });
 */
export function hasProtocol(value: string, protocols: readonly string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

const HTTP = ['http:', 'https:'] as const;

/**
 * An http(s) URL. With `required`, a missing value fails with that message; without, the
 * field is optional.
 *
 * @example
 * NEXT_PUBLIC_API_URL: httpUrl({ required: 'must be set to the origin of the API' }),
 * AUTH_JWKS_URL: httpUrl(),
 */
export function httpUrl(options: { required: string }): z.ZodType<string>;
export function httpUrl(): z.ZodType<string | undefined>;
export function httpUrl(options?: { required: string }): z.ZodType<string | undefined> {
  const url = z
    .string({ error: options?.required })
    .refine((v) => hasProtocol(v, HTTP), { error: 'must be an http(s) URL' });
  return variable(options ? url : url.optional());
}

/**
 * `BETTER_AUTH_URL`, read by both apps: where Better Auth runs (the web app). Its origin is
 * Better Auth's baseURL and the JWT issuer and audience; see {@link betterAuthEndpoints}.
 */
export function betterAuthUrl(): z.ZodType<string> {
  return httpUrl({
    required: 'must be set to the origin of the web app, e.g. http://localhost:3000',
  });
}

/**
 * A required `postgres://` or `postgresql://` connection string.
 *
 * @example
 * DATABASE_URL: postgresUrl(),
 */
export function postgresUrl(): z.ZodType<string> {
  return variable(
    z
      .string({ error: 'must be set to a postgres:// connection string' })
      .refine((v) => hasProtocol(v, ['postgres:', 'postgresql:']), {
        error: 'must be a postgres:// or postgresql:// connection string',
      }),
  );
}

/**
 * A TCP port, 1-65535, as a number; `fallback` when unset.
 *
 * @example
 * API_PORT: port(3001),
 */
export function port(fallback: number): z.ZodType<number> {
  return variable(
    z
      .string()
      .default(String(fallback))
      .refine((v) => /^\d+$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= 65535, {
        error: 'must be a port number 1-65535',
      })
      .transform(Number),
  );
}

/**
 * An optional comma-separated list of http(s) origins, read as their normalised origins
 * (`https://app.example.com/` becomes `https://app.example.com`); undefined when unset.
 *
 * @example
 * CORS_ORIGINS: originList(),
 */
export function originList(): z.ZodType<string[] | undefined> {
  return variable(
    z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean),
      )
      .refine((origins) => origins.every((o) => hasProtocol(o, HTTP)), {
        error: 'must be a comma-separated list of http(s) origins',
      })
      .transform((origins) => origins.map((o) => new URL(o).origin))
      .optional(),
  );
}

/**
 * `NODE_ENV`: development (default), production or test.
 *
 * @example
 * NODE_ENV: nodeEnv(),
 */
export function nodeEnv(): z.ZodType<'development' | 'production' | 'test'> {
  return variable(
    z
      .enum(['development', 'production', 'test'], {
        error: 'must be one of development, production, test',
      })
      .default('development'),
  );
}

/**
 * The JWT signing algorithms both halves support: Better Auth's JWT plugin signs with one of
 * these (asymmetric only), `@authbridge/nest-auth` verifies them.
 */
export const JWT_ALGORITHMS = ['EdDSA', 'ES256', 'ES512', 'RS256', 'PS256'] as const;

/** One of {@link JWT_ALGORITHMS}. */
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

/**
 * `AUTH_JWT_ALGORITHM`, read by both apps: the algorithm the web app signs its JWTs with and
 * the one algorithm the API accepts. Default `EdDSA` (Better Auth's default).
 *
 * @example
 * AUTH_JWT_ALGORITHM: jwtAlgorithm(),
 */
export function jwtAlgorithm(): z.ZodType<JwtAlgorithm> {
  return variable(
    z
      .enum(JWT_ALGORITHMS, { error: `must be one of ${JWT_ALGORITHMS.join(', ')}` })
      .default('EdDSA'),
  );
}

/**
 * `AUTH_JWT_LIFETIME_SECONDS`, read by both apps: how long the web app's JWTs live (`exp` -
 * `iat`), and how long the API remembers a revocation (a longer-lived token is refused there,
 * since it would outlive what the API remembers). Default 900 (15 min, Better Auth's default).
 *
 * @example
 * AUTH_JWT_LIFETIME_SECONDS: jwtLifetimeSeconds(),
 */
export function jwtLifetimeSeconds(): z.ZodType<number> {
  return variable(
    z
      .string()
      .refine((v) => /^\d+$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= 86_400, {
        error: 'must be a whole number of seconds, 1 to 86400',
      })
      .transform(Number)
      .default(900),
  );
}

/**
 * An optional SMTP connection URL for nodemailer: `smtp://` (STARTTLS when the server offers
 * it) or `smtps://` (TLS from the start), credentials in the user part.
 *
 * @example
 * SMTP_URL: smtpUrl(), // smtps://user:pass@mail.example.com:465
 */
export function smtpUrl(): z.ZodType<string | undefined> {
  return variable(
    z
      .string()
      .refine((v) => hasProtocol(v, ['smtp:', 'smtps:']), {
        error:
          'must be an smtp:// or smtps:// URL, e.g. smtps://user:password@mail.example.com:465',
      })
      .optional(),
  );
}

/**
 * An optional on/off switch: true, false, 1, 0, on, off, yes, no (any case); unset stays
 * undefined so the app can choose a default per environment.
 *
 * @example
 * AUTH_REQUIRE_EMAIL_VERIFICATION: flag(),
 */
export function flag(): z.ZodType<boolean | undefined> {
  return variable(
    z
      .string()
      .transform((v) => v.trim().toLowerCase())
      .refine((v) => ['true', 'false', '1', '0', 'on', 'off', 'yes', 'no'].includes(v), {
        error: 'must be true or false (also 1/0, on/off, yes/no)',
      })
      .transform((v) => ['true', '1', 'on', 'yes'].includes(v))
      .optional(),
  );
}
