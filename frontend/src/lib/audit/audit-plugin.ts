import 'server-only';
import type { BetterAuthPlugin } from 'better-auth';
import { createAuthMiddleware, getSessionFromCtx, isAPIError } from 'better-auth/api';
import { clientAddress } from '../client-address';
import { TOO_MANY_FAILED_SIGN_INS } from '../rate-limit/failures';
import { audit, type AuditEventName } from './audit-log';

/** The Better Auth endpoints that are account events, and the event each one is. */
const EVENTS: Record<string, AuditEventName> = {
  '/sign-in/email': 'sign_in',
  '/sign-up/email': 'sign_up',
  '/sign-out': 'sign_out',
  '/request-password-reset': 'password_reset_requested',
  '/reset-password': 'password_reset_completed',
  '/change-password': 'password_changed',
  '/verify-email': 'email_verified',
  '/send-verification-email': 'verification_email_requested',
  '/revoke-session': 'session_revoked',
  '/revoke-other-sessions': 'other_sessions_revoked',
  '/revoke-sessions': 'other_sessions_revoked',
  '/delete-user': 'account_deleted',
};

// Who acted, when the request's own session tells (it survives these endpoints).
const SESSION_LOOKUP = new Set(['/revoke-session', '/revoke-other-sessions', '/revoke-sessions']);

type Ctx = Parameters<Parameters<typeof createAuthMiddleware>[0]>[0];

/** The client, as every audit line of a request names it. */
export function auditClient(headers: Headers | undefined) {
  return {
    ip: headers ? clientAddress(headers) : null,
    userAgent: headers?.get('user-agent') ?? null,
  };
}

async function actingUserId(ctx: Ctx): Promise<string | undefined> {
  const returned = ctx.context.returned as { user?: { id?: string } } | undefined;
  const fromBody = !isAPIError(returned) ? returned?.user?.id : undefined;
  const id = fromBody ?? ctx.context.newSession?.user.id ?? ctx.context.session?.user.id;
  if (id || !SESSION_LOOKUP.has(ctx.path ?? '')) return id;
  return (await getSessionFromCtx(ctx).catch(() => null))?.user.id;
}

/**
 * A Better Auth plugin that writes the audit line of every account event (`audit-log.ts`),
 * on /api/auth/* and on `auth.api.*` (the server actions) alike: an after hook sees what the
 * endpoint answered, success or Better Auth's refusal. Refusals that happen before the
 * endpoint (our password policy, the rate limiter's 429) are logged where they happen or by
 * the limiter; so are the sign-in guard's refusals (auth/sign-in-guard-plugin.ts).
 *
 * @example
 * betterAuth({ plugins: [auditTrail(), nextCookies()] });
 */
export function auditTrail(): BetterAuthPlugin {
  return {
    id: 'authbridge-audit-trail',
    hooks: {
      after: [
        {
          matcher: (ctx) => !!ctx.path && ctx.path in EVENTS,
          handler: createAuthMiddleware(async (ctx) => {
            const event = EVENTS[ctx.path!]!;
            const returned = ctx.context.returned;
            const failed = isAPIError(returned);
            // The sign-in guard refused it and wrote its own line (result 'refused').
            if (failed && returned.body?.code === TOO_MANY_FAILED_SIGN_INS) return;
            const body = (ctx.body ?? {}) as { email?: unknown };
            audit({
              event,
              result: failed ? 'failure' : 'success',
              ...(failed ? { reason: String(returned.body?.code ?? returned.status) } : {}),
              userId: await actingUserId(ctx),
              email: typeof body.email === 'string' ? body.email : undefined,
              ...auditClient(ctx.headers),
            });
          }),
        },
      ],
    },
  };
}
