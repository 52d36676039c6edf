import 'server-only';
import { createHmac } from 'node:crypto';
import { betterAuth } from 'better-auth';
import { nextCookies } from 'better-auth/next-js';
import { jwt } from 'better-auth/plugins';
import { getPool } from '../db';
import { auditTrail } from '../audit/audit-plugin';
import { setAuditHashKey } from '../audit/audit-log';
import { accountGuard } from './account-guard-plugin';
import { lifecycleOptions } from './lifecycle-options';
import { passwordPolicy } from './password-policy-plugin';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password-rules';
import { serverEnv, type ServerEnv } from '../env';
import {
  authRateLimitRules,
  createFailureStore,
  createRateLimitStore,
  createSignInGuard,
  DEFAULT_BACKOFF,
} from '../rate-limit';
import { revocation } from './revocation';
import { clearFailuresOnPasswordReset, signInGuard } from './sign-in-guard-plugin';

/**
 * The claims the API needs, and nothing else of the user row. `sid` (the OIDC claim for the
 * session id) lets the API refuse a token as soon as its session is revoked.
 */
export function jwtPayload(
  user: { email: string; name: string; role?: unknown },
  session?: { id: string },
) {
  return {
    ...(session?.id ? { sid: session.id } : {}),
    email: user.email,
    name: user.name,
    ...(typeof user.role === 'string' && user.role ? { role: user.role } : {}),
  };
}

function socialProviders(env: ServerEnv) {
  return {
    ...(env.social.google ? { google: env.social.google } : {}),
    ...(env.social.github ? { github: env.social.github } : {}),
  };
}

export function createAuth(env: ServerEnv) {
  const pool = getPool(env.databaseUrl);
  const lifecycle = lifecycleOptions(env);
  setAuditHashKey(env.secret);
  // Failed sign-ins per account and per address, with a growing back-off (both paths).
  const failedSignIns = createSignInGuard(createFailureStore({ redisUrl: env.redisUrl, pool }), {
    hashKey: createHmac('sha256', env.secret).update('authbridge failed sign-in').digest('hex'),
    policy: { ...DEFAULT_BACKOFF, firstBackoffSeconds: env.signInBackoffSeconds },
  });
  return betterAuth({
    ...lifecycle,
    appName: 'authbridge',
    database: pool,
    secret: env.secret,
    baseURL: env.baseURL,
    trustedOrigins: env.trustedOrigins,
    emailAndPassword: {
      ...lifecycle.emailAndPassword,
      minPasswordLength: PASSWORD_MIN_LENGTH,
      maxPasswordLength: PASSWORD_MAX_LENGTH,
      autoSignIn: true,
      // The new password is set: the guesses at the old one no longer lock the account.
      onPasswordReset: clearFailuresOnPasswordReset(failedSignIns),
    },
    socialProviders: socialProviders(env),
    rateLimit: {
      // Better Auth limits only in production by default; ours runs everywhere, so what
      // is tested is what runs. Tests that need many attempts raise AUTH_RATE_LIMIT_MAX.
      enabled: true,
      window: 10, // Better Auth's default rule for every other auth path
      max: 100,
      customRules: authRateLimitRules(authRateLimitRule(env)),
      // 'database' makes the migrations create the rateLimit table the PostgreSQL store
      // uses; customStorage (that store, or Redis) is what actually counts, and the
      // server actions count through the same one (see lib/auth/attempt-limit.ts).
      storage: 'database',
      customStorage: createRateLimitStore({ redisUrl: env.redisUrl, pool }),
    },
    plugins: [
      jwt({
        jwt: {
          issuer: env.issuer,
          audience: env.audience,
          expirationTime: `${env.jwtLifetimeSeconds}s`,
          definePayload: ({ user, session }) => jwtPayload(user, session),
        },
        jwks: {
          keyPairConfig: { alg: env.jwtAlgorithm },
          ...(env.jwtRotationDays
            ? { rotationInterval: Math.round(env.jwtRotationDays * 24 * 60 * 60) }
            : {}),
        },
        // Clients take their JWT from /api/auth/token; signing one on every session
        // check would cost a key decrypt and a signature per page view.
        disableSettingJwtHeader: true,
      }),
      revocation({ pool, redisUrl: env.redisUrl }),
      // Before auditTrail: its after hook then sees the guard's refusal, not the 401.
      signInGuard(failedSignIns),
      // Refuses common, personal and too simple new passwords on every path that sets one.
      passwordPolicy(),
      // Account deletion asks for the password on every path.
      accountGuard(),
      // One audit line per account event (lib/audit).
      auditTrail(),
      nextCookies(), // must stay last: it turns Set-Cookie of auth.api.* calls into cookies()
    ],
  });
}

export type Auth = ReturnType<typeof createAuth>;

const globalForAuth = globalThis as unknown as { __authbridgeAuth?: Auth };

/** The app's Better Auth instance, created on first use from the validated env. */
export function getAuth(): Auth {
  globalForAuth.__authbridgeAuth ??= createAuth(serverEnv());
  return globalForAuth.__authbridgeAuth;
}

/** Rate-limit rule of sign-in and sign-up, shared by the HTTP and server-action paths. */
export function authRateLimitRule(env: ServerEnv = serverEnv()) {
  return { window: env.rateLimit.windowSeconds, max: env.rateLimit.max };
}
