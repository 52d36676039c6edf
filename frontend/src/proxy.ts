import { getSessionCookie } from 'better-auth/cookies';
import { NextResponse, type NextRequest } from 'next/server';
import { CLIENT_PROTO_HEADER, isClientAddressStamped } from '../server/client-address.mjs';
import { authPageUrl } from './lib/auth-page-url';
import { serverEnv } from './lib/env';
import { SOCIAL_FORM_TARGETS, securityHeaders } from './lib/security-headers';

/** Over https: the app's own URL says so, or our server resolved it from a trusted proxy. */
function servedOverHttps(request: NextRequest): boolean {
  if (serverEnv().baseURL.startsWith('https:')) return true;
  return isClientAddressStamped() && request.headers.get(CLIENT_PROTO_HEADER) === 'https';
}

/**
 * Every response of the web origin (pages, redirects, server actions, /api/auth/*) gets
 * the security headers, with a fresh CSP nonce; Next reads the nonce from the request's
 * Content-Security-Policy header and puts it on the scripts it renders.
 *
 * One more job, an optimistic shortcut only: no session cookie at all on /dashboard means
 * no need to render it just to redirect. The page itself checks the real session.
 */
export function proxy(request: NextRequest) {
  const env = serverEnv();
  const nonce = Buffer.from(crypto.randomUUID()).toString('base64');
  const headers = securityHeaders({
    nonce,
    dev: env.nodeEnv === 'development',
    https: servedOverHttps(request),
    apiOrigin: env.apiUrl,
    formTargets: (Object.keys(SOCIAL_FORM_TARGETS) as (keyof typeof SOCIAL_FORM_TARGETS)[])
      .filter((provider) => env.social[provider])
      .map((provider) => SOCIAL_FORM_TARGETS[provider]),
  });

  const { pathname, search } = request.nextUrl;
  let response: NextResponse;
  if (/^\/dashboard(\/|$)/.test(pathname) && !getSessionCookie(request)) {
    const signIn = authPageUrl('/sign-in', {
      returnUrl: `${pathname}${search}`,
      reason: 'sign_in_required',
    });
    response = NextResponse.redirect(new URL(signIn, request.url));
  } else {
    const forwarded = new Headers(request.headers);
    forwarded.set('content-security-policy', headers['content-security-policy']!);
    forwarded.set('x-nonce', nonce);
    response = NextResponse.next({ request: { headers: forwarded } });
  }
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

// Everything but Next's hashed static files.
export const config = { matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'] };
