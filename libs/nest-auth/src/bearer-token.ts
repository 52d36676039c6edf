import { TokenRejectedError } from './auth.errors';

// RFC 6750 b64token without its `=` padding (a JWT segment is never padded, see
// compact-jws.ts); the scheme is case-insensitive and surrounding spaces are tolerated.
const BEARER = /^\s*bearer\s+([A-Za-z0-9\-._~+/]+)\s*$/i;

/**
 * Reads the bearer token of an `Authorization` header value, and only there: tokens in the
 * query string or in cookies are never read (they leak into logs and CSRF).
 * Returns `undefined` when there is no header; throws a `malformed_header`
 * {@link TokenRejectedError} when there is one that is not `Bearer <token>`, or several.
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

/** A Node request (Express, socket.io handshake) or a Fastify request (`raw`). */
export interface RequestWithHeaders {
  headers?: Record<string, string | string[] | undefined>;
  rawHeaders?: string[];
  raw?: { rawHeaders?: string[] };
}

/**
 * The `Authorization` header of a Node request: its one value, or every value when it was
 * sent more than once. Node keeps the first `Authorization` line and silently drops the
 * others, while a proxy in front may have judged the last one: a request with two is
 * ambiguous, so it is refused (the array makes {@link extractBearerToken} throw).
 */
export function readAuthorization(request: RequestWithHeaders): string | string[] | undefined {
  const value = request.headers?.authorization;
  if (typeof value !== 'string') return value;
  const raw = request.rawHeaders ?? request.raw?.rawHeaders;
  if (!raw) return value;
  let seen = false;
  for (let i = 0; i < raw.length; i += 2) {
    if (isAuthorization(raw[i])) {
      if (seen) return raw.filter((_, j) => j % 2 === 1 && isAuthorization(raw[j - 1]));
      seen = true;
    }
  }
  return value;
}

const isAuthorization = (name: string) =>
  name.length === 13 && name.toLowerCase() === 'authorization';
