/** `/sign-in?returnUrl=/dashboard`: slashes stay readable, everything else is encoded. */
export function signInUrl(returnUrl: string): string {
  return `/sign-in?returnUrl=${encodeURIComponent(returnUrl).replace(/%2F/gi, '/')}`;
}
