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

/** Claims every accepted token carries, whatever the configuration says. */
export const ALWAYS_REQUIRED_CLAIMS = ['sub', 'exp', 'iat', 'iss', 'aud'] as const;

/** Logger context of the module. */
export const AUTH_LOGGER_CONTEXT = 'AuthBridge';
