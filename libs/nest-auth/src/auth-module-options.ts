import type { JSONWebKeySet } from 'jose';
import { ALWAYS_REQUIRED_CLAIMS } from './auth-internal.constants';
import { SUPPORTED_ALGORITHMS, type SupportedAlgorithm } from './auth.constants';
import type { KeyStore } from './jwks-key-store';
import type { RevocationSource } from './revocation.interface';

/**
 * How the public key set (JWKS) fetched from `jwksUrl` is cached. Every field has its default
 * here and nowhere else.
 *
 * @example
 * AuthModule.forRoot({ issuer, jwks: { cacheMaxAgeMs: 600_000, cooldownMs: 30_000, timeoutMs: 5_000 } });
 */
export class JwksCacheOptions {
  /**
   * How long a fetched key set is trusted before it is fetched again. When that refetch
   * fails, the keys already known keep working (an outage changes nothing for them).
   * Default: 600 000 (10 minutes).
   */
  cacheMaxAgeMs?: number = 600_000;
  /**
   * Paces the fetches that tokens trigger. A token with a `kid` not in the key set refetches
   * it at once (a key rotated in right after a fetch works immediately), up to 3 times in a
   * row; after that, one such refetch per cooldown, shared by every request waiting for it,
   * so a flood of random `kid`s costs at most 3 + T / cooldownMs fetches over any T ms. A
   * `kid` a fetch has just proven unknown is refused without a fetch for one cooldown. After
   * a failed fetch, nothing is fetched again before the cooldown is over (503 meanwhile for
   * unknown keys), and a stale key set is refreshed at most once per cooldown.
   * Default: 30 000 (30 seconds).
   */
  cooldownMs?: number = 30_000;
  /** Time allowed for one fetch of the key set. Default: 5 000 (5 seconds). */
  timeoutMs?: number = 5_000;
}

/**
 * Bounds of the verified-token cache.
 *
 * @example
 * AuthModule.forRoot({ issuer, verifiedTokenCache: { maxEntries: 50_000 } });
 */
export class VerifiedTokenCacheOptions {
  /** Most tokens kept; the oldest entry is dropped first. `0` turns the cache off. Default: 10 000. */
  maxEntries?: number = 10_000;
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
   * Finds the public key of each token: your own {@link KeyStore} (say, keys shared by
   * several instances through Redis) instead of the one built from `jwksUrl` or `keys`, which
   * it replaces. Also available to inject, and to override in tests, as `AUTH_KEY_STORE`.
   * Default: none (the JWKS of `jwksUrl`, or the offline `keys`).
   */
  keyStore?: KeyStore;
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
  jwks?: JwksCacheOptions = new JwksCacheOptions();
  /**
   * Registers {@link JwtAuthGuard} as a global guard (`APP_GUARD`), so every route needs a
   * token unless marked `@Public()`. `false` lets the app authenticate another way (the
   * Passport strategy, or the guard placed by hand); `@Roles()` is enforced either way.
   * Default: true.
   */
  globalGuard?: boolean = true;
  /**
   * Remembers tokens that verified, keyed by the whole token string, so the same token is not
   * verified again until it expires (expiry is re-checked on every hit). Trade-off: a signing
   * key revoked from the JWKS stays trusted for tokens already cached, at most their lifetime
   * (15 minutes with Better Auth). `false` verifies every request. Default: on, 10 000 entries.
   */
  verifiedTokenCache?: boolean | VerifiedTokenCacheOptions = new VerifiedTokenCacheOptions();
  /** Claim that holds the user's role(s), read by `@Roles()`. Default: `'role'`. */
  rolesClaim?: string = 'role';
  /**
   * Refuses tokens of revoked sessions (`sid` claim) and users before they expire: the
   * source feeds an in-memory list checked on every request, cached tokens included, with
   * no lookup per request. The module awaits the source's first load before the app serves.
   * Use {@link PostgresRevocationSource}, {@link RedisRevocationSource}, or
   * {@link InMemoryRevocationSource} in tests. Also injectable as `AUTH_REVOCATION_SOURCE`
   * (its `status()` is for a health endpoint). Default: none (revocation off: a token is
   * valid until `exp`).
   */
  revocation?: RevocationSource;
  /**
   * The longest lifetime (`exp` - `iat`) of an accepted token, in seconds, when `revocation`
   * is set: revocations are remembered this long plus `clockToleranceSeconds`, and a token
   * meant to live longer is refused (it would outlive what the API remembers). Better Auth's
   * default is 900. Default: 900.
   */
  maxTokenLifetimeSeconds?: number = 900;
}

