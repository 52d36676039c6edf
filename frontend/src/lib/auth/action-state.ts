/**
 * What the account-lifecycle forms (forgot/reset password, verification resend, the account
 * page) get back from their server action. Types only, so client forms can import it.
 */
export interface ActionFormState {
  /** A message for the whole form, shown as an alert (refusals, errors). */
  error?: string;
  /** A message for the whole form, shown as a status (it worked, check your mail). */
  notice?: string;
  /** One message per field name. */
  fieldErrors?: Record<string, string>;
  /** What the user typed, never a password, so a failed submit keeps it. */
  values?: Record<string, string>;
}
