import 'server-only';
import { isAPIError } from 'better-auth/api';
import { z } from 'zod';
import { LIMITED_AUTH_PATHS } from '../rate-limit';
import type { ActionFormState } from './action-state';
import { consumeAuthAttempt, refusalMessage } from './attempt-limit';
import { getAuth } from './better-auth';
import { AUTH_MESSAGES } from './messages';
import { formText } from './schemas';

/** What the verification notices and the resend form say. */
export const VERIFY_MESSAGES = {
  // The same words whether or not the account exists or is verified already.
  resent:
    'If that address belongs to an account still waiting for confirmation, a new link is on its way.',
  // Sign-in refused because the address is not confirmed (Better Auth sends a new link then).
  notVerified:
    'Confirm your email address first: we have sent a new link to it. Open it, then sign in.',
  unavailable: 'Email verification is not available on this server.',
} as const;

const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: AUTH_MESSAGES.emailInvalid }));

/**
 * Resends the verification mail (Better Auth's `sendVerificationEmail`), counted by the same
 * limit as sign-in and answered the same whoever the address belongs to.
 */
export async function resendVerificationByForm(
  form: FormData,
  requestHeaders: Headers,
): Promise<ActionFormState> {
  const email = formText(form, 'email').trim();
  const values = { email };
  const decision = await consumeAuthAttempt(
    LIMITED_AUTH_PATHS.sendVerificationEmail,
    requestHeaders,
  );
  if (!decision.allowed) return { error: refusalMessage(decision), values };
  const parsed = emailSchema.safeParse(email);
  if (!parsed.success) return { fieldErrors: { email: AUTH_MESSAGES.emailInvalid }, values };
  try {
    await getAuth().api.sendVerificationEmail({
      body: { email: parsed.data },
      headers: requestHeaders,
    });
  } catch (error) {
    if (isAPIError(error) && error.body?.code === 'VERIFICATION_EMAIL_NOT_ENABLED')
      return { error: VERIFY_MESSAGES.unavailable, values };
    console.error('[auth] verification resend failed', error);
    return { error: AUTH_MESSAGES.unexpected, values };
  }
  return { notice: VERIFY_MESSAGES.resent, values };
}
