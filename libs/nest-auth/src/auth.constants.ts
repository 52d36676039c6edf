// The public symbols of @authbridge/nest-auth: metadata keys (namespaced, so no other library
// reads or writes them by accident), the DI token users may replace, and the algorithms.
// Internal DI tokens live in auth-internal.constants.ts.

/**
 * Metadata key set by {@link Public}: the route skips token verification entirely.
 *
 * @example
 * const isPublic = reflector.getAllAndOverride<boolean>(AUTH_PUBLIC_KEY, [handler, controller]);
 */
export const AUTH_PUBLIC_KEY = 'AUTHBRIDGE:PUBLIC';

/**
 * Metadata key set by {@link OptionalAuth}: verify a token when present, anonymous otherwise.
 *
 * @example
 * const optional = reflector.getAllAndOverride<boolean>(AUTH_OPTIONAL_KEY, [handler, controller]);
 */
export const AUTH_OPTIONAL_KEY = 'AUTHBRIDGE:OPTIONAL';

/**
 * Metadata key set by {@link Roles}: the roles a route accepts (any one of them suffices).
 *
 * @example
 * const roles = reflector.getAllAndOverride<string[]>(AUTH_ROLES_KEY, [handler, controller]);
 */
export const AUTH_ROLES_KEY = 'AUTHBRIDGE:ROLES';

/**
 * Metadata key set by {@link OwnerParam}: the route parameter that must equal the token's `sub`.
 *
 * @example
 * const param = reflector.getAllAndOverride<string>(AUTH_OWNER_PARAM_KEY, [handler, controller]);
 */
export const AUTH_OWNER_PARAM_KEY = 'AUTHBRIDGE:OWNER_PARAM';

/**
 * DI token of the {@link KeyStore} that finds the public key of a token. Default: the JWKS
 * fetched from `jwksUrl`, or the offline `keys`. Replace it through the `keyStore` option, or
 * with `overrideProvider(AUTH_KEY_STORE)` in tests, as @nestjs/throttler lets you replace its
 * storage.
 *
 * @example
 * const keyStore = app.get<KeyStore>(AUTH_KEY_STORE);
 */
export const AUTH_KEY_STORE = Symbol('AUTHBRIDGE:KEY_STORE');

/**
 * DI token of the {@link RevocationSource} given as the `revocation` option (`undefined` when
 * revocation is off). Inject it to show `status()` on a health endpoint.
 *
 * @example
 * constructor(@Optional() @Inject(AUTH_REVOCATION_SOURCE) private readonly revocation?: RevocationSource) {}
 * health() { return { revocation: this.revocation?.status() ?? 'off' }; }
 */
export const AUTH_REVOCATION_SOURCE = Symbol('AUTHBRIDGE:REVOCATION_SOURCE');

/**
 * Algorithms the module can verify: asymmetric only, the ones Better Auth's JWT plugin signs with.
 *
 * @example
 * AuthModule.forRoot({ issuer, algorithms: ['EdDSA', 'ES256'] });
 */
export const SUPPORTED_ALGORITHMS = ['EdDSA', 'ES256', 'ES512', 'RS256', 'PS256'] as const;

/**
 * One of {@link SUPPORTED_ALGORITHMS}.
 *
 * @example
 * const alg: SupportedAlgorithm = 'EdDSA';
 */
export type SupportedAlgorithm = (typeof SUPPORTED_ALGORITHMS)[number];
