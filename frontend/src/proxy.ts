import { getSessionCookie } from 'better-auth/cookies';
import { NextResponse, type NextRequest } from 'next/server';
import { signInUrl } from './lib/sign-in-url';

/**
 * An optimistic shortcut only: no session cookie at all means no need to render the
 * dashboard just to redirect. The page itself checks the real session on the server.
 */
export function proxy(request: NextRequest) {
  if (getSessionCookie(request)) return NextResponse.next();
  const { pathname, search } = request.nextUrl;
  return NextResponse.redirect(new URL(signInUrl(`${pathname}${search}`), request.url));
}

export const config = { matcher: ['/dashboard', '/dashboard/:path*'] };
