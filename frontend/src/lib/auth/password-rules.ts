/**
 * The password rules as NIST SP 800-63B puts them, in words every form can show: a length
 * (8 to 128 characters), no composition rules (no "one digit, one symbol"), and a refusal
 * of passwords that are common, breached-looking or the user's own email or name. The
 * list check itself lives server-side in `password-policy.ts` (the list is large; this
 * file is imported by client forms).
 */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

/** The hint under every "new password" field. */
export const PASSWORD_HINT = `${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters. Spaces are fine; a few unrelated words make a strong password. Common passwords are refused.`;

/** Why a password is refused, one code per rule. */
export type PasswordProblem = 'too_short' | 'too_long' | 'common' | 'personal' | 'repetitive';

/** What each refusal says: the rule, so the user knows what to change. */
export const PASSWORD_PROBLEM_MESSAGES: Record<PasswordProblem, string> = {
  too_short: `Password must be at least ${PASSWORD_MIN_LENGTH} characters.`,
  too_long: `Password must be at most ${PASSWORD_MAX_LENGTH} characters.`,
  common:
    'This password is on a list of common or breached passwords, so attackers try it first. Choose another one.',
  personal: 'Password must not be your email address or your name.',
  repetitive: 'Password must not be one character repeated or a simple sequence like 12345678.',
};
