// /verify-email: where sign-up lands when sign-in waits for a confirmed address
// (AUTH_REQUIRE_EMAIL_VERIFICATION): "check your inbox", and a resend form.
import type { Metadata } from 'next';
import Link from 'next/link';
import { resendVerificationAction } from '@/app/lifecycle-actions';
import { EmailLinkForm } from '@/components/account/email-link-form';

export const metadata: Metadata = { title: 'Confirm your email · authbridge' };

export default function VerifyEmailPage() {
  return (
    <section className="card narrow" aria-labelledby="verify-title">
      <h1 id="verify-title">Check your inbox</h1>
      <p className="notice" role="status">
        We have sent you a link to confirm your email address. Open it to finish creating your
        account; it signs you in.
      </p>
      <h2>No mail?</h2>
      <p className="muted">Look in the spam folder, or ask for a new link.</p>
      <EmailLinkForm id="resend" action={resendVerificationAction} submitLabel="Send a new link" />
      <p className="switch">
        Confirmed already? <Link href="/sign-in">Sign in</Link>
      </p>
    </section>
  );
}
