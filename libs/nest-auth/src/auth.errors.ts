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
  | 'invalid_claim';

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

/** The rejection of a request that carries no token at all (guard and ownership guard alike). */
export function missingTokenError(): TokenRejectedError {
  return new TokenRejectedError(
    'missing_token',
    'This route needs a Better Auth token: send "Authorization: Bearer <token>".',
  );
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
