import { TokenRejectedError } from './auth.errors';
import { extractBearerToken, readAuthorization } from './bearer-token';

describe('extractBearerToken', () => {
  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer abc.def.ghi', 'abc.def.ghi'],
    ['BEARER abc.def.ghi', 'abc.def.ghi'],
    ['  Bearer \t abc.def.ghi  ', 'abc.def.ghi'],
    ['Bearer a-b_c.d~e+f/g', 'a-b_c.d~e+f/g'],
  ])('reads %j', (header, token) => {
    expect(extractBearerToken(header)).toBe(token);
  });

  it('returns undefined without a header', () => {
    expect(extractBearerToken(undefined)).toBeUndefined();
    expect(extractBearerToken('')).toBeUndefined();
  });

  it.each([
    'Bearer',
    'Bearer ',
    'Basic dXNlcjpwYXNz',
    'Bearer a b',
    'Bearer "abc"',
    'Token abc',
    'Bearer abc.def.ghi==', // a JWT segment is never padded
    'Bearer abc.def.gh=i',
  ])('refuses %j as malformed', (header) => {
    expect(() => extractBearerToken(header)).toThrow(TokenRejectedError);
    expect(() => extractBearerToken(header)).toThrow(/must be "Bearer <token>"/);
  });

  it('refuses several Authorization headers', () => {
    expect(() => extractBearerToken(['Bearer a', 'Bearer b'])).toThrow(/exactly one/);
  });
});

describe('readAuthorization', () => {
  const raw = (...pairs: string[]) => pairs;

  it('returns the one header Node kept', () => {
    const headers = { authorization: 'Bearer a' };
    expect(readAuthorization({ headers })).toBe('Bearer a');
    expect(
      readAuthorization({ headers, rawHeaders: raw('Host', 'x', 'Authorization', 'Bearer a') }),
    ).toBe('Bearer a');
    expect(readAuthorization({ headers: {} })).toBeUndefined();
  });

  it('returns every value when the header was sent more than once (Node keeps only the first)', () => {
    const rawHeaders = raw('authorization', 'Bearer a', 'Host', 'x', 'AUTHORIZATION', 'Bearer b');
    const headers = { authorization: 'Bearer a' };
    expect(readAuthorization({ headers, rawHeaders })).toEqual(['Bearer a', 'Bearer b']);
    expect(readAuthorization({ headers, raw: { rawHeaders } })).toEqual(['Bearer a', 'Bearer b']);
    expect(() => extractBearerToken(readAuthorization({ headers, rawHeaders }))).toThrow(
      /exactly one/,
    );
  });
});
