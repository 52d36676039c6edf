import { TokenRejectedError } from './auth.errors';

// RFC 6750 b64token; the scheme is case-insensitive and surrounding spaces are tolerated.
const BEARER = /^\s*bearer\s+([A-Za-z0-9\-._~+/]+=*)\s*$/i;

/**
 * Reads the bearer token of an `Authorization` header value, and only there: tokens in the
 * query string or in cookies are never read (they leak into logs and CSRF).
 * Returns `undefined` when there is no header; throws a `malformed_header`
 * {@link TokenRejectedError} when there is one that is not `Bearer <token>`.
 *
 * @example
 * extractBearerToken(' bearer eyJhbGciOi... '); // 'eyJhbGciOi...'
 * extractBearerToken(undefined); // undefined
 */
export function extractBearerToken(header: string | string[] | undefined): string | undefined {
  if (header === undefined || header === '') return undefined;
  if (Array.isArray(header)) {
    throw new TokenRejectedError(
      'malformed_header',
      'Send exactly one Authorization header, "Bearer <token>".',
    );
  }
  const match = BEARER.exec(header);
  if (!match) {
    throw new TokenRejectedError(
      'malformed_header',
      'The Authorization header must be "Bearer <token>" (one token, no other scheme).',
    );
  }
  return match[1];
}
