/**
 * Why a token was refused. Stable, machine-readable; sent as `code` in the 401 body.
 *
 * @example
 * if (error instanceof TokenRejectedError && error.reason === 'token_expired') refreshToken();
 */
export type TokenRejectionReason =
  | 'missing_token'
  | 'malformed_header'
  | 'token_too_large'
  | 'malformed_token'
  | 'algorithm_not_allowed'
  | 'unknown_key'
  | 'invalid_signature'
  | 'token_expired'
  | 'token_not_yet_valid'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'missing_claim'
  | 'invalid_claim'
  | 'session_revoked'
  | 'user_revoked';

/**
 * The token is not acceptable: the request is unauthenticated (HTTP 401). The message says
 * why in words a developer can act on; it never contains the token.
 *
 * @example
 * try {
 *   await verifier.verify(token);
 * } catch (error) {
 *   if (error instanceof TokenRejectedError) socket.emit('error', error.message);
 * }
 */
export class TokenRejectedError extends Error {
  constructor(
    /** Machine-readable reason. */
    readonly reason: TokenRejectionReason,
    message: string,
  ) {
    super(message);
    this.name = 'TokenRejectedError';
  }
}

/** The rejection of a request that carries no token at all (every guard alike). */
export function missingTokenError(
  message = 'This route needs a Better Auth token: send "Authorization: Bearer <token>".',
): TokenRejectedError {
  return new TokenRejectedError('missing_token', message);
}

/**
 * Why an authenticated caller was refused. Stable, machine-readable; sent as `code` in the
 * 403 body.
 *
 * @example
 * if (body.code === 'insufficient_role') showAdminOnlyNotice();
 */
export type AccessDeniedReason = 'insufficient_role' | 'not_owner';

/**
 * The caller is authenticated but may not do this (HTTP 403): a role is missing, or the
 * resource is another user's. Thrown by {@link RolesGuard} and {@link OwnershipGuard}; throw
 * it from your own guards to answer the same way.
 *
 * @example
 * const request = getAuthRequest(context);
 * if (request?.user && request.user.claims.email_verified !== true) {
 *   throw request.fail(new AccessDeniedError('insufficient_role', 'Verify your email first.'));
 * }
 */
export class AccessDeniedError extends Error {
  constructor(
    /** Machine-readable reason. */
    readonly reason: AccessDeniedReason,
    message: string,
  ) {
    super(message);
    this.name = 'AccessDeniedError';
  }
}

/**
 * The key that signed the token is not cached and the JWKS could not be fetched: the
 * token cannot be judged right now (HTTP 503 with `Retry-After`), which is not its fault.
 *
 * @example
 * if (error instanceof JwksUnavailableError) res.set('Retry-After', String(error.retryAfterSeconds));
 */
export class JwksUnavailableError extends Error {
  constructor(
    message: string,
    /** Seconds after which a retry can succeed. */
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'JwksUnavailableError';
  }
}

/**
 * Every refusal the module makes: 401 (no or bad token), 403 (not allowed), 503 (keys
 * unreachable). {@link toAuthErrorResponse} turns one into the response that states it.
 *
 * @example
 * function statusOf(error: AuthError): number {
 *   return toAuthErrorResponse(error).status;
 * }
 */
export type AuthError = TokenRejectedError | AccessDeniedError | JwksUnavailableError;

/**
 * True for the errors of {@link AuthError}: a refusal the module knows how to answer.
 *
 * @example
 * catch (error) {
 *   if (isAuthError(error)) throw getAuthRequest(context)?.fail(error) ?? error;
 *   throw error;
 * }
 */
export function isAuthError(error: unknown): error is AuthError {
  return (
    error instanceof TokenRejectedError ||
    error instanceof AccessDeniedError ||
    error instanceof JwksUnavailableError
  );
}
