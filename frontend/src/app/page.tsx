import Link from 'next/link';
import { getSession } from '@/lib/session';
import '@/components/account/account.css';

// The home page speaks to the people who use the app. How it is built (Better Auth, the
// JWTs, the shared limiter) is the README's and docs/'s story, not theirs.
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
        A simple to-do list that keeps your tasks private: write them down, tick them off, and pick
        up where you left off on any device.
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
          <strong>Only you see your tasks.</strong> No one else can open your list, not even with a
          link to it.
        </li>
        <li>
          <strong>Changed your mind?</strong> A deleted task can be brought back for a few seconds
          with Undo.
        </li>
        <li>
          <strong>Sign in your way:</strong> with your email and a password, or with Google or
          GitHub where offered.
        </li>
        <li>
          <strong>Your account stays safe:</strong> repeated wrong passwords are slowed down, and
          you are signed out after a while without use.
        </li>
      </ul>
    </section>
  );
}
