import { AUTH_MESSAGES } from './messages';

/**
 * The message for `/sign-in?error=<code>[&retry=<s>]` (links built by `authPageUrl`).
 * Codes only, never text from the URL, so a crafted link cannot put words of its choosing
 * on the page.
 *
 * @example
 * signInNotice('rate_limited', '7'); // 'Too many attempts, try again in 7 s.'
 * signInNotice('<script>', undefined); // the general social-sign-in message
 */
export function signInNotice(error: unknown, retry: unknown): string | undefined {
  if (typeof error !== 'string' || !error) return undefined;
  if (error === 'rate_limited') return AUTH_MESSAGES.tooManyAttempts(retrySeconds(retry));
  if (error === 'client_unknown') return AUTH_MESSAGES.clientUnknown;
  return AUTH_MESSAGES.socialFailed;
}

/**
 * The good news for `/sign-in?notice=<code>` (a finished password reset). Codes only, like
 * `signInNotice`.
 *
 * @example
 * signInStatus('password_reset'); // 'Your password was changed ...'
 */
export function signInStatus(notice: unknown): string | undefined {
  if (notice === 'password_reset')
    return 'Your password was changed and every session was signed out. Sign in with the new password.';
  return undefined;
}

/**
 * The note for `/sign-in?reason=<code>`: why the visitor was sent here. Codes only.
 *
 * @example
 * signInReason('session_ended'); // 'Your session ended, sign in again.'
 */
export function signInReason(reason: unknown): string | undefined {
  if (reason === 'session_ended') return AUTH_MESSAGES.sessionEnded;
  if (reason === 'sign_in_required') return AUTH_MESSAGES.signInToContinue;
  return undefined;
}

/** The `retry` parameter as seconds: between 1 and 3600, 10 when unreadable. */
export function retrySeconds(retry: unknown): number {
  const seconds = Number(retry);
  return Number.isFinite(seconds) ? Math.min(Math.max(seconds, 1), 3600) : 10;
}
