// /forgot-password: asks for the email and mails a single-use reset link. The answer is the
// same whether or not an account exists.
import type { Metadata } from 'next';
import Link from 'next/link';
import { requestPasswordResetAction } from '@/app/lifecycle-actions';
import { EmailLinkForm } from '@/components/account/email-link-form';

export const metadata: Metadata = { title: 'Forgot password · authbridge' };

export default function ForgotPasswordPage() {
  return (
    <section className="card narrow" aria-labelledby="forgot-title">
      <h1 id="forgot-title">Forgot your password?</h1>
      <p className="muted">
        Enter the email address of your account. We will send you a link to choose a new password.
      </p>
      <EmailLinkForm
        id="forgot"
        action={requestPasswordResetAction}
        submitLabel="Send the reset link"
      />
      <p className="switch">
        Remembered it? <Link href="/sign-in">Sign in</Link>
      </p>
    </section>
  );
}
