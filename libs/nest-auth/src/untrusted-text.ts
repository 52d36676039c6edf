// Text taken from a token (a kid, an alg, a claim, a crit name) is attacker-chosen until the
// token verified, and often after. It may reach an error body and a debug log line, never a
// response header (see auth-error-response.ts), and only through these two functions: cut to a
// bounded length, and with every character that can break a line, a log or a terminal escaped.
// Hand-written because it is a dozen lines; JSON.stringify alone keeps U+2028/U+2029, bidi
// overrides and unbounded length.

/** Controls (C0, DEL, C1), format characters (bidi overrides, zero-width), line and paragraph
 * separators and lone surrogates; in quoted mode also the quote and the backslash. */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
const UNSAFE_QUOTED = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}"\\]/gu;

const escapeChar = (char: string): string => {
  if (char === '"' || char === '\\') return `\\${char}`;
  const code = char.codePointAt(0) as number;
  return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/** The first `max` code points of `text`, without reading (or copying) the rest. */
function cut(text: string, max: number): { head: string; cut: boolean } {
  if (text.length <= max) return { head: text, cut: false };
  let end = 0;
  let count = 0;
  while (end < text.length && count < max) {
    const code = text.charCodeAt(end);
    end += code >= 0xd800 && code <= 0xdbff && end + 1 < text.length ? 2 : 1;
    count++;
  }
  return { head: text.slice(0, end), cut: end < text.length };
}

/**
 * A value from a token, ready to be quoted in a message: `"ключ"`, `"a\u2028b"`, or
 * `"kkkk…" (10240 characters)` when longer than `max` code points. Non-strings are shown as
 * JSON (cut the same way); `undefined` as `none`.
 */
export function quoteUntrusted(value: unknown, max = 64): string {
  if (value === undefined) return 'none';
  let text: string;
  if (typeof value === 'string') text = value;
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  const { head, cut: wasCut } = cut(text, max);
  const quoted = `"${head.replace(UNSAFE_QUOTED, escapeChar)}"`;
  return wasCut ? `${quoted.slice(0, -1)}…" (${text.length} characters)` : quoted;
}

/** Free text that may contain token text (e.g. a jose error message): escaped and cut. */
export function printableUntrusted(text: string, max = 160): string {
  const { head, cut: wasCut } = cut(text, max);
  return head.replace(UNSAFE, escapeChar) + (wasCut ? '…' : '');
}

/**
 * A NumericDate (seconds) as an ISO string, or its number when out of the Date range (a signed
 * `exp` of -1e300 must not turn the error path into a RangeError).
 */
export function isoTime(seconds: unknown): string {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return 'an unknown time';
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? `${seconds} s since the epoch` : date.toISOString();
}
