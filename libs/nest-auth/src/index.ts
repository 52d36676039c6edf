// The whole public surface of @authbridge/nest-auth.

// The module and its options
export { AuthModule } from './auth.module';
export {
  AuthModuleOptions,
  AuthConfigurationError,
  JwksCacheOptions,
  VerifiedTokenCacheOptions,
} from './auth-module-options';
export type { AuthModuleExtras } from './auth.module-definition';

// Guards: one decision each (authenticate; authorize by role; authorize by ownership)
export { JwtAuthGuard } from './auth.guard';
export { RolesGuard } from './roles.guard';
export { OwnershipGuard } from './ownership.guard';

// Decorators and the caller
export { Public, OptionalAuth, Roles, OwnerParam, CurrentUser } from './auth.decorators';
export type { AuthUser } from './auth-user.interface';

// The request, whatever the transport
export { getAuthRequest, type AuthRequest } from './auth-request';

// Verification and keys
export { TokenVerifier } from './token-verifier.service';
export type { KeyStore } from './jwks-key-store';
export { extractBearerToken } from './bearer-token';

// Revocation: sign-out that reaches the API (off unless the `revocation` option is set)
export type {
  Revocation,
  RevocationSink,
  RevocationSource,
  RevocationStatus,
} from './revocation.interface';
export { InMemoryRevocationSource } from './in-memory-revocation-source';
export {
  PostgresRevocationSource,
  PostgresRevocationOptions,
  postgresRevocationTableSql,
} from './postgres-revocation-source';
export { RedisRevocationSource, RedisRevocationOptions } from './redis-revocation-source';

// Refusals and the responses that state them
export {
  TokenRejectedError,
  JwksUnavailableError,
  AccessDeniedError,
  isAuthError,
  type AuthError,
  type TokenRejectionReason,
  type AccessDeniedReason,
} from './auth.errors';
export {
  toAuthErrorResponse,
  type AuthErrorBody,
  type AuthErrorResponse,
} from './auth-error-response';

// Public constants: metadata keys, DI token, algorithms
export {
  AUTH_PUBLIC_KEY,
  AUTH_OPTIONAL_KEY,
  AUTH_ROLES_KEY,
  AUTH_OWNER_PARAM_KEY,
  AUTH_KEY_STORE,
  AUTH_REVOCATION_SOURCE,
  SUPPORTED_ALGORITHMS,
  type SupportedAlgorithm,
} from './auth.constants';
