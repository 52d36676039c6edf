import 'server-only';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { getAuth } from './auth';
import { authPageUrl } from './auth-page-url';

/**
 * The real session (database-checked), or null. Once per request: React's `cache()`
 * shares the answer between the layout, the page and every component that asks during
 * one render, so a page costs one session look-up however many of them need the user
 * (test/session.test.ts counts the queries).
 */
export const getSession = cache(async () => {
  // headers() first: it marks the page dynamic before anything needs the runtime env.
  const requestHeaders = await headers();
  return getAuth().api.getSession({ headers: requestHeaders });
});

/**
 * For pages that need a user: the proxy's cookie check is only a shortcut, this is the
 * authorization. No valid session sends the visitor to sign in and back here after.
 */
export async function requireSession(returnUrl: string) {
  const session = await getSession();
  // The proxy let the request through, so it carried a session cookie: that session ended.
  if (!session) redirect(authPageUrl('/sign-in', { returnUrl, reason: 'session_ended' }));
  return session;
}
