import { z } from 'zod';
import type { AuthField, AuthFormState } from './form-state';
import { AUTH_MESSAGES } from './messages';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password-rules';

/** What the sign-up and sign-in forms must contain, with the form's own messages. */

/** An email address as every form takes it: trimmed, lower-cased, well-formed. */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: AUTH_MESSAGES.emailInvalid }));

export const signUpSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, { error: AUTH_MESSAGES.nameRequired })
    .max(100, { error: AUTH_MESSAGES.nameTooLong }),
  email: emailSchema,
  password: z
    .string()
    .min(PASSWORD_MIN_LENGTH, { error: AUTH_MESSAGES.passwordTooShort })
    .max(PASSWORD_MAX_LENGTH, { error: AUTH_MESSAGES.passwordTooLong }),
});

// Sign-in checks only presence: a rule a password does not meet is still "wrong password".
export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, { error: AUTH_MESSAGES.passwordRequired }),
});

/** A text field of a submitted form ('' when missing or a file). */
export function formText(form: FormData, key: string): string {
  const value = form.get(key);
  return typeof value === 'string' ? value : '';
}

/** The first message per field, as the form shows them. */
export function fieldErrors(error: z.ZodError): AuthFormState['fieldErrors'] {
  const errors: AuthFormState['fieldErrors'] = {};
  for (const issue of error.issues) {
    const field = issue.path[0] as AuthField;
    errors[field] ??= issue.message;
  }
  return errors;
}
