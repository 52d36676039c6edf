// /sign-up: create an account (then signed in). Signed in already: on to returnUrl.
import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { signUpAction } from '@/app/actions';
import { AuthForm } from '@/components/auth-form';
import { SocialButtons } from '@/components/social-buttons';
import { safeReturnUrl } from '@/lib/safe-redirect';
import { getSession } from '@/lib/session';

export const metadata: Metadata = { title: 'Create an account · authbridge' };

export default async function SignUpPage({ searchParams }: PageProps<'/sign-up'>) {
  const returnUrl = safeReturnUrl((await searchParams).returnUrl);
  if (await getSession()) redirect(returnUrl);
  return (
    <section className="card narrow" aria-labelledby="sign-up-title">
      <h1 id="sign-up-title">Create an account</h1>
      <AuthForm mode="sign-up" action={signUpAction} returnUrl={returnUrl} />
      <SocialButtons returnUrl={returnUrl} />
    </section>
  );
}
