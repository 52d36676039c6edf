import {
  betterAuthEndpoints,
  betterAuthUrl,
  flag,
  hasProtocol,
  httpUrl,
  jwtAlgorithm,
  jwtLifetimeSeconds,
  nodeEnv,
  originList,
  parseEnvironment,
  port,
  postgresUrl,
  smtpUrl,
  variable,
  type Environment,
} from '@authbridge/config';
import { z } from 'zod';
// The policy's defaults only (no server code): the back-off's bounds.
import { DEFAULT_BACKOFF } from './rate-limit/failures';

export { InvalidEnvironmentError } from '@authbridge/config';

/**
 * The one schema of the web app's server environment, built from the fields shared with the
 * API (`@authbridge/config`). Every message completes the sentence "<VARIABLE> must ...", so
 * a start-up error names the variable and the rule. next.config.ts, the scripts and the tests
 * import it too.
 */

const optionalString = variable(z.string().optional());

const positiveInt = (rule: string) =>
  variable(
    z
      .string()
      .refine((v) => /^\d+$/.test(v.trim()) && Number(v) >= 1, { error: rule })
      .transform(Number)
      .optional(),
  );

const MAX_BACKOFF = DEFAULT_BACKOFF.maxBackoffSeconds;

const shape = {
  NODE_ENV: nodeEnv(),
  BETTER_AUTH_SECRET: variable(
    z
      .string({ error: 'must be set (32+ characters; generate: openssl rand -base64 32)' })
      .min(32, { error: 'must be at least 32 characters' }),
  ),
  BETTER_AUTH_URL: betterAuthUrl(),
  DATABASE_URL: postgresUrl(),
  NEXT_PUBLIC_API_URL: httpUrl({
    required:
      'must be set to the origin of the API as the browser sees it, e.g. http://localhost:3001',
  }),
  WEB_PORT: port(3000),
  TRUSTED_ORIGINS: originList(),
  GOOGLE_CLIENT_ID: optionalString,
  GOOGLE_CLIENT_SECRET: optionalString,
  GITHUB_CLIENT_ID: optionalString,
  GITHUB_CLIENT_SECRET: optionalString,
  REDIS_URL: variable(
    z
      .string()
      .refine((v) => hasProtocol(v, ['redis:', 'rediss:']), {
        error: 'must be a redis:// or rediss:// URL',
      })
      .optional(),
  ),
  AUTH_JWT_ALGORITHM: jwtAlgorithm(),
  AUTH_JWT_LIFETIME_SECONDS: jwtLifetimeSeconds(),
  AUTH_JWT_ROTATION_DAYS: variable(
    z
      .string()
      .refine((v) => /^\d+(\.\d+)?$/.test(v.trim()), {
        error: 'must be a number of days (0 or empty: no rotation)',
      })
      .transform(Number)
      .optional(),
  ),
  TRUST_PROXY_HOPS: variable(
    z
      .string()
      .refine((v) => /^\d+$/.test(v.trim()), {
        error:
          'must be a whole number, 0 or more (how many reverse proxies stand in front of the app)',
      })
      .transform(Number)
      .optional(),
  ),
  AUTH_RATE_LIMIT_MAX: positiveInt('must be a whole number of attempts, 1 or more'),
  AUTH_RATE_LIMIT_WINDOW_SECONDS: positiveInt('must be a whole number of seconds, 1 or more'),
  AUTH_SIGN_IN_BACKOFF_SECONDS: variable(
    z
      .string()
      .refine((v) => /^\d+$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= MAX_BACKOFF, {
        error: `must be a whole number of seconds, 1 to ${MAX_BACKOFF} (the longest back-off)`,
      })
      .transform(Number)
      .optional(),
  ),
  SMTP_URL: smtpUrl(),
  MAIL_FROM: optionalString,
  AUTH_EMAIL: flag(),
  AUTH_REQUIRE_EMAIL_VERIFICATION: flag(),
};

/**
 * Mail is on unless AUTH_EMAIL=false. In production it needs SMTP_URL (and MAIL_FROM): a
 * "forgot password" that silently sends nothing loses accounts. In development, `npm run dev`
 * starts a local catcher and sets SMTP_URL (frontend README, "Mail").
 */
