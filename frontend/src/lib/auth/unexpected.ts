import 'server-only';
import type { AttemptResult, AuthFormState } from './form-state';
import { AUTH_MESSAGES } from './messages';

/**
 * An error no rule of ours expected: logged on the server, and the form gets the general
 * message (never the error's own text, which may say more than a visitor should read).
 */
export function unexpectedFailure(error: unknown, values: AuthFormState['values']): AttemptResult {
  console.error('[auth] unexpected error', error);
  return { ok: false, state: { error: AUTH_MESSAGES.unexpected, values } };
}
