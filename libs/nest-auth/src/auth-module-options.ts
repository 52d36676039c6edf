import type { JSONWebKeySet } from 'jose';
import {
  ALWAYS_REQUIRED_CLAIMS,
  SUPPORTED_ALGORITHMS,
  type SupportedAlgorithm,
} from './auth.constants';

/**
 * How the public key set (JWKS) fetched from `jwksUrl` is cached.
 *
 * @example
 * AuthModule.forRoot({ issuer, jwks: { cacheMaxAgeMs: 600_000, cooldownMs: 30_000, timeoutMs: 5_000 } });
 */
export interface JwksCacheOptions {
  /**
   * How long a fetched key set is trusted before it is fetched again. When that refetch
   * fails, the keys already known keep working (an outage changes nothing for them).
   * Default: 600 000 (10 minutes).
   */
  cacheMaxAgeMs?: number;
  /**
   * Minimum time between two fetches triggered by tokens (an unknown `kid`, or a retry after
   * a failed fetch), so a flood of random `kid`s costs at most one fetch per cooldown.
   * Default: 30 000 (30 seconds).
   */
  cooldownMs?: number;
  /** Time allowed for one fetch of the key set. Default: 5 000 (5 seconds). */
  timeoutMs?: number;
}

/**
 * Bounds of the verified-token cache.
 *
 * @example
 * AuthModule.forRoot({ issuer, verifiedTokenCache: { maxEntries: 50_000 } });
 */
export interface VerifiedTokenCacheOptions {
  /** Most tokens kept; the oldest entry is dropped first. Default: 10 000. */
  maxEntries?: number;
}

/**
 * Configuration of {@link AuthModule}. Only `issuer` is required; every other field has the
 * default written in its comment, so `AuthModule.forRoot({ issuer: 'https://auth.example.com' })`
 * trusts Better Auth's EdDSA tokens from that origin, with keys from its `/api/auth/jwks`.
 *
 * @example
 * AuthModule.forRoot({
 *   issuer: 'http://localhost:3000',
 *   audience: 'http://localhost:3000',
 *   jwksUrl: 'http://localhost:3000/api/auth/jwks',
 * });
 */
export class AuthModuleOptions {
  /**
   * The Better Auth origin, exactly as it appears in the tokens' `iss` claim
   * (Better Auth uses the origin of its `baseURL`, e.g. `http://localhost:3000`). Required.
   */
  issuer!: string;
  /** Accepted `aud` value(s). Default: the issuer (what Better Auth puts there). */
  audience?: string | string[];
  /** Where the public keys are fetched. Default: `${issuer}/api/auth/jwks`. */
  jwksUrl?: string;
  /**
   * Offline mode: verify against these keys (a JWKS object or one PEM public key) and never
   * touch the network. Replaces `jwksUrl`. Default: none (keys come from `jwksUrl`).
   */
  keys?: JSONWebKeySet | string;
  /**
   * Accepted signature algorithms. `none` and HMAC (`HS*`) are refused when the module is
   * configured. Default: `['EdDSA']` (Better Auth's default key type).
   */
  algorithms?: SupportedAlgorithm[] = ['EdDSA'];
  /** Leeway for `exp`, `nbf` and `iat` against clock skew, in seconds. Default: 5. */
  clockToleranceSeconds?: number = 5;
  /**
   * Claims that must be present, on top of the ones always required:
   * `sub`, `exp`, `iat`, `iss` and `aud`. Default: none extra.
   */
  requiredClaims?: string[] = [];
  /** Longer tokens are refused before any parsing, in bytes. Default: 8 192. */
  maxTokenBytes?: number = 8192;
  /** Caching of the key set fetched from `jwksUrl`. Default: see {@link JwksCacheOptions}. */
  jwks?: JwksCacheOptions = {};
  /**
   * Registers {@link JwtAuthGuard} as a global guard (`APP_GUARD`), so every route needs a
   * token unless marked `@Public()`. `false` lets the app place the guard itself.
   * Default: true.
   */
  globalGuard?: boolean = true;
  /**
   * Remembers tokens that verified, keyed by the whole token string, so the same token is not
   * verified again until it expires (expiry is re-checked on every hit). Trade-off: a signing
   * key revoked from the JWKS stays trusted for tokens already cached, at most their lifetime
   * (15 minutes with Better Auth). `false` verifies every request. Default: on, 10 000 entries.
   */
  verifiedTokenCache?: boolean | VerifiedTokenCacheOptions = true;
  /** Claim that holds the user's role(s), read by `@Roles()`. Default: `'role'`. */
  rolesClaim?: string = 'role';
}

/** Options with every default applied and checked; what the services work with. */
export interface ResolvedAuthOptions {
  issuer: string;
  audience: string | string[];
  jwksUrl: string;
  keys?: JSONWebKeySet | string;
  algorithms: SupportedAlgorithm[];
  clockToleranceSeconds: number;
  requiredClaims: string[];
  maxTokenBytes: number;
  jwks: Required<JwksCacheOptions>;
  globalGuard: boolean;
  verifiedTokenCache: false | Required<VerifiedTokenCacheOptions>;
  rolesClaim: string;
}

