export {
  createTokenManager,
  type TokenManager,
  type TokenManagerOptions,
} from './token-manager.js';
export {
  createApiClient,
  redirectToSignIn,
  isRevokedSession,
  REVOKED_REASONS,
  type ApiClientOptions,
} from './api-client.js';
export {
  ApiError,
  isApiError,
  toApiError,
  type ApiErrorInit,
  type ApiErrorKind,
  type ApiFieldError,
} from './api-error.js';
export {
  fromBetterAuthClient,
  TokenFetchError,
  type BetterAuthTokenClient,
  type BetterAuthTokenResult,
} from './better-auth.js';
export { decodeJwtPayload, type JwtTimeClaims } from './jwt.js';
