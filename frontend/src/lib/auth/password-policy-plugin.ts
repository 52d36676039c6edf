import 'server-only';
import type { BetterAuthPlugin } from 'better-auth';
import { APIError, createAuthMiddleware } from 'better-auth/api';
import { audit } from '../audit/audit-log';
import { auditClient } from '../audit/audit-plugin';
import { passwordProblem } from './password-policy';
import { PASSWORD_PROBLEM_MESSAGES } from './password-rules';

/**
 * Every Better Auth endpoint that sets a password, and the body field that carries it.
 * Better Auth's own haveIBeenPwned plugin checks the same paths, online; ours is offline.
 */
export const PASSWORD_SETTING_PATHS = {
  '/sign-up/email': 'password',
  '/reset-password': 'newPassword',
  '/change-password': 'newPassword',
  '/set-password': 'newPassword',
} as const;

/** The `code` of a refused password in Better Auth's error body, per rule. */
export const PASSWORD_ERROR_CODES = {
  too_short: 'PASSWORD_TOO_SHORT',
  too_long: 'PASSWORD_TOO_LONG',
  common: 'PASSWORD_TOO_COMMON',
  personal: 'PASSWORD_IS_PERSONAL',
  repetitive: 'PASSWORD_TOO_SIMPLE',
} as const;

/**
 * A Better Auth plugin that refuses a new password breaking our rules (`password-policy.ts`)
 * before the endpoint does any work: on /api/auth/* and on `auth.api.*` calls alike (before
 * hooks run for both), so the server actions cannot skip it. 400 with a `code` from
 * `PASSWORD_ERROR_CODES` and a message saying why.
 *
 * @example
 * betterAuth({ plugins: [passwordPolicy(), nextCookies()] });
 */
export function passwordPolicy(): BetterAuthPlugin {
  return {
    id: 'authbridge-password-policy',
    hooks: {
      before: [
        {
          matcher: (ctx) => !!ctx.path && ctx.path in PASSWORD_SETTING_PATHS,
          handler: createAuthMiddleware(async (ctx) => {
            const field = PASSWORD_SETTING_PATHS[ctx.path as keyof typeof PASSWORD_SETTING_PATHS];
            const body = (ctx.body ?? {}) as Record<string, unknown>;
            const password = body[field];
            // A missing or non-string password is the endpoint's own validation error.
            if (typeof password !== 'string') return;
            const problem = passwordProblem(password, {
              email: typeof body.email === 'string' ? body.email : undefined,
              name: typeof body.name === 'string' ? body.name : undefined,
            });
            if (!problem) return;
            audit({
              event: 'password_refused',
              result: 'failure',
              reason: PASSWORD_ERROR_CODES[problem],
              email: typeof body.email === 'string' ? body.email : undefined,
              ...auditClient(ctx.headers),
            });
            throw new APIError('BAD_REQUEST', {
              code: PASSWORD_ERROR_CODES[problem],
              message: PASSWORD_PROBLEM_MESSAGES[problem],
            });
          }),
        },
      ],
    },
  };
}
