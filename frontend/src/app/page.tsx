import Link from 'next/link';
import { getSession } from '@/lib/session';
import '@/components/account/account.css';

export default async function HomePage({ searchParams }: PageProps<'/'>) {
  const session = await getSession();
  const { notice } = await searchParams;
  return (
    <section className="hero" aria-labelledby="home-title">
      {notice === 'account_deleted' ? (
        <p className="notice" role="status">
          Your account and all your tasks were deleted.
        </p>
      ) : null}
      <h1 id="home-title">Your tasks, for your eyes only.</h1>
      <p className="lead">
        authbridge signs you in with Better Auth in this Next.js app, then talks to a separate Tasks
        API with short-lived tokens the API checks against this app&apos;s published keys. The API
        never sees your password or your session.
      </p>
      <div className="actions">
        {session ? (
          <Link className="button primary" href="/dashboard">
            Go to your tasks
          </Link>
        ) : (
          <>
            <Link className="button primary" href="/sign-up">
              Create an account
            </Link>
            <Link className="button secondary" href="/sign-in">
              Sign in
            </Link>
          </>
        )}
      </div>
      <ul className="facts">
        <li>
          <strong>Email and password</strong>, plus Google or GitHub when they are configured.
        </li>
        <li>
          <strong>15-minute JWTs</strong> for the API, signed with keys that never leave the server.
        </li>
        <li>
          <strong>Rate-limited</strong> sign-in and sign-up, shared by every instance.
        </li>
      </ul>
    </section>
  );
}
