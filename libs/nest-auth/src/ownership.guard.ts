import { Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AUTH_LOGGER_CONTEXT, AUTH_OWNER_PARAM_KEY } from './auth.constants';
import { missingTokenError } from './auth.errors';
import { forbidden, unauthorized } from './auth.exceptions';
import { getUserFromContext } from './execution-context.util';

/**
 * Lets a request through only when a route parameter (default `userId`, or the one named by
 * `@OwnerParam()`) equals the caller's id (the token's `sub`); 403 otherwise. Runs after
 * {@link JwtAuthGuard} (or the Passport strategy), which put the caller on `request.user`.
 * Usually applied through `@OwnerParam()`, which adds this guard.
 *
 * @example
 * @UseGuards(OwnershipGuard)
 * @Get('users/:userId/settings')
 * settings(@Param('userId') userId: string) {}
 */
@Injectable()
export class OwnershipGuard implements CanActivate {
  protected readonly logger = new Logger(AUTH_LOGGER_CONTEXT);

  constructor(protected readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const param = this.getParamName(context);
    const user = getUserFromContext(context);
    if (!user) {
      throw unauthorized(context, missingTokenError());
    }
    const value = this.getParamValue(context, param);
    if (value === undefined) {
      this.logger.error(
        `${context.getClass()?.name}.${context.getHandler()?.name} has no route parameter ":${param}" to check ownership against; denying.`,
      );
      throw forbidden(
        context,
        'not_owner',
        `This route has no ":${param}" parameter to check ownership.`,
      );
    }
    if (value === user.id) return true;
    this.logger.debug(`Forbidden (not_owner): :${param} is not the caller (user ${user.id})`);
    throw forbidden(
      context,
      'not_owner',
      `The ":${param}" in the path must be your own user id (the token's "sub"); you cannot act for another user.`,
    );
  }

  /** The route parameter to compare, from `@OwnerParam()`; default `userId`. */
  protected getParamName(context: ExecutionContext): string {
    return (
      this.reflector.getAllAndOverride<string | undefined>(AUTH_OWNER_PARAM_KEY, [
        context.getHandler(),
        context.getClass(),
      ]) ?? 'userId'
    );
  }

  /** The parameter's value: HTTP route params, or a field of the GraphQL args / WS payload. */
  protected getParamValue(context: ExecutionContext, param: string): string | undefined {
    const type = context.getType<string>();
    let source: unknown;
    if (type === 'http') source = context.switchToHttp().getRequest<{ params?: unknown }>().params;
    else if (type === 'graphql') source = context.getArgByIndex(1);
    else if (type === 'ws') source = context.switchToWs().getData();
    const value = (source as Record<string, unknown> | undefined)?.[param];
    return typeof value === 'string' ? value : undefined;
  }
}
