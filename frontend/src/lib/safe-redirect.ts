/** Where a signed-in user goes when no (acceptable) returnUrl was given. */
export const DEFAULT_AFTER_SIGN_IN = '/dashboard';

/** A made-up origin to resolve against: a path that leaves it would leave ours too. */
const SAME_ORIGIN = 'http://same-origin.invalid';

// Control characters (tab and newline included: URL parsers drop them, so "/\t/evil.com"
// becomes "//evil.com") and backslashes anywhere (browsers read "\" as "/").
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u001f\u007f\\]/;

/** One leading "/", not "//" or "/\\" (both name another host), nothing forbidden. */
function isPlainPath(value: string): boolean {
  return value.startsWith('/') && !value.startsWith('//') && !FORBIDDEN.test(value);
}

/**
 * True for a string every browser resolves to a path on the current origin, and that
 * stays so once something decodes it: no percent-encoded form of the tricks either
 * ("/%2F%2Fevil.com", "/%5Cevil.com", "/.%2F%2Fevil.com" which decodes to "/.//evil.com").
 */
function looksLocal(value: string): boolean {
  if (value.length === 0 || value.length > 2048 || !isPlainPath(value)) return false;
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    return false;
  }
  if (!isPlainPath(decoded)) return false;
  const decodedNormalised = normalise(decoded);
  return decodedNormalised !== null && isPlainPath(decodedNormalised);
}

/** The path as the WHATWG URL parser normalises it ("/a/../b" → "/b"), or null if it leaves. */
function normalise(value: string): string | null {
  const resolved = new URL(value, SAME_ORIGIN);
  if (resolved.origin !== SAME_ORIGIN) return null;
  return resolved.pathname + resolved.search + resolved.hash;
}

/**
 * The one gate for every post-sign-in redirect (pages, server actions, and links the
 * client builds): a returnUrl is followed only when it is a path on this site; anything
 * else gives `fallback`. Never a foreign URL.
 *
 * The input is checked, then normalised, then the RESULT is checked again: normalising
 * can turn a harmless-looking path into a protocol-relative URL ("/.//evil.example",
 * "/a/..//x" and "/%2e%2e//x" all normalise to "//..."), and the normalised string is
 * what ends up in the Location header.
 *
 * @example
 * safeReturnUrl('/dashboard?tab=done'); // '/dashboard?tab=done'
 * safeReturnUrl('/.//evil.example');    // '/dashboard'
 * safeReturnUrl('https://evil.example'); // '/dashboard'
 */
export function safeReturnUrl(value: unknown, fallback = DEFAULT_AFTER_SIGN_IN): string {
  if (typeof value !== 'string' || !looksLocal(value)) return fallback;
  const normalised = normalise(value);
  if (normalised === null || !looksLocal(normalised)) return fallback;
  // Normalising must be finished: what we return resolves to itself.
  return normalise(normalised) === normalised ? normalised : fallback;
}
