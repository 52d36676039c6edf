import 'server-only';
import type { BetterAuthPlugin } from 'better-auth';
import { APIError, createAuthMiddleware, isAPIError } from 'better-auth/api';
import { auditClient } from '../audit/audit-plugin';
import { audit } from '../audit/audit-log';
import { clientAddress } from '../client-address';
import {
  LIMITED_AUTH_PATHS,
  TOO_MANY_FAILED_SIGN_INS,
  type SignInGuard,
  type SignInRefusal,
} from '../rate-limit';
import { AUTH_MESSAGES } from './messages';

type Ctx = Parameters<Parameters<typeof createAuthMiddleware>[0]>[0];

function emailOf(body: unknown): string | null {
  const email = (body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' && email.trim() ? email : null;
}

/** The refusal as Better Auth's error: 429, `Retry-After`, and the wait in the body for the UI. */
function refuse(ctx: Ctx, email: string, refusal: SignInRefusal): APIError {
  audit({
    event: 'sign_in',
    result: 'refused',
    reason: refusal.reason,
    email,
    ...auditClient(ctx.headers),
  });
  const seconds = String(refusal.retryAfter);
  return new APIError(
    'TOO_MANY_REQUESTS',
    {
      code: TOO_MANY_FAILED_SIGN_INS,
      message: AUTH_MESSAGES.tooManyAttempts(refusal.retryAfter),
      retryAfter: refusal.retryAfter,
    },
    { 'Retry-After': seconds, 'X-Retry-After': seconds },
  );
}

/** A new password clears the account's failures; the password is set, so a failure is only logged. */
async function passwordChanged(guard: SignInGuard, email: string): Promise<void> {
  await guard.passwordChanged(email).catch((error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    console.error(`[sign-in-guard] clearing the account's failures failed: ${reason}`);
  });
}

/**
 * `emailAndPassword.onPasswordReset`: Better Auth calls it once the reset link set the new
 * password (the owner holds the mailbox). An account under attack opens again to the new
 * password at once, instead of refusing its owner for up to 15 min.
 *
 * @example
 * betterAuth({ emailAndPassword: { onPasswordReset: clearFailuresOnPasswordReset(guard) } });
 */
export function clearFailuresOnPasswordReset(guard: SignInGuard) {
  return async ({ user }: { user: { email: string } }) => passwordChanged(guard, user.email);
}

/**
 * Counts FAILED email sign-ins per account and per client address (`lib/rate-limit/
 * failures.ts`). Its hooks run for `/api/auth/sign-in/email` and for `auth.api.signInEmail`
 * (the server action) alike, so both paths meet the same counters:
 * - before the password is checked: refused (429) while the account or the address is
 *   under attack;
 * - after: a wrong password (or unknown email) counts on both counters and, when a back-off
 *   was already running, its answer becomes 429 with the new wait; a correct password
 *   clears the account's counter and goes through, back-off or not;
 * - a password changed in a signed-in session clears the account's counter too (a reset
 *   does through `clearFailuresOnPasswordReset`, its endpoint's answer names no user).
 *
 * @example
 * betterAuth({ plugins: [signInGuard(createSignInGuard(createFailureStore({ pool }), { hashKey }))] });
 */
export function signInGuard(guard: SignInGuard): BetterAuthPlugin {
  const isSignIn = (ctx: { path?: string }) => ctx.path === LIMITED_AUTH_PATHS.signInEmail;
  const addressOf = (ctx: Ctx) => (ctx.headers ? clientAddress(ctx.headers) : null);
  return {
    id: 'authbridge-sign-in-guard',
    hooks: {
      before: [
        {
          matcher: isSignIn,
          handler: createAuthMiddleware(async (ctx) => {
            const email = emailOf(ctx.body);
            if (email === null) return;
            const refusal = await guard.check(email, addressOf(ctx));
            if (refusal) throw refuse(ctx, email, refusal);
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
            if (!isAPIError(returned)) {
              await guard.succeeded(email);
              return;
            }
            if (returned.body?.code !== 'INVALID_EMAIL_OR_PASSWORD') return;
            const refusal = await guard.failed(email, addressOf(ctx));
            // Thrown from an after hook, it replaces the endpoint's 401 (see onResponse).
            if (refusal) throw refuse(ctx, email, refusal);
          }),
        },
        {
          matcher: (ctx) => ctx.path === LIMITED_AUTH_PATHS.changePassword,
          handler: createAuthMiddleware(async (ctx) => {
            const returned = ctx.context.returned as { user?: { email?: unknown } } | undefined;
            if (isAPIError(returned) || typeof returned?.user?.email !== 'string') return;
            await passwordChanged(guard, returned.user.email);
          }),
        },
      ],
    },
    /**
     * Better Auth answers HTTP with the status of the endpoint's own error even when an after
     * hook replaced that error (better-auth 1.7.25, dist/api/dispatch.mjs: `toResponse(...,
     * { status: result.status })`): the refusal would go out as a 401 with our body. A 401
     * never carries `Retry-After` otherwise; this gives it back its 429. (`auth.api.*` callers
     * get the thrown 429 error as it is.)
     */
    async onResponse(response) {
      if (response.status !== 401 || !response.headers.has('retry-after')) return;
      return {
        response: new Response(response.body, {
          status: 429,
          statusText: 'Too Many Requests',
          headers: response.headers,
        }),
      };
    },
  };
}
