import 'server-only';
import { isAPIError, type APIError } from 'better-auth/api';
import { revalidatePath } from 'next/cache';
import { LIMITED_AUTH_PATHS } from '../rate-limit';
import type { ActionFormState } from '../auth/action-state';
import { consumeAuthAttempt, refusalMessage } from '../auth/attempt-limit';
import { getAuth } from '../auth/better-auth';
import { AUTH_MESSAGES } from '../auth/messages';
import { newPasswordRefusal } from '../auth/password-refusal';
import { formText } from '../auth/schemas';
import { deviceLabel } from './device';

/**
 * What the /account page does, each through Better Auth's own endpoint with the caller's
 * session (`auth.api.*` with the request headers): change the name, change the password,
 * list and end sessions, delete the account. The server actions in app/account/actions.ts
 * only call these.
 */

export const ACCOUNT_MESSAGES = {
  nameSaved: 'Your name was saved.',
  nameRequired: AUTH_MESSAGES.nameRequired,
  nameTooLong: AUTH_MESSAGES.nameTooLong,
  passwordChanged: 'Your password was changed.',
  passwordChangedOthersEnded: 'Your password was changed and every other session was signed out.',
  wrongPassword: 'That is not your current password.',
  passwordRequired: 'Enter your password.',
  sessionEnded: 'That session was signed out.',
  othersEnded: 'Every other session was signed out.',
  noSuchSession: 'That session is not active any more.',
  signedOut: 'You are signed out. Sign in again.',
} as const;

function passwordRefusal(error: APIError, field: string): ActionFormState | undefined {
  if (error.body?.code === 'INVALID_PASSWORD')
    return { fieldErrors: { currentPassword: ACCOUNT_MESSAGES.wrongPassword } };
  const refusal = newPasswordRefusal(error);
  return refusal ? { fieldErrors: { [field]: refusal } } : undefined;
}

function unexpected(what: string, error: unknown): ActionFormState {
  if (isAPIError(error) && error.status === 'UNAUTHORIZED')
    return { error: ACCOUNT_MESSAGES.signedOut };
  console.error(`[account] ${what} failed`, error);
  return { error: AUTH_MESSAGES.unexpected };
}

export async function updateNameByForm(
  form: FormData,
  requestHeaders: Headers,
): Promise<ActionFormState> {
  const name = formText(form, 'name').trim();
  const values = { name };
  if (!name) return { fieldErrors: { name: ACCOUNT_MESSAGES.nameRequired }, values };
  if (name.length > 100) return { fieldErrors: { name: ACCOUNT_MESSAGES.nameTooLong }, values };
  try {
    await getAuth().api.updateUser({ body: { name }, headers: requestHeaders });
    revalidatePath('/', 'layout'); // the header shows the name
    return { notice: ACCOUNT_MESSAGES.nameSaved, values };
  } catch (error) {
    return { ...unexpected('name change', error), values };
  }
}

export async function changePasswordByForm(
  form: FormData,
  requestHeaders: Headers,
): Promise<ActionFormState> {
  const currentPassword = formText(form, 'currentPassword');
  const newPassword = formText(form, 'newPassword');
  const endOthers = formText(form, 'revokeOtherSessions') === 'on';
  if (!currentPassword)
    return { fieldErrors: { currentPassword: ACCOUNT_MESSAGES.passwordRequired } };
  // Counted like sign-in: the form checks the current password, so it can be used to guess it.
  const decision = await consumeAuthAttempt(LIMITED_AUTH_PATHS.changePassword, requestHeaders);
  if (!decision.allowed) return { error: refusalMessage(decision) };
  try {
    await getAuth().api.changePassword({
      body: { currentPassword, newPassword, revokeOtherSessions: endOthers },
      headers: requestHeaders,
    });
    // No revalidation here: with endOthers Better Auth replaced this session too (the new
    // cookie is set on this response), and a re-render in this request would still carry
    // the old one and look signed out. The list is fresh on the next visit.
    return {
      notice: endOthers
        ? ACCOUNT_MESSAGES.passwordChangedOthersEnded
        : ACCOUNT_MESSAGES.passwordChanged,
    };
  } catch (error) {
    return (
      (isAPIError(error) && passwordRefusal(error, 'newPassword')) ||
      unexpected('password change', error)
    );
  }
}

