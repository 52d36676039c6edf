'use server';

import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import type { AuthFormState } from '@/lib/auth/form-state';
import { signInWithPassword } from '@/lib/auth/sign-in';
import { signOut } from '@/lib/auth/sign-out';
import { signUpWithPassword } from '@/lib/auth/sign-up';
import { startSocialSignIn, type SocialProvider } from '@/lib/auth/social';
import { authPageUrl } from '@/lib/auth-page-url';
import { serverEnv } from '@/lib/env';
import { safeReturnUrl } from '@/lib/safe-redirect';

// Thin on purpose: each action reads the request, calls its room in lib/auth (validation,
// rate limit, error messages live there) and redirects. Each works as a plain HTML form
// POST too, so the forms need no JavaScript.

export async function signUpAction(_previous: AuthFormState, form: FormData) {
  const result = await signUpWithPassword(form, await headers());
  if (!result.ok) return result.state;
  // Sign-in waits for a confirmed address: no session yet, the mail is on its way.
  if (serverEnv().requireEmailVerification) redirect('/verify-email');
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
  const retry = 'retryAfter' in result ? result.retryAfter : undefined;
  redirect(authPageUrl('/sign-in', { returnUrl, error: result.error, retry }));
}
