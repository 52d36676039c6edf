/** Where the social providers' sign-in pages live: a no-JS form is redirected there. */
export const SOCIAL_FORM_TARGETS = {
  google: 'https://accounts.google.com',
  github: 'https://github.com',
} as const;

export interface SecurityHeaderOptions {
  /** A fresh random value per response; Next puts it on every script it renders. */
  nonce: string;
  /** `next dev`: React needs eval for its debugging aids, and inline styles for the overlay. */
  dev: boolean;
  /** The page is served over https (then HSTS, and plain-http subresources are upgraded). */
  https: boolean;
  /** Origin of the Tasks API, which the dashboard calls from the browser. */
  apiOrigin: string;
  /** Extra origins forms may be sent (and redirected) to, e.g. an OAuth provider. */
  formTargets?: string[];
}

/**
 * The Content-Security-Policy of every response, nonce-based as Next 16 documents for the
 * App Router (node_modules/next/dist/docs/01-app/02-guides/content-security-policy.md):
 * scripts run only with this response's nonce ('strict-dynamic' lets them load Next's
 * chunks), no eval outside `next dev`, no plugins, no framing by anyone.
 *
 * @example
 * contentSecurityPolicy({ nonce, dev: false, https: true, apiOrigin: 'https://api.example' });
 */
export function contentSecurityPolicy(options: SecurityHeaderOptions): string {
  const nonce = `'nonce-${options.nonce}'`;
  const directives = [
    "default-src 'self'",
    `script-src 'self' ${nonce} 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ''}`,
    `style-src 'self' ${options.dev ? "'unsafe-inline'" : nonce}`,
    "img-src 'self' blob: data:",
    "font-src 'self'",
    `connect-src 'self' ${options.apiOrigin}`,
    "object-src 'none'",
    "base-uri 'self'",
    // A form without JavaScript that signs in with GitHub is redirected to github.com,
    // and browsers apply form-action to that redirect too.
    ['form-action', "'self'", ...(options.formTargets ?? [])].join(' '),
    "frame-ancestors 'none'",
    ...(options.https ? ['upgrade-insecure-requests'] : []),
  ];
  return directives.join('; ');
}

/**
 * Every security header of a response of the web origin: pages, redirects, server
 * actions and `/api/auth/*` alike (proxy.ts sets them).
 *
 * @example
 * for (const [name, value] of Object.entries(securityHeaders(options))) {
 *   response.headers.set(name, value);
 * }
 */
export function securityHeaders(options: SecurityHeaderOptions): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(options),
    'x-content-type-options': 'nosniff',
    // The full URL (returnUrl included) only to ourselves; other sites get the origin.
    // Not "no-referrer": that turns the Origin of form posts into "null", which server
    // actions and Better Auth's origin check then refuse.
    'referrer-policy': 'strict-origin-when-cross-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    ...(options.https
      ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' }
      : {}),
  };
}
