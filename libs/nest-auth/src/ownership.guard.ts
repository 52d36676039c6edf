import { Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AUTH_LOGGER_CONTEXT } from './auth-internal.constants';
import { AccessDeniedError, missingTokenError } from './auth.errors';
import { getAuthRequest, type AuthRequest } from './auth-request';
import { routePolicy } from './route-policy';

/**
 * Lets a request through only when a route parameter (default `userId`, or the one named by
 * `@OwnerParam()`) equals the caller's id (the token's `sub`); 403 otherwise, 401 without a
 * caller. Reads `request.user`, whichever guard set it ({@link JwtAuthGuard}, the Passport
 * strategy). Usually applied through `@OwnerParam()`, which places it on the route after
 * every guard that may authenticate.
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
    const request = getAuthRequest(context);
    const user = request?.user;
    if (!request || !user) {
      this.logger.debug('Unauthorized (missing_token): ownership needs a caller');
      if (!request) throw missingTokenError();
      throw request.fail(missingTokenError());
    }
    const param = this.getParamName(context);
    const value = this.getParamValue(context, param, request);
    if (value === undefined) {
      this.logger.error(
        `${context.getClass()?.name}.${context.getHandler()?.name} has no route parameter ":${param}" to check ownership against; denying.`,
      );
      throw request.fail(
        new AccessDeniedError(
          'not_owner',
          `This route has no ":${param}" parameter to check ownership.`,
        ),
      );
    }
    if (value === user.id) return true;
    this.logger.debug(`Forbidden (not_owner): :${param} is not the caller (user ${user.id})`);
    throw request.fail(
      new AccessDeniedError(
        'not_owner',
        `The ":${param}" in the path must be your own user id (the token's "sub"); you cannot act for another user.`,
      ),
    );
  }

  /** The route parameter to compare, from `@OwnerParam()`; default `userId`. */
  protected getParamName(context: ExecutionContext): string {
    return routePolicy(this.reflector, context).ownerParam ?? 'userId';
  }

  /** The parameter's value: HTTP route params, or a field of the GraphQL args / WS payload. */
  protected getParamValue(
    context: ExecutionContext,
    param: string,
    request: AuthRequest | undefined = getAuthRequest(context),
  ): string | undefined {
    const value = request?.param(context, param);
    return typeof value === 'string' ? value : undefined;
  }
}
