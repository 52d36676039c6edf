import { DEFAULT_AFTER_SIGN_IN, safeReturnUrl } from './safe-redirect';

describe('safeReturnUrl', () => {
  it.each([
    ['/dashboard', '/dashboard'],
    ['/dashboard?tab=done#top', '/dashboard?tab=done#top'],
    ['/', '/'],
    ['/a/../dashboard', '/dashboard'],
  ])('keeps the local path %j', (input, expected) => {
    expect(safeReturnUrl(input)).toBe(expected);
  });

  it.each([
    undefined,
    null,
    42,
    '',
    'dashboard',
    '//evil.com',
    '///evil.com',
    '/\\evil.com',
    '\\\\evil.com',
    '/\\/evil.com',
    'https://evil.com',
    'http://localhost:3000/dashboard',
    'javascript:alert(1)',
    '/\t/evil.com',
    '/\n/evil.com',
    '/dash\u0000board',
    '/%2F%2Fevil.com',
    '/%5Cevil.com',
    '/%E0%A4%A',
    '/' + 'a'.repeat(3000),
  ])('rejects %j', (input) => {
    expect(safeReturnUrl(input)).toBe(DEFAULT_AFTER_SIGN_IN);
  });
});
