import { Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AuthUser } from './auth-user.interface';
import { AUTH_LOGGER_CONTEXT } from './auth-internal.constants';
import { isAuthError, missingTokenError } from './auth.errors';
import { toAuthErrorResponse } from './auth-error-response';
import { getAuthRequest, type AuthRequest } from './auth-request';
import { extractBearerToken } from './bearer-token';
import { routePolicy } from './route-policy';
import { TokenVerifier } from './token-verifier.service';

/**
 * Authenticates: requires a valid Better Auth JWT (`Authorization: Bearer <token>`) on every
 * route it guards and puts the caller on `request.user`. It decides nothing else: `@Roles()`
 * is {@link RolesGuard}'s, `@OwnerParam()` is {@link OwnershipGuard}'s, so they work the same
 * whichever guard authenticated. `@Public()` routes are let through before anything is read,
 * so a JWKS outage never breaks them; `@OptionalAuth()` routes accept anonymous callers but
 * still refuse a bad token. Registered globally by default (`globalGuard`); works on HTTP
 * (Express, Fastify), GraphQL and WebSockets and denies any other context. Extend it and
 * override the protected methods to change one decision.
 *
 * @example
 * // globalGuard: false, placed by hand
 * @UseGuards(JwtAuthGuard)
 * @Controller('reports')
 * export class ReportsController {}
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  protected readonly logger = new Logger(AUTH_LOGGER_CONTEXT);

  constructor(
    protected readonly reflector: Reflector,
    protected readonly verifier: TokenVerifier,
  ) {}

  // Returns a plain boolean when the token is in the verified-token cache: no promise, no
  // microtask, on the path most requests take.
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (this.isPublic(context)) return true;
    const request = getAuthRequest(context);
    if (!request) {
      this.logger.debug(`Denied a ${context.getType()} context: no way to read a token there`);
      return false;
    }
    let token: string | undefined;
    let cached: AuthUser | undefined;
    try {
      token = this.getToken(request);
      if (token === undefined) {
        if (this.isOptional(context)) return true;
        throw missingTokenError();
      }
      cached = this.verifier.verifyCached(token);
    } catch (error) {
      throw this.toException(context, error);
    }
    if (cached) {
      request.user = cached;
      return true;
    }
    return this.verifier.verify(token).then(
      (user) => {
        request.user = user;
        return true;
      },
      (error: unknown) => {
        throw this.toException(context, error);
      },
    );
  }

  /** `@Public()` on the handler or its class. */
  protected isPublic(context: ExecutionContext): boolean {
    return routePolicy(this.reflector, context).isPublic;
  }

  /** `@OptionalAuth()` on the handler or its class. */
  protected isOptional(context: ExecutionContext): boolean {
    return routePolicy(this.reflector, context).isOptional;
  }

  /** The bearer token of the `Authorization` header; nothing else is ever read. */
  protected getToken(request: AuthRequest): string | undefined {
    return extractBearerToken(request.authorization);
  }

  /**
   * Answers a refusal (401, 503) on the context's transport, logging the reason at debug;
   * anything else is rethrown as it is.
   */
  protected toException(context: ExecutionContext, error: unknown): unknown {
    if (!isAuthError(error)) return error;
    const request = getAuthRequest(context);
    if (!request) return error;
    const { body } = toAuthErrorResponse(error);
    this.logger.debug(`${body.error} (${body.code}) ${describe(context)}: ${body.message}`);
    return request.fail(error);
  }
}

function describe(context: ExecutionContext): string {
  return `${context.getType()} ${context.getClass()?.name}.${context.getHandler()?.name}`;
}
