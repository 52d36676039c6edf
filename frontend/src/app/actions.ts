'use server';

import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import {
  signInWithPassword,
  signOut,
  signUpWithPassword,
  startSocialSignIn,
  type AuthFormState,
  type SocialProvider,
} from '@/lib/auth-attempts';
import { safeReturnUrl } from '@/lib/safe-redirect';

// Thin on purpose: the logic (validation, rate limit, error messages) is in lib/auth-attempts.
// Each action works as a plain HTML form POST too, so the forms need no JavaScript.

export async function signUpAction(_previous: AuthFormState, form: FormData) {
  const result = await signUpWithPassword(form, await headers());
  if (!result.ok) return result.state;
  redirect(safeReturnUrl(form.get('returnUrl')));
}

export async function signInAction(_previous: AuthFormState, form: FormData) {
  const result = await signInWithPassword(form, await headers());
  if (!result.ok) return result.state;
  redirect(safeReturnUrl(form.get('returnUrl')));
}

export async function signOutAction() {
  await signOut(await headers());
  redirect('/');
}

export async function socialSignInAction(form: FormData) {
  const provider = form.get('provider') as SocialProvider;
  const returnUrl = safeReturnUrl(form.get('returnUrl'));
  const result = await startSocialSignIn(provider, returnUrl, await headers());
  if ('url' in result) redirect(result.url);
  const retry = result.error === 'rate_limited' ? `&retry=${result.retryAfter}` : '';
  redirect(`/sign-in?returnUrl=${encodeURIComponent(returnUrl)}&error=${result.error}${retry}`);
}
