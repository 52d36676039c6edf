import 'server-only';
import type { APIError } from 'better-auth/api';
import { AUTH_MESSAGES } from './messages';
import { PASSWORD_ERROR_CODES } from './password-policy-plugin';

const POLICY_CODES: readonly string[] = Object.values(PASSWORD_ERROR_CODES);

/**
 * The words for Better Auth refusing a new password (its own length checks, or our password
 * policy plugin, whose message says which rule), or undefined for any other refusal. Every
 * form that sets a password (sign-up, reset, change) shows it on its password field.
 *
 * @example
 * const message = newPasswordRefusal(error);
 * if (message) return { fieldErrors: { newPassword: message } };
 */
export function newPasswordRefusal(error: APIError): string | undefined {
  const code = String(error.body?.code ?? '');
  if (code === PASSWORD_ERROR_CODES.too_short) return AUTH_MESSAGES.passwordTooShort;
  if (code === PASSWORD_ERROR_CODES.too_long) return AUTH_MESSAGES.passwordTooLong;
  if (POLICY_CODES.includes(code)) return error.body?.message ?? AUTH_MESSAGES.unexpected;
  return undefined;
}
