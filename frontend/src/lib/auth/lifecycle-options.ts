import 'server-only';
import type { BetterAuthOptions } from 'better-auth';
import type { ServerEnv } from '../env';
import { deleteUserDataInApi } from '../account/delete-user-data';
import { sendMail } from '../mail/mailer';
import { resetPasswordMail, verifyEmailMail } from '../mail/templates';

/**
 * Better Auth's own account-lifecycle features, configured in one place and spread into
 * `betterAuth(...)` by better-auth.ts: password reset, email verification, account
 * deletion, and how verification tokens are stored.
 */

/** A reset link works once, for this long (Better Auth's default is an hour). */
export const RESET_PASSWORD_TOKEN_SECONDS = 30 * 60;
/** An email verification link works for this long. */
export const VERIFY_EMAIL_TOKEN_SECONDS = 24 * 60 * 60;

/** Our page that reads a reset token (`/reset-password?token=...`). */
export function resetPasswordPageUrl(baseURL: string, token: string): string {
  const url = new URL('/reset-password', baseURL);
  url.searchParams.set('token', token);
  return url.href;
}

/**
 * Sent without awaiting the SMTP exchange: a request for a known email must answer as fast
 * as one for an unknown email (no account enumeration by timing). A failure is logged, never
 * the link.
 */
function sendInBackground(kind: string, send: () => Promise<void>): void {
  void send().catch((error: unknown) =>
    console.error(`[mail] ${kind} mail failed: ${error instanceof Error ? error.message : error}`),
  );
}

export function lifecycleOptions(env: ServerEnv) {
  return {
    emailAndPassword: {
      enabled: true,
      requireEmailVerification: env.requireEmailVerification,
      resetPasswordTokenExpiresIn: RESET_PASSWORD_TOKEN_SECONDS,
      // A reset ends every session of the user, in the same transaction as the new password.
      revokeSessionsOnPasswordReset: true,
      ...(env.mail.enabled
        ? {
            sendResetPassword: async ({
              user,
              token,
            }: {
              user: { email: string };
              token: string;
            }) =>
              sendInBackground('reset-password', () =>
                sendMail({
                  to: user.email,
                  ...resetPasswordMail(
                    resetPasswordPageUrl(env.baseURL, token),
                    RESET_PASSWORD_TOKEN_SECONDS,
                  ),
                }),
              ),
          }
        : {}),
    },
    emailVerification: env.mail.enabled
      ? {
          sendOnSignUp: true,
          // A sign-in refused for an unverified email sends a fresh link (rate limited as sign-in).
          sendOnSignIn: env.requireEmailVerification,
          autoSignInAfterVerification: true,
          expiresIn: VERIFY_EMAIL_TOKEN_SECONDS,
          sendVerificationEmail: async ({ user, url }: { user: { email: string }; url: string }) =>
            sendInBackground('verify-email', () =>
              sendMail({ to: user.email, ...verifyEmailMail(url, VERIFY_EMAIL_TOKEN_SECONDS) }),
            ),
        }
      : undefined,
    user: {
      deleteUser: {
        enabled: true,
        // The API's data of the user goes first, in one transaction; a failure keeps the user.
        beforeDelete: async (user: { id: string; email: string; name: string }) =>
          deleteUserDataInApi(env, user),
      },
    },
    verification: {
      // Reset tokens are kept hashed: a copy of the database does not hand out reset links.
      storeIdentifier: 'hashed',
    },
  } satisfies Partial<BetterAuthOptions>;
}
