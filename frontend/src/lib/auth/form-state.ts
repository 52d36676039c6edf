/**
 * What a sign-in or sign-up attempt answers the form with. Types and plain helpers only,
 * so the client form can import the types.
 */

export type AuthField = 'name' | 'email' | 'password';

export interface AuthFormState {
  /** A message for the whole form (wrong credentials, too many attempts...). */
  error?: string;
  fieldErrors?: Partial<Record<AuthField, string>>;
  /** Seconds until another attempt is allowed: the form counts down and holds the button. */
  retryAfter?: number;
  /** The email belongs to an account already: the form links to sign-in under it. */
  signInInstead?: boolean;
  /** What the user typed, minus the password, so a failed submit keeps it. */
  values?: { name?: string; email?: string };
}

export type AttemptResult = { ok: true } | { ok: false; state: AuthFormState };

/** A refused attempt with a message for one field. */
export function fieldFailure(
  field: AuthField,
  message: string,
  values: AuthFormState['values'],
): AttemptResult {
  return { ok: false, state: { fieldErrors: { [field]: message }, values } };
}