/**
 * Thrown when the module is configured with options it refuses (for example an HMAC
 * algorithm): the application does not start.
 *
 * @example
 * expect(() => AuthModule.forRoot({ issuer, algorithms: ['HS256' as never] })).toThrow(AuthConfigurationError);
 */
export class AuthConfigurationError extends Error {
  constructor(message: string) {
    super(`AuthModule: ${message}`);
    this.name = 'AuthConfigurationError';
  }
}

const DEFAULT_JWKS: Required<JwksCacheOptions> = {
  cacheMaxAgeMs: 600_000,
  cooldownMs: 30_000,
  timeoutMs: 5_000,
};
const DEFAULT_CACHE_ENTRIES = 10_000;

function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(
    Object.entries(value ?? {}).filter(([, v]) => v !== undefined),
  ) as Partial<T>;
}

function nonNegative(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new AuthConfigurationError(
      `${name} must be a non-negative number, got ${String(value)}.`,
    );
  }
  return value;
}

function checkUrl(name: string, value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
  } catch {
    throw new AuthConfigurationError(
      `${name} must be an http(s) URL, got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

/**
 * Applies the defaults of {@link AuthModuleOptions} and refuses unsafe or incoherent values
 * with an {@link AuthConfigurationError} naming the option.
 */
export function resolveAuthOptions(given: AuthModuleOptions): ResolvedAuthOptions {
  const options = { ...new AuthModuleOptions(), ...definedOnly(given) };
  if (typeof options.issuer !== 'string' || options.issuer.length === 0) {
    throw new AuthConfigurationError(
      "issuer is required: Better Auth's origin, as in the tokens' iss claim (e.g. http://localhost:3000).",
    );
  }
  const issuer = options.issuer.replace(/\/+$/, '') || options.issuer;

  const algorithms = options.algorithms ?? [];
  if (!Array.isArray(algorithms) || algorithms.length === 0) {
    throw new AuthConfigurationError(
      `algorithms must list at least one of ${SUPPORTED_ALGORITHMS.join(', ')}.`,
    );
  }
  for (const alg of algorithms as string[]) {
    if (alg.toLowerCase() === 'none') {
      throw new AuthConfigurationError(
        'algorithm "none" is refused: it accepts unsigned tokens that anyone can forge.',
      );
    }
    if (/^HS\d+$/i.test(alg)) {
      throw new AuthConfigurationError(
        `algorithm "${alg}" is refused: HMAC needs a shared secret, Better Auth signs with asymmetric keys and publishes only public ones. Use one of ${SUPPORTED_ALGORITHMS.join(', ')}.`,
      );
    }
    if (!(SUPPORTED_ALGORITHMS as readonly string[]).includes(alg)) {
      throw new AuthConfigurationError(
        `algorithm "${alg}" is not supported; use one of ${SUPPORTED_ALGORITHMS.join(', ')}.`,
      );
    }
  }

  if (options.keys !== undefined) {
    const isPem =
      typeof options.keys === 'string' && options.keys.includes('-----BEGIN PUBLIC KEY-----');
    const isJwks =
      typeof options.keys === 'object' && options.keys !== null && Array.isArray(options.keys.keys);
    if (!isPem && !isJwks) {
      throw new AuthConfigurationError(
        'keys must be a JWKS object ({ keys: [...] }) or a PEM public key ("-----BEGIN PUBLIC KEY-----...").',
      );
    }
  }

  const jwksUrl = checkUrl('jwksUrl', options.jwksUrl ?? `${issuer}/api/auth/jwks`);
  const jwks = { ...DEFAULT_JWKS, ...definedOnly(options.jwks) };
  nonNegative('jwks.cacheMaxAgeMs', jwks.cacheMaxAgeMs);
  nonNegative('jwks.cooldownMs', jwks.cooldownMs);
  nonNegative('jwks.timeoutMs', jwks.timeoutMs);

  const cache = options.verifiedTokenCache;
  let verifiedTokenCache: ResolvedAuthOptions['verifiedTokenCache'] = false;
  if (cache !== false) {
    const maxEntries =
      (typeof cache === 'object' ? cache.maxEntries : undefined) ?? DEFAULT_CACHE_ENTRIES;
    nonNegative('verifiedTokenCache.maxEntries', maxEntries);
    verifiedTokenCache = maxEntries > 0 ? { maxEntries } : false;
  }

  const audience = options.audience ?? options.issuer;
  if ((Array.isArray(audience) && audience.length === 0) || audience === '') {
    throw new AuthConfigurationError('audience must not be empty (default: the issuer).');
  }

  return {
    issuer: options.issuer,
    audience,
    jwksUrl,
    keys: options.keys,
    algorithms: [...new Set(algorithms)],
    clockToleranceSeconds: nonNegative('clockToleranceSeconds', options.clockToleranceSeconds ?? 5),
    requiredClaims: [...new Set([...ALWAYS_REQUIRED_CLAIMS, ...(options.requiredClaims ?? [])])],
    maxTokenBytes: nonNegative('maxTokenBytes', options.maxTokenBytes ?? 8192),
    jwks,
    globalGuard: options.globalGuard !== false,
    verifiedTokenCache,
    rolesClaim: options.rolesClaim ?? 'role',
  };
}
