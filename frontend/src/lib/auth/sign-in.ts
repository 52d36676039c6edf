import 'server-only';
import { LIMITED_AUTH_PATHS, TOO_MANY_FAILED_SIGN_INS } from '../rate-limit';
import { getAuth } from './better-auth';
import { fieldFailure, type AttemptResult } from './form-state';
import { VERIFY_MESSAGES } from './email-verification';
import { AUTH_MESSAGES } from './messages';
import { runPasswordAttempt } from './password-attempt';
import { formText, signInSchema } from './schemas';

/**
 * Sign-in with email and password, as the server action runs it: counted by the flood
 * ceiling, validated, then `auth.api.signInEmail`, whose hooks count its failures (the
 * same counters as the HTTP route). An unknown email and a wrong password get the same words.
 *
 * @example
 * const result = await signInWithPassword(form, await headers());
 * if (!result.ok) return result.state;
 */
export function signInWithPassword(
  form: FormData,
  requestHeaders: Headers,
): Promise<AttemptResult> {
  const values = { email: formText(form, 'email').trim() };
  return runPasswordAttempt({
    path: LIMITED_AUTH_PATHS.signInEmail,
    requestHeaders,
    values,
    schema: signInSchema,
    input: { email: values.email, password: formText(form, 'password') },
    call: (body) => getAuth().api.signInEmail({ body, headers: requestHeaders }),
    explain: (error) => {
      // Failed too often (lib/rate-limit/failures.ts): the form counts the wait down.
      if (error.body?.code === TOO_MANY_FAILED_SIGN_INS) {
        const retryAfter = Math.max(1, Number(error.body.retryAfter) || 1);
        return {
          ok: false,
          state: { error: AUTH_MESSAGES.tooManyAttempts(retryAfter), retryAfter, values },
        };
      }
      // Unknown email and wrong password get the same words (and Better Auth the same code).
      if (error.status === 'UNAUTHORIZED' || error.body?.code === 'INVALID_EMAIL_OR_PASSWORD') {
        return { ok: false, state: { error: AUTH_MESSAGES.wrongCredentials, values } };
      }
      if (error.body?.code === 'EMAIL_NOT_VERIFIED') {
        // Only after the right password: Better Auth has mailed a fresh link (sendOnSignIn).
        return { ok: false, state: { error: VERIFY_MESSAGES.notVerified, values } };
      }
      if (error.body?.code === 'INVALID_EMAIL') {
        return fieldFailure('email', AUTH_MESSAGES.emailInvalid, values);
      }
      return undefined;
    },
  });
}
