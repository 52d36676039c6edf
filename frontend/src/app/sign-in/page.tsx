// /sign-in: the email-and-password form, social buttons, and the notice a failed social
// sign-in or a rate limit sent the visitor back with. Signed in already: on to returnUrl.
import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { signInAction } from '@/app/actions';
import { AuthForm } from '@/components/auth-form';
import { SocialButtons } from '@/components/social-buttons';
import { retrySeconds, signInNotice, signInReason, signInStatus } from '@/lib/auth/notices';
import { safeReturnUrl } from '@/lib/safe-redirect';
import { getSession } from '@/lib/session';
import '@/components/account/account.css';

export const metadata: Metadata = { title: 'Sign in · authbridge' };

export default async function SignInPage({ searchParams }: PageProps<'/sign-in'>) {
  const params = await searchParams;
  const returnUrl = safeReturnUrl(params.returnUrl);
  if (await getSession()) redirect(returnUrl);
  const reason = signInReason(params.reason);
  return (
    <section className="card narrow" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in</h1>
      {signInStatus(params.notice) ? (
        <p className="notice" role="status">
          {signInStatus(params.notice)}
        </p>
      ) : null}
      {reason ? (
        <p className="notice" id="sign-in-reason">
          {reason}
        </p>
      ) : null}
      <AuthForm
        mode="sign-in"
        action={signInAction}
        returnUrl={returnUrl}
        notice={signInNotice(params.error, params.retry)}
        noticeRetryAfter={params.error === 'rate_limited' ? retrySeconds(params.retry) : undefined}
      />
      <p className="forgot">
        <Link href="/forgot-password">Forgot password?</Link>
      </p>
      <SocialButtons returnUrl={returnUrl} />
    </section>
  );
}
