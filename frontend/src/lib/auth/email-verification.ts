import 'server-only';
import { LIMITED_AUTH_PATHS } from '../rate-limit';
import type { ActionFormState } from './action-state';
import { getAuth } from './better-auth';
import { requestEmailLinkByForm } from './email-link-request';

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

/**
 * Resends the verification mail (Better Auth's `sendVerificationEmail`), counted by the same
 * limit as sign-in and answered the same whoever the address belongs to.
 */
export function resendVerificationByForm(
  form: FormData,
  requestHeaders: Headers,
): Promise<ActionFormState> {
  return requestEmailLinkByForm(form, requestHeaders, {
    path: LIMITED_AUTH_PATHS.sendVerificationEmail,
    send: (email) =>
      getAuth().api.sendVerificationEmail({ body: { email }, headers: requestHeaders }),
    disabledCode: 'VERIFICATION_EMAIL_NOT_ENABLED',
    what: 'verification resend',
    messages: { sent: VERIFY_MESSAGES.resent, unavailable: VERIFY_MESSAGES.unavailable },
  });
}
