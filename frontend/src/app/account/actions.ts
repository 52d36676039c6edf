'use server';

import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import {
  changePasswordByForm,
  deleteAccountByForm,
  revokeOtherSessionsByForm,
  revokeSessionByForm,
  updateNameByForm,
} from '@/lib/account/account';
import type { ActionFormState } from '@/lib/auth/action-state';

// Thin, like app/actions.ts: each reads the request and calls lib/account.

export async function updateNameAction(_previous: ActionFormState, form: FormData) {
  return updateNameByForm(form, await headers());
}

export async function changePasswordAction(_previous: ActionFormState, form: FormData) {
  const state = await changePasswordByForm(form, await headers());
  if (!state.notice) return state;
  // A fresh request: with "sign out every other session" Better Auth replaced this session
  // too, and only the next request carries the new cookie.
  redirect(
    form.get('revokeOtherSessions') === 'on'
      ? '/account?notice=password_changed_others'
      : '/account?notice=password_changed',
  );
}

export async function revokeSessionAction(_previous: ActionFormState, form: FormData) {
  return revokeSessionByForm(form, await headers());
}

export async function revokeOtherSessionsAction(_previous: ActionFormState, _form: FormData) {
  return revokeOtherSessionsByForm(await headers());
}

export async function deleteAccountAction(_previous: ActionFormState, form: FormData) {
  const result = await deleteAccountByForm(form, await headers());
  if (!result.ok) return result.state;
  redirect('/?notice=account_deleted');
}
