// /reset-password?token=...: the page the reset mail links to. Choosing a new password ends
// every session of the account; the link works once and for a short time.
import type { Metadata } from 'next';
import Link from 'next/link';
import { resetPasswordAction } from '@/app/lifecycle-actions';
import { ActionForm } from '@/components/account/action-form';
import { NEW_PASSWORD_FIELD } from '@/components/account/fields';

export const metadata: Metadata = {
  title: 'Choose a new password · authbridge',
  // The URL carries a token: never send it on as a Referer.
  referrer: 'no-referrer',
};

export default async function ResetPasswordPage({ searchParams }: PageProps<'/reset-password'>) {
  const { token } = await searchParams;
  const value = typeof token === 'string' ? token : '';
  return (
    <section className="card narrow" aria-labelledby="reset-title">
      <h1 id="reset-title">Choose a new password</h1>
      {value ? (
        <ActionForm
          id="reset"
          action={resetPasswordAction}
          hidden={{ token: value }}
          fields={[NEW_PASSWORD_FIELD]}
          submitLabel="Set the new password"
          pendingLabel="Saving…"
        />
      ) : (
        <p className="alert" role="alert">
          This page needs the link from the reset mail.
        </p>
      )}
      <p className="switch">
        Link expired? <Link href="/forgot-password">Ask for a new one</Link>
      </p>
    </section>
  );
}
