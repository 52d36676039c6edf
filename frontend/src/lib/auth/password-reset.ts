import 'server-only';
import { isAPIError } from 'better-auth/api';
import { LIMITED_AUTH_PATHS } from '../rate-limit';
import type { ActionFormState } from './action-state';
import { consumeAuthAttempt, refusalMessage } from './attempt-limit';
import { getAuth } from './better-auth';
import { requestEmailLinkByForm } from './email-link-request';
import { lifetimeWords } from '../mail/templates';
import { RESET_PASSWORD_TOKEN_SECONDS } from './lifecycle-options';
import { AUTH_MESSAGES } from './messages';
import { newPasswordRefusal } from './password-refusal';
import { formText } from './schemas';

/**
 * "Forgot password?" and "choose a new password", as the server actions run them: counted
 * by the same limit as sign-in (and in the same bucket as the HTTP route), then Better Auth's
 * own `requestPasswordReset` / `resetPassword`.
 */

export const RESET_MESSAGES = {
  // The same words whether or not an account exists: no account enumeration.
  sent: `If an account exists for that email, we have sent it a link to choose a new password. The link works once, for ${lifetimeWords(RESET_PASSWORD_TOKEN_SECONDS)}.`,
  invalidToken:
    'This reset link is not valid any more: each link works once, and only for a short time. Ask for a new one below.',
  unavailable: 'Password reset is not available on this server. Contact the administrator.',
  done: 'Your password was changed and every session was signed out. Sign in with the new password.',
} as const;

/**
 * Asks Better Auth to mail a reset link. Answers the same for a known and an unknown email;
 * only a rate limit or a malformed email is told apart.
 *
 * @example
 * return requestPasswordResetByForm(form, await headers());
 */
export function requestPasswordResetByForm(
  form: FormData,
  requestHeaders: Headers,
): Promise<ActionFormState> {
  return requestEmailLinkByForm(form, requestHeaders, {
    path: LIMITED_AUTH_PATHS.requestPasswordReset,
    send: (email) =>
      getAuth().api.requestPasswordReset({ body: { email }, headers: requestHeaders }),
    disabledCode: 'RESET_PASSWORD_DISABLED',
    what: 'password reset request',
    messages: { sent: RESET_MESSAGES.sent, unavailable: RESET_MESSAGES.unavailable },
  });
}

/**
 * Sets the new password with the mailed token. Better Auth checks the token (single use:
 * consumed in the same transaction as the new password, and expired after
 * RESET_PASSWORD_TOKEN_SECONDS) and ends every session of the user
 * (revokeSessionsOnPasswordReset); our password policy plugin checks the new password.
 *
 * @returns `{ ok: true }` to redirect to sign-in, or the form's state.
 */
export async function resetPasswordByForm(
  form: FormData,
  requestHeaders: Headers,
): Promise<{ ok: true } | { ok: false; state: ActionFormState }> {
  const token = formText(form, 'token');
  const newPassword = formText(form, 'newPassword');
  const decision = await consumeAuthAttempt(LIMITED_AUTH_PATHS.resetPassword, requestHeaders);
  if (!decision.allowed) return { ok: false, state: { error: refusalMessage(decision) } };
  if (!token) return { ok: false, state: { error: RESET_MESSAGES.invalidToken } };
  try {
    await getAuth().api.resetPassword({ body: { token, newPassword }, headers: requestHeaders });
    return { ok: true };
  } catch (error) {
    if (isAPIError(error)) {
      const code = String(error.body?.code ?? '');
      if (code === 'INVALID_TOKEN' || code === 'USER_NOT_FOUND')
        return { ok: false, state: { error: RESET_MESSAGES.invalidToken } };
      const refusal = newPasswordRefusal(error);
      if (refusal) return { ok: false, state: { fieldErrors: { newPassword: refusal } } };
    }
    console.error('[auth] password reset failed', error);
    return { ok: false, state: { error: AUTH_MESSAGES.unexpected } };
  }
}
