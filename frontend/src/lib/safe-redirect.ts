/** Where a signed-in user goes when no (acceptable) returnUrl was given. */
export const DEFAULT_AFTER_SIGN_IN = '/dashboard';

/**
 * A returnUrl is followed only when it is a path on this site: one leading "/", not
 * "//" or "/\" (browsers read both as another host), no scheme, no control characters
 * or whitespace tricks. Anything else falls back to the dashboard: never a foreign URL.
 */
export function safeReturnUrl(value: unknown, fallback = DEFAULT_AFTER_SIGN_IN): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return fallback;
  if (!value.startsWith('/')) return fallback;
  if (value.startsWith('//') || value.startsWith('/\\')) return fallback;
  // Control characters (tab and newline included: URL parsers drop them, "/\t/evil.com"
  // becomes "//evil.com") and backslashes anywhere (some browsers treat "\" as "/").
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return fallback;
  // Percent-encoded forms of the same tricks, e.g. "/%2F%2Fevil.com" or "/%5Cevil.com".
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    return fallback;
  }
  // eslint-disable-next-line no-control-regex
  if (decoded.startsWith('//') || /[\u0000-\u001f\u007f\\]/.test(decoded)) return fallback;
  // Last check with the real parser: it must resolve to the same origin.
  const base = 'http://same-origin.invalid';
  const resolved = new URL(value, base);
  if (resolved.origin !== base) return fallback;
  return resolved.pathname + resolved.search + resolved.hash;
}
