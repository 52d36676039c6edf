import fc from 'fast-check';
import { authPageUrl } from './auth-page-url';
import { DEFAULT_AFTER_SIGN_IN, safeReturnUrl } from './safe-redirect';

const ORIGIN = 'https://app.example';
/** Where a browser goes when it follows `location` from a page of ours. */
const followedFrom = (location: string, page = `${ORIGIN}/sign-in?returnUrl=x`) =>
  new URL(location, page);

describe('safeReturnUrl', () => {
  it.each([
    ['/dashboard', '/dashboard'],
    ['/dashboard?tab=done#top', '/dashboard?tab=done#top'],
    ['/', '/'],
    ['/a/../dashboard', '/dashboard'],
    ['/a/./b', '/a/b'],
    ['/%2e%2e/dashboard', '/dashboard'],
    ['/dashboard/', '/dashboard/'],
    ['/search?q=a//b', '/search?q=a//b'],
    ['/x#//evil.example', '/x#//evil.example'],
    ['/a b', '/a%20b'],
    ['/caf\u00e9', '/caf%C3%A9'],
    ['/\uff0f\uff0fevil.example', '/%EF%BC%8F%EF%BC%8Fevil.example'],
  ])('keeps the local path %j as %j', (input, expected) => {
    expect(safeReturnUrl(input)).toBe(expected);
  });

  it.each([
    // not strings, empty, not a path
    undefined,
    null,
    42,
    ['/dashboard'],
    '',
    'dashboard',
    '.',
    '?x=1',
    '#top',
    // another host, spelled many ways
    '//evil.example',
    '///evil.example',
    '////evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    '\\/evil.example',
    '/\\/evil.example',
    'https://evil.example',
    'HTTPS://evil.example',
    'http://localhost:3000/dashboard',
    'https:evil.example',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    ' /dashboard',
    // normalising into "//host": the bug this function had
    '/.//evil.example',
    '/..//evil.example',
    '/../..//evil.example',
    '/%2e%2e//evil.example',
    '/%2E%2E//evil.example',
    '/.%2e//evil.example',
    '/%2e//evil.example',
    '/a/..//evil.example',
    '/a/b/../..//evil.example',
    '/a/%2e%2e//evil.example',
    '/./%2e%2e//evil.example',
    '/.//evil.example/dashboard?x=1',
    '/..//evil.example#x',
    // whitespace and control characters parsers drop or fold
    '/\t/evil.example',
    '/\n/evil.example',
    '/\r/evil.example',
    '/.\t//evil.example',
    '/dash\u0000board',
    '/\u007f/evil.example',
    // percent-encoded slashes and backslashes
    '/%2F%2Fevil.example',
    '/%2f/evil.example',
    '/%5Cevil.example',
    '/%5c%5cevil.example',
    '/%09/evil.example',
    '/%2e%2e/%2fevil.example',
    '/.%2F%2Fevil.example',
    // malformed or absurd
    '/%E0%A4%A',
    '/%',
    '/' + 'a'.repeat(3000),
  ])('rejects %j', (input) => {
    expect(safeReturnUrl(input)).toBe(DEFAULT_AFTER_SIGN_IN);
  });

  it('returns the given fallback for a rejected value', () => {
    expect(safeReturnUrl('/.//evil.example', '/')).toBe('/');
  });

  it('is idempotent: what it returns passes through unchanged', () => {
    for (const value of ['/a/../b', '/a b', '/x?y=1#z', '/%2e%2e/dashboard']) {
      const once = safeReturnUrl(value);
      expect(safeReturnUrl(once)).toBe(once);
    }
  });
});

// Property-based: whatever string arrives as returnUrl, the Location we send resolves on
// our origin. Strings are built from the characters and fragments redirect tricks use.
const trickyPiece = fc.constantFrom(
  '/',
  '//',
  '\\',
  '.',
  '..',
  '%2e',
  '%2E',
  '%2f',
  '%2F',
  '%5c',
  '%09',
  '%00',
  '\t',
  '\n',
  '\r',
  ' ',
  ':',
  '@',
  '?',
  '#',
  '%',
  ';',
  'evil.example',
  'http:',
  'https:',
  'javascript:',
  'localhost',
  'a',
  '\u3002',
  '\uff0f',
);
const returnUrls = fc.oneof(
  fc.array(trickyPiece, { maxLength: 12 }).map((parts) => parts.join('')),
  fc.array(trickyPiece, { maxLength: 12 }).map((parts) => '/' + parts.join('')),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.webUrl().map((url) => url.replace(/^https?:/, '')),
  fc.webPath(),
);

describe('safeReturnUrl (property-based)', () => {
  it('never yields a location that resolves to another origin', () => {
    fc.assert(
      fc.property(returnUrls, (input) => {
        const location = safeReturnUrl(input);
        expect(followedFrom(location).origin).toBe(ORIGIN);
        expect(followedFrom(location, `${ORIGIN}/deep/path/page`).origin).toBe(ORIGIN);
        // The exact shapes browsers treat as another host never come out.
        expect(location).toMatch(/^\/(?![/\\])/);
        expect(safeReturnUrl(location)).toBe(location);
      }),
      { numRuns: 5000 },
    );
  });

  it('sign-in and sign-up links carry only a returnUrl that stays on the origin', () => {
    fc.assert(
      fc.property(
        returnUrls,
        fc.constantFrom('/sign-in', '/sign-up') as fc.Arbitrary<'/sign-in'>,
        (input, page) => {
          const url = followedFrom(authPageUrl(page, { returnUrl: input }));
          expect(url.origin).toBe(ORIGIN);
          expect(url.pathname).toBe(page);
          const carried = url.searchParams.get('returnUrl')!;
          expect(carried).toBe(safeReturnUrl(input));
          expect(followedFrom(carried).origin).toBe(ORIGIN);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('authPageUrl', () => {
  it.each([
    [{}, '/sign-in?returnUrl=/dashboard'],
    [{ returnUrl: '/dashboard?tab=done' }, '/sign-in?returnUrl=/dashboard%3Ftab%3Ddone'],
    [{ returnUrl: '/.//evil.example' }, '/sign-in?returnUrl=/dashboard'],
    [
      { returnUrl: '/x', error: 'rate_limited', retry: 7 },
      '/sign-in?returnUrl=/x&error=rate_limited&retry=7',
    ],
    [{ error: 'a&b=c' }, '/sign-in?returnUrl=/dashboard&error=a%26b%3Dc'],
  ])('%j → %s', (params, expected) => {
    expect(authPageUrl('/sign-in', params)).toBe(expected);
  });
});
