import 'server-only';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { getAuth } from './auth';
import { signInUrl } from './sign-in-url';

/** The real session (database-checked), or null. */
export async function getSession() {
  // headers() first: it marks the page dynamic before anything needs the runtime env.
  const requestHeaders = await headers();
  return getAuth().api.getSession({ headers: requestHeaders });
}

/**
 * For pages that need a user: the proxy's cookie check is only a shortcut, this is the
 * authorization. No valid session sends the visitor to sign in and back here after.
 */
export async function requireSession(returnUrl: string) {
  const session = await getSession();
  if (!session) redirect(signInUrl(returnUrl));
  return session;
}
