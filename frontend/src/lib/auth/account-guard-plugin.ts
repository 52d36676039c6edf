import 'server-only';
import type { BetterAuthPlugin } from 'better-auth';
import { APIError, createAuthMiddleware } from 'better-auth/api';

/**
 * Better Auth deletes a user on `/delete-user` with only a fresh session (no password) by
 * default. Ours asks for the password on every path (HTTP and `auth.api.deleteUser`), as the
 * account page does: a session left open on a shared computer must not be enough.
 *
 * @example
 * betterAuth({ plugins: [accountGuard(), nextCookies()] });
 */
export function accountGuard(): BetterAuthPlugin {
  return {
    id: 'authbridge-account-guard',
    hooks: {
      before: [
        {
          matcher: (ctx) => ctx.path === '/delete-user',
          handler: createAuthMiddleware(async (ctx) => {
            const body = (ctx.body ?? {}) as { password?: unknown };
            if (typeof body.password === 'string' && body.password.length > 0) return;
            throw new APIError('BAD_REQUEST', {
              code: 'PASSWORD_REQUIRED',
              message: 'Enter your password to delete your account.',
            });
          }),
        },
      ],
    },
  };
}