/** One active session as the page shows it: never its token. */
export interface SessionView {
  id: string;
  device: string;
  ipAddress: string | null;
  lastSeen: Date;
  current: boolean;
}

/** The caller's active sessions, the current one first, then the most recently seen. */
export async function listActiveSessions(
  requestHeaders: Headers,
  currentSessionId: string,
): Promise<SessionView[]> {
  const sessions = await getAuth().api.listSessions({ headers: requestHeaders });
  return sessions
    .map((session) => ({
      id: session.id,
      device: deviceLabel(session.userAgent),
      ipAddress: session.ipAddress ?? null,
      lastSeen: new Date(session.updatedAt),
      current: session.id === currentSessionId,
    }))
    .sort(
      (a, b) =>
        Number(b.current) - Number(a.current) || b.lastSeen.getTime() - a.lastSeen.getTime(),
    );
}

/**
 * Signs out one of the caller's sessions by its id. The page sends ids, never tokens (a
 * session token in the HTML would be one more place to steal it from); the token is found
 * here among the caller's own sessions, so another user's session id matches nothing.
 */
export async function revokeSessionByForm(
  form: FormData,
  requestHeaders: Headers,
): Promise<ActionFormState> {
  const id = formText(form, 'sessionId');
  try {
    const auth = getAuth();
    const mine = await auth.api.listSessions({ headers: requestHeaders });
    const session = mine.find((s) => s.id === id);
    if (!session) return { error: ACCOUNT_MESSAGES.noSuchSession };
    await auth.api.revokeSession({ body: { token: session.token }, headers: requestHeaders });
    revalidatePath('/account');
    return { notice: ACCOUNT_MESSAGES.sessionEnded };
  } catch (error) {
    return unexpected('session sign-out', error);
  }
}

export async function revokeOtherSessionsByForm(requestHeaders: Headers): Promise<ActionFormState> {
  try {
    await getAuth().api.revokeOtherSessions({ headers: requestHeaders });
    revalidatePath('/account');
    return { notice: ACCOUNT_MESSAGES.othersEnded };
  } catch (error) {
    return unexpected('sign-out of other sessions', error);
  }
}

/**
 * Deletes the account: Better Auth checks the password, our `beforeDelete` deletes the
 * user's data in the API (one transaction), then Better Auth deletes the user, its sessions
 * and accounts.
 */
export async function deleteAccountByForm(
  form: FormData,
  requestHeaders: Headers,
): Promise<{ ok: true } | { ok: false; state: ActionFormState }> {
  const password = formText(form, 'password');
  if (!password)
    return { ok: false, state: { fieldErrors: { password: ACCOUNT_MESSAGES.passwordRequired } } };
  const decision = await consumeAuthAttempt(LIMITED_AUTH_PATHS.deleteUser, requestHeaders);
  if (!decision.allowed) return { ok: false, state: { error: refusalMessage(decision) } };
  try {
    await getAuth().api.deleteUser({ body: { password }, headers: requestHeaders });
    return { ok: true };
  } catch (error) {
    if (isAPIError(error)) {
      const code = String(error.body?.code ?? '');
      if (code === 'INVALID_PASSWORD')
        return { ok: false, state: { fieldErrors: { password: ACCOUNT_MESSAGES.wrongPassword } } };
      if (code === 'USER_DATA_NOT_DELETED')
        return { ok: false, state: { error: error.body?.message ?? AUTH_MESSAGES.unexpected } };
    }
    return { ok: false, state: unexpected('account deletion', error) };
  }
}
