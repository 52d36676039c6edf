import { base64url } from 'jose';
import { isCanonicalCompactJws } from './compact-jws';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const seg = (bytes: number) => base64url.encode(new Uint8Array(bytes).fill(0xa5));

describe('isCanonicalCompactJws', () => {
  it('accepts three canonical segments of every length class', () => {
    for (const bytes of [1, 2, 3, 4, 5, 6, 64, 65, 66]) {
      expect(isCanonicalCompactJws(`${seg(bytes)}.${seg(bytes)}.${seg(bytes)}`)).toBe(true);
    }
  });

  it('accepts exactly one spelling of the last character of each segment', () => {
    for (const bytes of [1, 2]) {
      const s = seg(bytes); // length 2 (4 unused bits) and 3 (2 unused bits)
      const accepted = [...ALPHABET].filter((c) =>
        isCanonicalCompactJws(`e30.e30.${s.slice(0, -1)}${c}`),
      );
      expect(accepted).toHaveLength(bytes === 1 ? 4 : 16); // 64 / 2^unused bits
      expect(accepted).toContain(s.slice(-1));
    }
  });

  it.each([
    ['padding', 'e30.e30.YQ=='],
    ['one =', 'e30.e30.YQ='],
    ['a length of 1 mod 4', 'e30.e30.YWJjZ'],
    ['an empty signature', 'e30.e30.'],
    ['an empty header', '.e30.YQ'],
    ['an empty payload', 'e30..YQ'],
    ['two segments', 'e30.e30'],
    ['four segments', 'e30.e30.YQ.YQ'],
    ['five segments (JWE)', 'e30.e30.YQ.YQ.YQ'],
    ['+ (standard base64)', 'e30.e30.a+8'],
    ['/ (standard base64)', 'e30.e30.a/8'],
    ['a space', 'e30.e30.Y Q'],
    ['non-ASCII', 'e30.e30.YЖ'],
    ['a NUL', 'e30.e30.Y\u0000'],
    ['a trailing newline', 'e30.e30.YQ\n'],
    ['a leading newline', '\ne30.e30.YQ'],
    ['unused bits set (length 2 mod 4)', 'e30.e30.YR'],
    ['unused bits set (length 3 mod 4)', 'e30.e30.YWJ'],
    ['nothing', ''],
    ['dots only', '..'],
  ])('refuses %s', (_name, token) => {
    expect(isCanonicalCompactJws(token)).toBe(false);
  });
});
