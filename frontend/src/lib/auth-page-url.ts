import { DEFAULT_AFTER_SIGN_IN, safeReturnUrl } from './safe-redirect';

export type AuthPage = '/sign-in' | '/sign-up';

export interface AuthPageParams {
  /** Where to go after signing in; passed through `safeReturnUrl`, so any value is safe here. */
  returnUrl?: unknown;
  /** A code for `signInNotice` (never text to show). */
  error?: string;
  /** Seconds to wait, with `error: 'rate_limited'`. */
  retry?: number;
  /** Why the visitor is sent to sign in, for `signInReason` (a code, never text). */
  reason?: SignInReason;
}

/**
 * `sign_in_required`: a signed-out visitor asked for a page that needs a user;
 * `session_ended`: the user had a session and it ended (expired, revoked) while they worked.
 */
export type SignInReason = 'sign_in_required' | 'session_ended';

/**
 * The one builder of sign-in and sign-up links, used by the proxy, the pages, the server
 * actions and the client form alike: the returnUrl in it has always been through
 * `safeReturnUrl`. Slashes stay readable, everything else is encoded.
 *
 * @example
 * authPageUrl('/sign-in', { returnUrl: '/dashboard?tab=done' });
 * // '/sign-in?returnUrl=/dashboard%3Ftab%3Ddone'
 * authPageUrl('/sign-in', { returnUrl: '//evil.example', error: 'rate_limited', retry: 7 });
 * // '/sign-in?returnUrl=/dashboard&error=rate_limited&retry=7'
 */
export function authPageUrl(page: AuthPage, params: AuthPageParams = {}): string {
  const returnUrl = safeReturnUrl(params.returnUrl ?? DEFAULT_AFTER_SIGN_IN);
  let url = `${page}?returnUrl=${encodeURIComponent(returnUrl).replace(/%2F/gi, '/')}`;
  if (params.error) url += `&error=${encodeURIComponent(params.error)}`;
  if (params.retry !== undefined) url += `&retry=${encodeURIComponent(String(params.retry))}`;
  if (params.reason) url += `&reason=${params.reason}`;
  return url;
}
