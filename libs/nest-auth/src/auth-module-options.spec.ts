import { AuthConfigurationError, resolveAuthOptions } from './auth-module-options';

const issuer = 'http://localhost:3000';

describe('resolveAuthOptions', () => {
  it('applies the documented defaults', () => {
    expect(resolveAuthOptions({ issuer })).toEqual({
      issuer,
      audience: issuer,
      jwksUrl: 'http://localhost:3000/api/auth/jwks',
      keys: undefined,
      algorithms: ['EdDSA'],
      clockToleranceSeconds: 5,
      requiredClaims: ['sub', 'exp', 'iat', 'iss', 'aud'],
      maxTokenBytes: 8192,
      maxTokenLifetimeSeconds: 900,
      jwks: { cacheMaxAgeMs: 600_000, cooldownMs: 30_000, timeoutMs: 5_000 },
      globalGuard: true,
      verifiedTokenCache: { maxEntries: 10_000 },
      rolesClaim: 'role',
    });
  });

  it('ignores undefined values (e.g. an unset env var) instead of erasing defaults', () => {
    const resolved = resolveAuthOptions({
      issuer: `${issuer}/`,
      audience: undefined,
      jwksUrl: undefined,
      algorithms: undefined,
      jwks: { cooldownMs: undefined, timeoutMs: 100 },
    });
    expect(resolved.audience).toBe(`${issuer}/`);
    expect(resolved.jwksUrl).toBe(`${issuer}/api/auth/jwks`);
    expect(resolved.algorithms).toEqual(['EdDSA']);
    expect(resolved.jwks).toEqual({ cacheMaxAgeMs: 600_000, cooldownMs: 30_000, timeoutMs: 100 });
  });

  it('treats null like undefined (a JSON config, a nullable env schema), keeping defaults', () => {
    const resolved = resolveAuthOptions({
      issuer,
      algorithms: null,
      clockToleranceSeconds: null,
      requiredClaims: null,
      maxTokenBytes: null,
      rolesClaim: null,
      jwks: { cooldownMs: null },
      verifiedTokenCache: { maxEntries: null },
    } as never);
    expect(resolved).toMatchObject({
      algorithms: ['EdDSA'],
      clockToleranceSeconds: 5,
      requiredClaims: ['sub', 'exp', 'iat', 'iss', 'aud'],
      maxTokenBytes: 8192,
      rolesClaim: 'role',
      jwks: { cacheMaxAgeMs: 600_000, cooldownMs: 30_000, timeoutMs: 5_000 },
      verifiedTokenCache: { maxEntries: 10_000 },
    });
  });

  it('refuses a revocation option that is not a RevocationSource, or with no token lifetime', () => {
    const base = { issuer: 'http://localhost:3000' };
    expect(() => resolveAuthOptions({ ...base, revocation: {} as never })).toThrow(
      /revocation must be a RevocationSource/,
    );
    const source = { start: async () => {}, stop: async () => {}, status: () => ({}) as never };
    expect(() =>
      resolveAuthOptions({ ...base, revocation: source, maxTokenLifetimeSeconds: 0 }),
    ).toThrow(/maxTokenLifetimeSeconds must be above 0/);
    expect(resolveAuthOptions({ ...base, revocation: source }).revocation).toBe(source);
  });

  it('takes a keyStore of the app, in place of jwksUrl and keys', () => {
    const keyStore = { getKey: async () => ({}) as never };
    expect(resolveAuthOptions({ issuer, keyStore }).keyStore).toBe(keyStore);
  });

  it('always requires sub, exp, iat, iss and aud, plus any extra claim', () => {
    expect(resolveAuthOptions({ issuer, requiredClaims: ['email', 'sub'] }).requiredClaims).toEqual(
      ['sub', 'exp', 'iat', 'iss', 'aud', 'email'],
    );
  });

  it('turns the verified-token cache off or sizes it', () => {
    expect(resolveAuthOptions({ issuer, verifiedTokenCache: false }).verifiedTokenCache).toBe(
      false,
    );
    expect(
      resolveAuthOptions({ issuer, verifiedTokenCache: { maxEntries: 0 } }).verifiedTokenCache,
    ).toBe(false);
    expect(
      resolveAuthOptions({ issuer, verifiedTokenCache: { maxEntries: 5 } }).verifiedTokenCache,
    ).toEqual({ maxEntries: 5 });
    expect(resolveAuthOptions({ issuer, verifiedTokenCache: {} }).verifiedTokenCache).toEqual({
      maxEntries: 10_000,
    });
  });

  it('accepts every supported algorithm and de-duplicates', () => {
    const algorithms = ['EdDSA', 'ES256', 'ES512', 'RS256', 'PS256', 'EdDSA'] as const;
    expect(resolveAuthOptions({ issuer, algorithms: [...algorithms] }).algorithms).toEqual([
      'EdDSA',
      'ES256',
      'ES512',
      'RS256',
      'PS256',
    ]);
  });

  it.each([
    [{ issuer: '' }, /issuer is required/],
    [{} as never, /issuer is required/],
    [{ issuer, algorithms: ['none'] }, /"none" is refused: it accepts unsigned tokens/],
    [{ issuer, algorithms: ['HS256'] }, /"HS256" is refused: HMAC needs a shared secret/],
    [{ issuer, algorithms: ['hs512'] }, /"hs512" is refused/],
    [{ issuer, algorithms: ['RS384'] }, /"RS384" is not supported; use one of EdDSA, ES256/],
    [{ issuer, algorithms: [] }, /at least one/],
    [{ issuer, keys: 'not a key' }, /keys must be a JWKS object .* or a PEM public key/],
    [{ issuer, keys: { nope: true } }, /keys must be/],
    [{ issuer, jwksUrl: 'ftp://x' }, /jwksUrl must be an http\(s\) URL/],
    [{ issuer, jwksUrl: 'not a url' }, /jwksUrl must be an http\(s\) URL/],
    [{ issuer, jwks: { cooldownMs: -1 } }, /jwks.cooldownMs must be a non-negative number/],
    [{ issuer, jwks: { timeoutMs: Number.NaN } }, /jwks.timeoutMs/],
    [{ issuer, clockToleranceSeconds: -5 }, /clockToleranceSeconds/],
    [{ issuer, maxTokenBytes: Infinity }, /maxTokenBytes/],
    [{ issuer, verifiedTokenCache: { maxEntries: -1 } }, /verifiedTokenCache.maxEntries/],
    [{ issuer, audience: [] }, /audience must not be empty/],
    [{ issuer, keyStore: {} }, /keyStore must have a getKey/],
    [
      { issuer, keyStore: { getKey() {} }, keys: { keys: [] } },
      /keyStore replaces keys and jwksUrl/,
    ],
    [{ issuer, keyStore: { getKey() {} }, jwksUrl: 'http://x' }, /keyStore replaces/],
  ])('refuses %j at configuration time', (options, message) => {
    const attempt = () => resolveAuthOptions(options as never);
    expect(attempt).toThrow(AuthConfigurationError);
    expect(attempt).toThrow(message);
  });
});
