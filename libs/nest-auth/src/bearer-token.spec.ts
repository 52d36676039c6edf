import { TokenRejectedError } from './auth.errors';
import { extractBearerToken } from './bearer-token';

describe('extractBearerToken', () => {
  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer abc.def.ghi', 'abc.def.ghi'],
    ['BEARER abc.def.ghi', 'abc.def.ghi'],
    ['  Bearer \t abc.def.ghi  ', 'abc.def.ghi'],
    ['Bearer a-b_c.d~e+f/g==', 'a-b_c.d~e+f/g=='],
  ])('reads %j', (header, token) => {
    expect(extractBearerToken(header)).toBe(token);
  });

  it('returns undefined without a header', () => {
    expect(extractBearerToken(undefined)).toBeUndefined();
    expect(extractBearerToken('')).toBeUndefined();
  });

  it.each(['Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'Bearer a b', 'Bearer "abc"', 'Token abc'])(
    'refuses %j as malformed',
    (header) => {
      expect(() => extractBearerToken(header)).toThrow(TokenRejectedError);
      expect(() => extractBearerToken(header)).toThrow(/must be "Bearer <token>"/);
    },
  );

  it('refuses several Authorization headers', () => {
    expect(() => extractBearerToken(['Bearer a', 'Bearer b'])).toThrow(/exactly one/);
  });
});
