import 'server-only';
import type { BetterAuthPlugin } from 'better-auth';
import { APIError, createAuthMiddleware, isAPIError } from 'better-auth/api';
import { clientAddress } from '../client-address';
import { LIMITED_AUTH_PATHS, type SignInGuard } from '../rate-limit';
import { AUTH_MESSAGES } from './messages';

/** The code of a sign-in refused during a back-off; `retryAfter` (seconds) is in the body. */
export const TOO_MANY_FAILED_SIGN_INS = 'TOO_MANY_FAILED_SIGN_INS';

function emailOf(body: unknown): string | null {
  const email = (body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' && email.trim() ? email : null;
}

/**
 * Counts FAILED email sign-ins per account and per client address (`lib/rate-limit/
 * failures.ts`). Hooks run for `/api/auth/sign-in/email` and for `auth.api.signInEmail` (the
 * server action) alike, so both paths meet the same back-off:
 * - before the password is checked: while the account or the address is in back-off, 429
 *   with `Retry-After`/`X-Retry-After` and `retryAfter` in the body;
 * - after: a wrong password (or unknown email) counts on both; a correct one clears the
 *   account's counter.
 *
 * @example
 * betterAuth({ plugins: [signInGuard(createSignInGuard(createFailureStore({ pool })))] });
 */
export function signInGuard(guard: SignInGuard): BetterAuthPlugin {
  const isSignIn = (ctx: { path?: string }) => ctx.path === LIMITED_AUTH_PATHS.signInEmail;
  return {
    id: 'authbridge-sign-in-guard',
    hooks: {
      before: [
        {
          matcher: isSignIn,
          handler: createAuthMiddleware(async (ctx) => {
            const email = emailOf(ctx.body);
            if (email === null) return;
            const address = ctx.headers ? clientAddress(ctx.headers) : null;
            const wait = await guard.waitFor(email, address);
            if (wait <= 0) return;
            throw new APIError(
              'TOO_MANY_REQUESTS',
              {
                code: TOO_MANY_FAILED_SIGN_INS,
                message: AUTH_MESSAGES.tooManyAttempts(wait),
                retryAfter: wait,
              },
              { 'Retry-After': String(wait), 'X-Retry-After': String(wait) },
            );
          }),
        },
      ],
      after: [
        {
          matcher: isSignIn,
          handler: createAuthMiddleware(async (ctx) => {
            const email = emailOf(ctx.body);
            if (email === null) return;
            const returned = ctx.context.returned;
            if (isAPIError(returned)) {
              if (returned.body?.code !== 'INVALID_EMAIL_OR_PASSWORD') return;
              const address = ctx.headers ? clientAddress(ctx.headers) : null;
              await guard.failed(email, address);
              return;
            }
            await guard.succeeded(email);
          }),
        },
      ],
    },
  };
}
