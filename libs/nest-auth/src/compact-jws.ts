// The one spelling of a token that is accepted. jose decodes base64url leniently (padding,
// and a last character whose unused bits are not zero, decode to the same bytes), so without
// this check one signed token has dozens of spellings that all verify: each one a separate
// entry of the verified-token cache, and a way to slip past anything that compares token
// strings (a deny list, a log search). jose has no strict mode; this check allocates nothing
// and runs before the cache and before any cryptography: one regular expression for the
// alphabet and the three segments (V8 compiles it to native code: about 3x faster here than a
// charCodeAt loop over a 300-character token), then the last character of each segment.

/** base64url value of each ASCII code, -1 outside the alphabet `A-Z a-z 0-9 - _`. */
const VALUE = new Int8Array(128).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
  .split('')
  .forEach((char, value) => (VALUE[char.charCodeAt(0)] = value));

/** Three non-empty segments of the base64url alphabet; `test` allocates nothing. */
const SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * A segment (non-empty: SHAPE says so) of canonical (RFC 4648 §3.5 and RFC 7515 §2) base64url: no padding, a
 * length that is not 1 mod 4 (no whole byte fits 6 bits), and the bits of the last character
 * that encode no byte set to zero (4 of them when the length is 2 mod 4, 2 when it is 3).
 */
function canonicalSegment(token: string, start: number, end: number): boolean {
  const last = VALUE[token.charCodeAt(end - 1)];
  switch ((end - start) % 4) {
    case 1:
      return false;
    case 2:
      return (last & 0b1111) === 0;
    case 3:
      return (last & 0b11) === 0;
    default:
      return true;
  }
}

/**
 * True when `token` is a compact JWS in canonical base64url: exactly three non-empty segments
 * (header, payload, signature) of `A-Z a-z 0-9 - _`, each in its one canonical spelling. Such
 * a token is pure ASCII, so its `length` is its size in bytes.
 *
 * @example
 * isCanonicalCompactJws('eyJhbGciOiJFZERTQSJ9.e30.c2ln'); // true
 * isCanonicalCompactJws('eyJhbGciOiJFZERTQSJ9.e30.c2ln=='); // false: padding
 * isCanonicalCompactJws('eyJhbGciOiJFZERTQSJ9.e30.'); // false: no signature
 */
export function isCanonicalCompactJws(token: string): boolean {
  if (!SHAPE.test(token)) return false;
  const first = token.indexOf('.');
  const second = token.indexOf('.', first + 1);
  return (
    canonicalSegment(token, 0, first) &&
    canonicalSegment(token, first + 1, second) &&
    canonicalSegment(token, second + 1, token.length)
  );
}
