import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password-rules';

/**
 * A wait as people read it: `45 s` under two minutes, then `14 min 59 s` (`15 min` on the
 * minute); never less than 1 s, so a countdown ends on "1 s" and not on "0 s".
 *
 * @example
 * formatWait(900); // '15 min'
 */
export function formatWait(seconds: number): string {
  const whole = Math.max(1, Math.ceil(seconds));
  if (whole < 120) return `${whole} s`;
  const minutes = Math.floor(whole / 60);
  const rest = whole % 60;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

/** Every message the sign-in and sign-up forms can show, in one place. */
export const AUTH_MESSAGES = {
  passwordTooShort: `Password must be at least ${PASSWORD_MIN_LENGTH} characters.`,
  passwordTooLong: `Password must be at most ${PASSWORD_MAX_LENGTH} characters.`,
  emailInvalid: 'Enter a valid email address.',
  nameRequired: 'Enter your name.',
  nameTooLong: 'Name must be at most 100 characters.',
  passwordRequired: 'Enter your password.',
  // The form adds a real "Sign in instead" link after it (AuthFormState.signInInstead).
  emailTaken: 'An account with this email already exists.',
  // The same words for an unknown email and a wrong password: no account enumeration.
  wrongCredentials: 'Wrong email or password.',
  tooManyAttempts: (seconds: number) => `Too many attempts, try again in ${formatWait(seconds)}.`,
  tryAgainNow: 'You can try again now.',
  // The server could not tell which client sent the request (see lib/client-address.ts).
  clientUnknown: 'Signing in is not possible from this connection. Please try again later.',
  // Under the password field after a failed submit without JavaScript, where the page is
  // rendered again by the server and the browser does not keep what was typed.
  passwordNotKept: 'For your safety the password is never sent back to the page: type it again.',
  sessionEnded: 'Your session ended, sign in again.',
  signInToContinue: 'Sign in to continue: you will be taken back to the page you asked for.',
  unexpected: 'Something went wrong. Please try again.',
  socialFailed: 'Signing in with that provider did not work. Please try again.',
} as const;
