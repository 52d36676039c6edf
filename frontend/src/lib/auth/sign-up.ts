import 'server-only';
import { LIMITED_AUTH_PATHS } from '../rate-limit';
import { getAuth } from './better-auth';
import { fieldFailure, type AttemptResult } from './form-state';
import { AUTH_MESSAGES } from './messages';
import { runPasswordAttempt } from './password-attempt';
import { newPasswordRefusal } from './password-refusal';
import { formText, signUpSchema } from './schemas';

/**
 * Sign-up with email and password, as the server action runs it: counted by the limit,
 * validated, then `auth.api.signUpEmail` (which signs the new user in: autoSignIn).
 * Better Auth's refusals become the form's messages.
 *
 * @example
 * const result = await signUpWithPassword(form, await headers());
 * if (!result.ok) return result.state;
 */
export function signUpWithPassword(
  form: FormData,
  requestHeaders: Headers,
): Promise<AttemptResult> {
  const values = { name: formText(form, 'name').trim(), email: formText(form, 'email').trim() };
  return runPasswordAttempt({
    path: LIMITED_AUTH_PATHS.signUpEmail,
    requestHeaders,
    values,
    schema: signUpSchema,
    input: { ...values, password: formText(form, 'password') },
    call: (body) => getAuth().api.signUpEmail({ body, headers: requestHeaders }),
    explain: (error) => {
      // Too short, too long, or our password policy plugin's rule (its message says which).
      const refusal = newPasswordRefusal(error);
      if (refusal) return fieldFailure('password', refusal, values);
      switch (error.body?.code) {
        case 'USER_ALREADY_EXISTS':
        case 'USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL':
          return {
            ok: false,
            state: {
              fieldErrors: { email: AUTH_MESSAGES.emailTaken },
              signInInstead: true,
              values,
            },
          };
        case 'INVALID_EMAIL':
          return fieldFailure('email', AUTH_MESSAGES.emailInvalid, values);
        default:
          return undefined;
      }
    },
  });
}
