import type { ExecutionContext } from '@nestjs/common';
import { HttpException, HttpStatus } from '@nestjs/common';
import type { JwksUnavailableError, TokenRejectedError } from './auth.errors';
import { getAuthCarrier, setResponseHeader } from './execution-context.util';

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

type WsModule = { WsException: new (error: object) => Error };
let ws: WsModule | undefined;
function loadWebsockets(): WsModule {
  // @nestjs/websockets is an optional peer: only WebSocket contexts load it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  ws ??= require('@nestjs/websockets') as WsModule;
  return ws;
}

/** RFC 6750 quoted-string: no quotes, backslashes or control characters. */
function quoted(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/["\\\u0000-\u001f\u007f]/g, "'");
}

/**
 * The RFC 6750 challenge for a rejected token: bare `Bearer` when none was sent,
 * `invalid_token` with the reason otherwise. Shared by the guard and the Passport strategy.
 */
export function bearerChallenge(error: TokenRejectedError): string {
  return error.reason === 'missing_token'
    ? 'Bearer'
    : `Bearer error="invalid_token", error_description="${quoted(error.message)}"`;
}

/** The 503 body for an unreachable JWKS. Shared by the guard and the Passport strategy. */
export function unavailableBody(error: JwksUnavailableError): AuthErrorBody {
  return {
    statusCode: HttpStatus.SERVICE_UNAVAILABLE,
    error: 'Service Unavailable',
    code: 'jwks_unavailable',
    message: error.message,
  };
}

/**
 * Builds the exception for the context's transport (HTTP and GraphQL: `HttpException`;
 * WebSockets: `WsException` with the same body) and, on HTTP, sets the response headers
 * (`WWW-Authenticate`, `Retry-After`) that the default exception filter then keeps.
 */
export function authException(
  context: ExecutionContext,
  body: AuthErrorBody,
  headers: Record<string, string>,
): Error {
  if (context.getType() === 'ws') return new (loadWebsockets().WsException)(body);
  const response = getAuthCarrier(context)?.response;
  for (const [name, value] of Object.entries(headers)) setResponseHeader(response, name, value);
  return new HttpException(body, body.statusCode);
}

/** 401 for a missing or rejected token (RFC 6750 `WWW-Authenticate`). */
export function unauthorized(context: ExecutionContext, error: TokenRejectedError): Error {
  return authException(
    context,
    {
      statusCode: HttpStatus.UNAUTHORIZED,
      error: 'Unauthorized',
      code: error.reason,
      message: error.message,
    },
    { 'WWW-Authenticate': bearerChallenge(error) },
  );
}

/** 403 for a valid token that lacks a role or does not own the resource. */
export function forbidden(
  context: ExecutionContext,
  code: string,
  message: string,
  scopeChallenge = false,
): Error {
  return authException(
    context,
    { statusCode: HttpStatus.FORBIDDEN, error: 'Forbidden', code, message },
    scopeChallenge
      ? {
          'WWW-Authenticate': `Bearer error="insufficient_scope", error_description="${quoted(message)}"`,
        }
      : {},
  );
}

/** 503 with `Retry-After` when the JWKS cannot be fetched and the key is not cached. */
export function unavailable(context: ExecutionContext, error: JwksUnavailableError): Error {
  return authException(context, unavailableBody(error), {
    'Retry-After': String(error.retryAfterSeconds),
  });
}