function checkMail(env: z.infer<z.ZodObject<typeof shape>>, ctx: z.RefinementCtx) {
  if (env.NODE_ENV !== 'production' || env.AUTH_EMAIL === false) return;
  if (!env.SMTP_URL)
    ctx.addIssue({
      code: 'custom',
      path: ['SMTP_URL'],
      message:
        'must be set in production: password reset and email verification send mail (smtps://user:password@host:465), or set AUTH_EMAIL=false to run without them',
    });
  if (!env.MAIL_FROM)
    ctx.addIssue({
      code: 'custom',
      path: ['MAIL_FROM'],
      message:
        'must be set in production when mail is on, e.g. "authbridge <no-reply@example.com>"',
    });
}

/** A provider is on only when both its id and its secret are set. */
function pair(id: string | undefined, secret: string | undefined) {
  return id && secret ? { clientId: id, clientSecret: secret } : undefined;
}

export const serverEnvSchema = z
  .object(shape)
  .superRefine(checkMail)
  .transform((env) => {
    // Better Auth's baseURL, and the iss/aud of its JWTs: the one derivation the API verifies with.
    const { origin, issuer, audience } = betterAuthEndpoints(env.BETTER_AUTH_URL);
    return {
      nodeEnv: env.NODE_ENV,
      secret: env.BETTER_AUTH_SECRET,
      /** Origin of this app: Better Auth's baseURL. */
      baseURL: origin,
      /** `iss` of the JWTs this app signs (the API expects the same, see @authbridge/config). */
      issuer,
      /** `aud` of the JWTs this app signs. */
      audience,
      databaseUrl: env.DATABASE_URL,
      apiUrl: new URL(env.NEXT_PUBLIC_API_URL).origin,
      webPort: env.WEB_PORT,
      trustedOrigins: [origin, ...(env.TRUSTED_ORIGINS ?? [])].filter(
        (o, i, all) => all.indexOf(o) === i,
      ),
      social: {
        google: pair(env.GOOGLE_CLIENT_ID, env.GOOGLE_CLIENT_SECRET),
        github: pair(env.GITHUB_CLIENT_ID, env.GITHUB_CLIENT_SECRET),
      },
      redisUrl: env.REDIS_URL,
      /**
       * Reverse proxies in front of the app whose X-Forwarded-For entries are believed
       * (server/client-address.mjs). 0: none, the socket's peer is the client.
       */
      trustProxyHops: env.TRUST_PROXY_HOPS ?? 0,
      /** Algorithm of the JWT signing key (the API accepts only this one). */
      jwtAlgorithm: env.AUTH_JWT_ALGORITHM,
      /** Lifetime of the API's JWTs, in seconds (`exp` = `iat` + this). Default 900. */
      jwtLifetimeSeconds: env.AUTH_JWT_LIFETIME_SECONDS,
      jwtRotationDays: env.AUTH_JWT_ROTATION_DAYS || undefined,
      rateLimit: {
        max: env.AUTH_RATE_LIMIT_MAX ?? 3,
        windowSeconds: env.AUTH_RATE_LIMIT_WINDOW_SECONDS ?? 10,
      },
      /**
       * The first back-off after failed sign-ins (lib/rate-limit/failures.ts), doubling up to
       * 15 min. Default 10 s; tests set it long so no answer depends on their speed.
       */
      signInBackoffSeconds: env.AUTH_SIGN_IN_BACKOFF_SECONDS ?? DEFAULT_BACKOFF.firstBackoffSeconds,
      mail: {
        /** Password reset and email verification send mail (AUTH_EMAIL, default on). */
        enabled: env.AUTH_EMAIL !== false,
        /** Unset only outside production: then mail is logged as not sent. */
        smtpUrl: env.SMTP_URL,
        from: env.MAIL_FROM ?? 'authbridge <no-reply@localhost>',
      },
      /** Sign-in waits for a verified email: default on in production (when mail is), off elsewhere. */
      requireEmailVerification:
        env.AUTH_EMAIL !== false &&
        (env.AUTH_REQUIRE_EMAIL_VERIFICATION ?? env.NODE_ENV === 'production'),
    };
  });

export type ServerEnv = z.output<typeof serverEnvSchema>;

/**
 * Validates the web app's environment.
 * @throws {InvalidEnvironmentError} one line naming the variable and the rule; secrets and
 *   connection strings are never echoed (@authbridge/config's one redaction rule)
 */
export function parseServerEnv(env: Environment): ServerEnv {
  return parseEnvironment(serverEnvSchema, env);
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
