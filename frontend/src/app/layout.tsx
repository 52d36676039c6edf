import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { SignOutButton } from '@/components/sign-out-button';
import { getSession } from '@/lib/session';
import './globals.css';

export const metadata: Metadata = {
  title: 'authbridge',
  description: 'A simple, private to-do list: write your tasks down and tick them off.',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const session = await getSession();
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <nav aria-label="Main" className="nav">
            <Link href="/" className="brand">
              authbridge
            </Link>
            <div className="nav-links">
              {session ? (
                <>
                  <Link href="/dashboard">Tasks</Link>
                  <Link href="/account">Account</Link>
                  <span className="who" title={session.user.email}>
                    {session.user.name}
                  </span>
                  <SignOutButton />
                </>
              ) : (
                <>
                  <Link href="/sign-in">Sign in</Link>
                  <Link href="/sign-up" className="button primary small">
                    Sign up
                  </Link>
                </>
              )}
            </div>
          </nav>
        </header>
        <main id="main" tabIndex={-1}>
          {children}
        </main>
      </body>
    </html>
  );
}
