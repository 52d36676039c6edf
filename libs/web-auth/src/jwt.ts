/** The registered claims the token manager reads. Other claims pass through untyped. */
export interface JwtTimeClaims {
  /** Expiry, seconds since the epoch. */
  exp?: number;
  /** Issued at, seconds since the epoch. */
  iat?: number;
  [claim: string]: unknown;
}

function base64UrlDecode(segment: string): string {
  const base64 = segment.replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/**
 * Reads a JWT's payload WITHOUT verifying its signature. Only for scheduling a refresh:
 * the API verifies every token; the browser has no reason (and no key) to.
 *
 * Returns `null` for anything that is not a compact JWS with a JSON object payload.
 *
 * @example
 * const exp = decodeJwtPayload(token)?.exp; // seconds since the epoch
 */
export function decodeJwtPayload(token: string): JwtTimeClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return null;
  try {
    const payload: unknown = JSON.parse(base64UrlDecode(parts[1]));
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return null;
    return payload as JwtTimeClaims;
  } catch {
    return null;
  }
}