/** Options with every default applied and checked; what the services work with. */
export interface ResolvedAuthOptions {
  issuer: string;
  audience: string | string[];
  jwksUrl: string;
  keys?: JSONWebKeySet | string;
  keyStore?: KeyStore;
  algorithms: SupportedAlgorithm[];
  clockToleranceSeconds: number;
  requiredClaims: string[];
  maxTokenBytes: number;
  jwks: Required<JwksCacheOptions>;
  globalGuard: boolean;
  verifiedTokenCache: false | Required<VerifiedTokenCacheOptions>;
  rolesClaim: string;
  revocation?: RevocationSource;
  maxTokenLifetimeSeconds: number;
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

/** The fields of `value` that are set: `undefined` and `null` (an unset env var, a JSON
 * null) leave the default in place instead of erasing it. */
function definedOnly<T extends object>(value: T | null | undefined): Partial<T> {
  return Object.fromEntries(
    Object.entries(value ?? {}).filter(([, v]) => v !== undefined && v !== null),
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

/** The options once the defaults of the class are in: these fields are always set. */
type WithDefaults = AuthModuleOptions &
  Required<
    Pick<
      AuthModuleOptions,
      | 'algorithms'
      | 'clockToleranceSeconds'
      | 'requiredClaims'
      | 'maxTokenBytes'
      | 'jwks'
      | 'globalGuard'
      | 'verifiedTokenCache'
      | 'rolesClaim'
      | 'maxTokenLifetimeSeconds'
    >
  >;

/**
 * Applies the defaults of {@link AuthModuleOptions} and refuses unsafe or incoherent values
 * with an {@link AuthConfigurationError} naming the option.
 */
export function resolveAuthOptions(given: AuthModuleOptions): ResolvedAuthOptions {
  const options = { ...new AuthModuleOptions(), ...definedOnly(given) } as WithDefaults;
  if (typeof options.issuer !== 'string' || options.issuer.length === 0) {
    throw new AuthConfigurationError(
      "issuer is required: Better Auth's origin, as in the tokens' iss claim (e.g. http://localhost:3000).",
    );
  }
  const issuer = options.issuer.replace(/\/+$/, '') || options.issuer;

  const algorithms = options.algorithms;
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

  if (options.keyStore !== undefined) {
    if (typeof options.keyStore?.getKey !== 'function') {
      throw new AuthConfigurationError('keyStore must have a getKey(header, token) method.');
    }
    if (options.keys !== undefined || options.jwksUrl !== undefined) {
      throw new AuthConfigurationError(
        'keyStore replaces keys and jwksUrl: set keyStore alone, or keys/jwksUrl without keyStore.',
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
  const jwks = {
    ...new JwksCacheOptions(),
    ...definedOnly(options.jwks),
  } as Required<JwksCacheOptions>;
  nonNegative('jwks.cacheMaxAgeMs', jwks.cacheMaxAgeMs);
  nonNegative('jwks.cooldownMs', jwks.cooldownMs);
  nonNegative('jwks.timeoutMs', jwks.timeoutMs);

  let verifiedTokenCache: ResolvedAuthOptions['verifiedTokenCache'] = false;
  if (options.verifiedTokenCache !== false) {
    const given = options.verifiedTokenCache === true ? {} : options.verifiedTokenCache;
    const { maxEntries } = {
      ...new VerifiedTokenCacheOptions(),
      ...definedOnly(given),
    } as Required<VerifiedTokenCacheOptions>;
    nonNegative('verifiedTokenCache.maxEntries', maxEntries);
    verifiedTokenCache = maxEntries > 0 ? { maxEntries } : false;
  }

  const audience = options.audience ?? options.issuer;
  if ((Array.isArray(audience) && audience.length === 0) || audience === '') {
    throw new AuthConfigurationError('audience must not be empty (default: the issuer).');
  }

  if (options.revocation !== undefined) {
    const source = options.revocation as Partial<RevocationSource>;
    if (
      typeof source?.start !== 'function' ||
      typeof source.stop !== 'function' ||
      typeof source.status !== 'function'
    ) {
      throw new AuthConfigurationError(
        'revocation must be a RevocationSource: an object with start(sink), stop() and status().',
      );
    }
  }
  const maxTokenLifetimeSeconds = nonNegative(
    'maxTokenLifetimeSeconds',
    options.maxTokenLifetimeSeconds,
  );
  if (options.revocation !== undefined && maxTokenLifetimeSeconds === 0) {
    throw new AuthConfigurationError(
      'maxTokenLifetimeSeconds must be above 0 when revocation is on (Better Auth: 900).',
    );
  }

  return {
    issuer: options.issuer,
    audience,
    jwksUrl,
    keys: options.keys,
    keyStore: options.keyStore,
    algorithms: [...new Set(algorithms)],
    clockToleranceSeconds: nonNegative('clockToleranceSeconds', options.clockToleranceSeconds),
    requiredClaims: [...new Set([...ALWAYS_REQUIRED_CLAIMS, ...options.requiredClaims])],
    maxTokenBytes: nonNegative('maxTokenBytes', options.maxTokenBytes),
    jwks,
    globalGuard: options.globalGuard !== false,
    verifiedTokenCache,
    rolesClaim: options.rolesClaim,
    revocation: options.revocation,
    maxTokenLifetimeSeconds,
  };
}
