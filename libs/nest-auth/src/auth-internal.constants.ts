// Internal names of the module: DI tokens and settings users never touch. Public symbols
// live in auth.constants.ts.

/** DI token: the options with defaults applied and checked (see resolveAuthOptions). */
export const AUTH_RESOLVED_OPTIONS = Symbol('AUTHBRIDGE:RESOLVED_OPTIONS');

/** Claims every accepted token carries, whatever the configuration says. */
export const ALWAYS_REQUIRED_CLAIMS = ['sub', 'exp', 'iat', 'iss', 'aud'] as const;

/** Logger context of the module. */
export const AUTH_LOGGER_CONTEXT = 'AuthBridge';

/** DI token: the in-memory {@link RevocationList}, or `undefined` when revocation is off. */
export const AUTH_REVOCATION_LIST = Symbol('AUTHBRIDGE:REVOCATION_LIST');
