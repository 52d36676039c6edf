import { PASSWORD_HINT, PASSWORD_MAX_LENGTH } from '@/lib/auth/password-rules';
import type { ActionField } from './action-form';

// The fields several account-lifecycle forms ask for, said once. Plain data, no
// 'use client', so server pages can pass them to `ActionForm`.

export const EMAIL_FIELD: ActionField = {
  name: 'email',
  label: 'Email',
  type: 'email',
  autoComplete: 'email',
  required: true,
};

/** A new password, with the rules' hint and Better Auth's maximum length. */
export const NEW_PASSWORD_FIELD: ActionField = {
  name: 'newPassword',
  label: 'New password',
  type: 'password',
  autoComplete: 'new-password',
  required: true,
  maxLength: PASSWORD_MAX_LENGTH,
  hint: PASSWORD_HINT,
};

/** The password the user has now, asked before a change that needs it. */
export function currentPasswordField(name: string, label: string): ActionField {
  return { name, label, type: 'password', autoComplete: 'current-password', required: true };
}
