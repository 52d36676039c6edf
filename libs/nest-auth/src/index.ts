// The whole public surface of @authbridge/nest-auth.
export { AuthModule } from './auth.module';
export {
  AuthModuleOptions,
  AuthConfigurationError,
  type JwksCacheOptions,
  type VerifiedTokenCacheOptions,
} from './auth-module-options';
export type { AuthModuleExtras } from './auth.module-definition';
export { JwtAuthGuard } from './auth.guard';
export { OwnershipGuard } from './ownership.guard';
export { Public, OptionalAuth, Roles, OwnerParam, CurrentUser } from './auth.decorators';
export type { AuthUser } from './auth-user.interface';
export { TokenVerifier } from './token-verifier.service';
export { extractBearerToken } from './bearer-token';
export { TokenRejectedError, JwksUnavailableError, type TokenRejectionReason } from './auth.errors';
export type { AuthErrorBody } from './auth.exceptions';
export {
  AUTH_PUBLIC_KEY,
  AUTH_OPTIONAL_KEY,
  AUTH_ROLES_KEY,
  AUTH_OWNER_PARAM_KEY,
  SUPPORTED_ALGORITHMS,
  type SupportedAlgorithm,
} from './auth.constants';
