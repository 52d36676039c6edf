import { HttpStatus } from '@nestjs/common';
import {
  AccessDeniedError,
  TokenRejectedError,
  type AuthError,
  type TokenRejectionReason,
} from './auth.errors';

/**
 * Body of every error response the module produces.
 *
 * @example
 * const body = response.body as AuthErrorBody;
 * if (body.code === 'token_expired') await refreshToken();
 */
export interface AuthErrorBody {
  statusCode: number;
  error: string;
  /** Machine-readable reason, e.g. `token_expired`, `insufficient_role`, `jwks_unavailable`. */
  code: string;
  /** What went wrong, in words a developer can act on. */
  message: string;
}

/**
 * A refusal as the response that states it: status, body and headers. Built by
 * {@link toAuthErrorResponse} without touching any response; written by the request's
 * transport ({@link AuthRequest.fail}), the one place that sets headers.
 *
 * @example
 * const { status, body, headers } = toAuthErrorResponse(new TokenRejectedError('token_expired', 'Expired.'));
 * // 401, { statusCode: 401, code: 'token_expired', ... }, { 'WWW-Authenticate': 'Bearer error="invalid_token", ...' }
 */
export interface AuthErrorResponse {
  readonly status: number;
  readonly body: AuthErrorBody;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * The `error_description` of the RFC 6750 challenge, one FIXED sentence per reason. Never the
 * error's message: that one may quote the token (a kid, an alg, a claim), and Node refuses a
 * header value with any character above U+00FF, which would turn a refusal into a 500. The
 * body says the details; the header only says which kind of refusal this is.
 */
const CHALLENGE_DESCRIPTIONS: Record<TokenRejectionReason, string> = {
  missing_token: 'No bearer token was sent',
  malformed_header: 'The Authorization header must be one Bearer token',
  token_too_large: 'The token is too large',
  malformed_token: 'The token is not a well-formed signed JWT',
  algorithm_not_allowed: 'The token algorithm is not accepted',
  unknown_key: 'No known signing key matches the token',
  invalid_signature: 'The token signature is invalid',
  token_expired: 'The token expired',
  token_not_yet_valid: 'The token is not valid yet',
  wrong_issuer: 'The token issuer is not accepted',
  wrong_audience: 'The token audience is not accepted',
  missing_claim: 'The token lacks a required claim',
  invalid_claim: 'A claim of the token is invalid',
  session_revoked: 'The session of the token was revoked',
  user_revoked: 'The sessions of the token user were revoked',
};

/** The challenge of a 403 for a missing role: fixed text, for the same reason. */
const INSUFFICIENT_SCOPE =
  'Bearer error="insufficient_scope", error_description="The token lacks a required role"';

/**
 * The RFC 6750 challenge for a rejected token: bare `Bearer` when none was sent,
 * `invalid_token` with the fixed description of its reason otherwise. Shared by the guards
 * and the Passport strategy.
 */
export function bearerChallenge(error: TokenRejectedError): string {
  return error.reason === 'missing_token'
    ? 'Bearer'
    : `Bearer error="invalid_token", error_description="${CHALLENGE_DESCRIPTIONS[error.reason]}"`;
}

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * The response for a refusal: 401 with an RFC 6750 challenge for a missing or rejected token,
 * 403 for a caller who may not (with an `insufficient_scope` challenge for a missing role),
 * 503 with `Retry-After` when the signing keys cannot be fetched. Pure: it writes nothing.
 *
 * @example
 * const response = toAuthErrorResponse(error);
 * reply.status(response.status).headers(response.headers).send(response.body);
 */
export function toAuthErrorResponse(error: AuthError): AuthErrorResponse {
  if (error instanceof TokenRejectedError) {
    return {
      status: HttpStatus.UNAUTHORIZED,
      body: {
        statusCode: HttpStatus.UNAUTHORIZED,
        error: 'Unauthorized',
        code: error.reason,
        message: error.message,
      },
      headers: { 'WWW-Authenticate': bearerChallenge(error) },
    };
  }
  if (error instanceof AccessDeniedError) {
    return {
      status: HttpStatus.FORBIDDEN,
      body: {
        statusCode: HttpStatus.FORBIDDEN,
        error: 'Forbidden',
        code: error.reason,
        message: error.message,
      },
      headers:
        error.reason === 'insufficient_role'
          ? { 'WWW-Authenticate': INSUFFICIENT_SCOPE }
          : NO_HEADERS,
    };
  }
  return {
    status: HttpStatus.SERVICE_UNAVAILABLE,
    body: {
      statusCode: HttpStatus.SERVICE_UNAVAILABLE,
      error: 'Service Unavailable',
      code: 'jwks_unavailable',
      message: error.message,
    },
    headers: { 'Retry-After': String(error.retryAfterSeconds) },
  };
}
