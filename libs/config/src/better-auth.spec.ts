import { betterAuthEndpoints } from './better-auth';

describe('betterAuthEndpoints', () => {
  it('derives issuer, audience and JWKS URL from the origin of BETTER_AUTH_URL', () => {
    expect(betterAuthEndpoints('https://app.example.com/some/path/')).toEqual({
      origin: 'https://app.example.com',
      issuer: 'https://app.example.com',
      audience: 'https://app.example.com',
      jwksUrl: 'https://app.example.com/api/auth/jwks',
    });
  });

  it('takes an explicit JWKS URL', () => {
    expect(betterAuthEndpoints('http://localhost:3000', 'https://keys.example.com/k').jwksUrl).toBe(
      'https://keys.example.com/k',
    );
  });
});
