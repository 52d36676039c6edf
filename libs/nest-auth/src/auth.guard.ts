import {
  Inject,
  Injectable,
  Logger,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AuthUser } from './auth-user.interface';
import {
  AUTH_LOGGER_CONTEXT,
  AUTH_OPTIONAL_KEY,
  AUTH_PUBLIC_KEY,
  AUTH_ROLES_KEY,
} from './auth.constants';
import { JwksUnavailableError, missingTokenError, TokenRejectedError } from './auth.errors';
import { forbidden, unauthorized, unavailable } from './auth.exceptions';
import type { ResolvedAuthOptions } from './auth-module-options';
import { AUTH_RESOLVED_OPTIONS } from './auth.module-definition';
import { extractBearerToken } from './bearer-token';
import { getAuthCarrier, type AuthCarrier } from './execution-context.util';
import { TokenVerifier } from './token-verifier.service';

/**
 * Requires a valid Better Auth JWT (`Authorization: Bearer <token>`) on every route it guards,
 * puts the caller on `request.user` and enforces `@Roles()`. `@Public()` routes are let through
 * before anything is read, so a JWKS outage never breaks them; `@OptionalAuth()` routes accept
 * anonymous callers but still refuse a bad token. Registered globally by default
 * (`globalGuard`); works on HTTP (Express, Fastify), GraphQL and WebSockets and denies any
 * other context. Extend it and override the protected methods to change one decision.
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
    @Inject(AUTH_RESOLVED_OPTIONS) protected readonly options: ResolvedAuthOptions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.isPublic(context)) return true;
    const carrier = getAuthCarrier(context);
    if (!carrier) {
      this.logger.debug(`Denied a ${context.getType()} context: no way to read a token there`);
      return false;
    }
    let user: AuthUser | undefined;
    try {
      const token = this.getToken(carrier);
      if (token === undefined) {
        if (this.isOptional(context)) return this.checkRoles(context, undefined);
        throw missingTokenError();
      }
      user = await this.verifier.verify(token);
    } catch (error) {
      throw this.toException(context, error);
    }
    carrier.holder.user = user;
    return this.checkRoles(context, user);
  }

  /** `@Public()` on the handler or its class. */
  protected isPublic(context: ExecutionContext): boolean {
    return this.flag(AUTH_PUBLIC_KEY, context);
  }

  /** `@OptionalAuth()` on the handler or its class. */
  protected isOptional(context: ExecutionContext): boolean {
    return this.flag(AUTH_OPTIONAL_KEY, context);
  }

  /** The bearer token of the `Authorization` header; nothing else is ever read. */
  protected getToken(carrier: AuthCarrier): string | undefined {
    return extractBearerToken(carrier.authorization);
  }

  /** Roles from `@Roles()`; any one of them suffices. Throws 403 when none is held. */
  protected checkRoles(context: ExecutionContext, user: AuthUser | undefined): boolean {
    const required = this.reflector.getAllAndOverride<string[] | undefined>(AUTH_ROLES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!required?.length) return true;
    if (!user) {
      throw this.toException(
        context,
        new TokenRejectedError(
          'missing_token',
          `This route needs a token with role ${required.join(' or ')}.`,
        ),
      );
    }
    const held = this.getRoles(user);
    if (required.some((role) => held.includes(role))) return true;
    const message = `This route needs the role ${required.map((r) => JSON.stringify(r)).join(' or ')} in the "${this.options.rolesClaim}" claim; the token has ${held.length ? held.map((r) => JSON.stringify(r)).join(', ') : 'none'}.`;
    this.logger.debug(`Forbidden (insufficient_role) for user ${user.id}: ${message}`);
    throw forbidden(context, 'insufficient_role', message, true);
  }

  /** The roles a user holds: an array claim, or a comma-separated string (Better Auth admin). */
  protected getRoles(user: AuthUser): string[] {
    const claim = user.claims[this.options.rolesClaim];
    if (Array.isArray(claim)) return claim.filter((r): r is string => typeof r === 'string');
    if (typeof claim === 'string') {
      return claim
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean);
    }
    return [];
  }

  /** Maps a failure to the transport's exception (401, 503), logging the reason at debug. */
  protected toException(context: ExecutionContext, error: unknown): unknown {
    if (error instanceof TokenRejectedError) {
      this.logger.debug(`Unauthorized (${error.reason}) ${describe(context)}: ${error.message}`);
      return unauthorized(context, error);
    }
    if (error instanceof JwksUnavailableError) {
      this.logger.debug(
        `Service unavailable (jwks_unavailable) ${describe(context)}: ${error.message}`,
      );
      return unavailable(context, error);
    }
    return error;
  }

  private flag(key: string, context: ExecutionContext): boolean {
    return !!this.reflector.getAllAndOverride<boolean | undefined>(key, [
      context.getHandler(),
      context.getClass(),
    ]);
  }
}

function describe(context: ExecutionContext): string {
  return `${context.getType()} ${context.getClass()?.name}.${context.getHandler()?.name}`;
}
