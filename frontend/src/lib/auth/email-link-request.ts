import 'server-only';
import { isAPIError } from 'better-auth/api';
import type { LimitedAuthPath } from '../rate-limit';
import type { ActionFormState } from './action-state';
import { consumeAuthAttempt, refusalMessage } from './attempt-limit';
import { AUTH_MESSAGES } from './messages';
import { emailSchema, formText } from './schemas';

export interface EmailLinkRequest {
  /** The limited path this request counts on (the same bucket as the HTTP route). */
  path: LimitedAuthPath;
  /** The `auth.api.*` call that mails the link to the validated address. */
  send: (email: string) => Promise<unknown>;
  /** Better Auth's error `code` when the feature is switched off on this server. */
  disabledCode: string;
  /** What the log line says failed, e.g. 'password reset request'. */
  what: string;
  messages: {
    /** The same words whether or not the address belongs to an account. */
    sent: string;
    unavailable: string;
  };
}

/**
 * The steps of every "mail me a link" form (forgot password, resend verification): count it
 * by the same limit as sign-in, validate the email, ask Better Auth to send, and answer the
 * same whoever the address belongs to. Only a refusal by the limit, a malformed email or a
 * switched-off feature is told apart, so the form cannot be used to enumerate accounts.
 *
 * @example
 * return requestEmailLinkByForm(form, requestHeaders, {
 *   path: LIMITED_AUTH_PATHS.requestPasswordReset,
 *   send: (email) => getAuth().api.requestPasswordReset({ body: { email }, headers: requestHeaders }),
 *   disabledCode: 'RESET_PASSWORD_DISABLED',
 *   what: 'password reset request',
 *   messages: { sent: RESET_MESSAGES.sent, unavailable: RESET_MESSAGES.unavailable },
 * });
 */
export async function requestEmailLinkByForm(
  form: FormData,
  requestHeaders: Headers,
  request: EmailLinkRequest,
): Promise<ActionFormState> {
  const email = formText(form, 'email').trim();
  const values = { email };
  const decision = await consumeAuthAttempt(request.path, requestHeaders);
  if (!decision.allowed) return { error: refusalMessage(decision), values };
  const parsed = emailSchema.safeParse(email);
  if (!parsed.success) return { fieldErrors: { email: AUTH_MESSAGES.emailInvalid }, values };
  try {
    await request.send(parsed.data);
  } catch (error) {
    if (isAPIError(error) && error.body?.code === request.disabledCode)
      return { error: request.messages.unavailable, values };
    console.error(`[auth] ${request.what} failed`, error);
    return { error: AUTH_MESSAGES.unexpected, values };
  }
  return { notice: request.messages.sent, values };
}
