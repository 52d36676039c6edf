/** Where Better Auth serves its routes under its base URL (its default `basePath`). */
export const BETTER_AUTH_BASE_PATH = '/api/auth';

/** What the two apps derive from `BETTER_AUTH_URL`; see {@link betterAuthEndpoints}. */
export interface BetterAuthEndpoints {
  /** The web app's origin: Better Auth's `baseURL`. */
  origin: string;
  /** `iss` of Better Auth's JWTs: its JWT plugin uses the origin of its base URL. */
  issuer: string;
  /** `aud` of Better Auth's JWTs: the same origin. */
  audience: string;
  /** Better Auth's public keys: `AUTH_JWKS_URL` when given, else `<origin>/api/auth/jwks`. */
  jwksUrl: string;
}

/**
 * The one place that derives Better Auth's origin, JWT issuer and audience, and JWKS URL from
 * `BETTER_AUTH_URL`: the web app signs with these, the API verifies with these.
 *
 * @param betterAuthUrl a validated http(s) URL (a path in it is ignored: Better Auth runs at
 *   the origin, see the web app's `baseURL`)
 * @param jwksUrl an explicit `AUTH_JWKS_URL`, when set
 * @example
 * betterAuthEndpoints('https://app.example.com/');
 * // { origin: 'https://app.example.com', issuer: 'https://app.example.com',
 * //   audience: 'https://app.example.com', jwksUrl: 'https://app.example.com/api/auth/jwks' }
 */
export function betterAuthEndpoints(betterAuthUrl: string, jwksUrl?: string): BetterAuthEndpoints {
  const origin = new URL(betterAuthUrl).origin;
  return {
    origin,
    issuer: origin,
    audience: origin,
    jwksUrl: jwksUrl ?? `${origin}${BETTER_AUTH_BASE_PATH}/jwks`,
  };
}
