'use server';

import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import type { ActionFormState } from '@/lib/auth/action-state';
import { resendVerificationByForm } from '@/lib/auth/email-verification';
import { requestPasswordResetByForm, resetPasswordByForm } from '@/lib/auth/password-reset';

// Thin, like actions.ts: each reads the request and calls its room in lib/auth.

export async function requestPasswordResetAction(_previous: ActionFormState, form: FormData) {
  return requestPasswordResetByForm(form, await headers());
}

export async function resetPasswordAction(_previous: ActionFormState, form: FormData) {
  const result = await resetPasswordByForm(form, await headers());
  if (!result.ok) return result.state;
  redirect('/sign-in?notice=password_reset');
}

export async function resendVerificationAction(_previous: ActionFormState, form: FormData) {
  return resendVerificationByForm(form, await headers());
}
