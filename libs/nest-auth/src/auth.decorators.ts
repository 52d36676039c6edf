import {
  applyDecorators,
  createParamDecorator,
  SetMetadata,
  UseGuards,
  type ExecutionContext,
} from '@nestjs/common';
import type { AuthUser } from './auth-user.interface';
import {
  AUTH_OPTIONAL_KEY,
  AUTH_OWNER_PARAM_KEY,
  AUTH_PUBLIC_KEY,
  AUTH_ROLES_KEY,
} from './auth.constants';
import { getUserFromContext } from './execution-context.util';
import { OwnershipGuard } from './ownership.guard';

/**
 * Marks a route (or every route of a controller) as public: no token is read or verified,
 * so a JWKS outage never breaks it. Use it for health probes and sign-up style endpoints.
 *
 * @example
 * @Public()
 * @Get('health')
 * health() {
 *   return { status: 'ok' };
 * }
 */
export const Public = () => SetMetadata(AUTH_PUBLIC_KEY, true);

/**
 * Verifies a token when one is sent and lets anonymous callers through otherwise
 * (`@CurrentUser()` is then `undefined`). A token that is sent but invalid is still a 401.
 *
 * @example
 * @OptionalAuth()
 * @Get('posts')
 * list(@CurrentUser() user?: AuthUser) {
 *   return user ? this.posts.forUser(user.id) : this.posts.public();
 * }
 */
export const OptionalAuth = () => SetMetadata(AUTH_OPTIONAL_KEY, true);

/**
 * Requires one of the roles in the token's role claim (`rolesClaim`, default `role`; an
 * array, or a comma-separated string as Better Auth's admin plugin writes it). 403 otherwise.
 *
 * @example
 * @Roles('admin', 'support')
 * @Delete('users/:id')
 * remove(@Param('id') id: string) {}
 */
export const Roles = (...roles: string[]) => SetMetadata(AUTH_ROLES_KEY, roles);

/**
 * The route parameter (default `userId`) must equal the caller's id (the token's `sub`),
 * else 403. Works alone on a controller class or a method: it sets the parameter name and
 * adds {@link OwnershipGuard}.
 *
 * @example
 * @OwnerParam('userId')
 * @Controller('users/:userId/tasks')
 * export class TasksController {}
 */
export const OwnerParam = (param = 'userId') =>
  applyDecorators(SetMetadata(AUTH_OWNER_PARAM_KEY, param), UseGuards(OwnershipGuard));

/**
 * Injects the caller (`AuthUser`), or one of its fields. `undefined` on `@OptionalAuth()`
 * routes without a token. Works on HTTP, GraphQL resolvers and WebSocket gateways.
 *
 * @example
 * @Get('me')
 * me(@CurrentUser() user: AuthUser, @CurrentUser('email') email?: string) {
 *   return { id: user.id, email };
 * }
 */
export const CurrentUser: (key?: keyof AuthUser) => ParameterDecorator = createParamDecorator(
  (key: keyof AuthUser | undefined, context: ExecutionContext) => {
    const user = getUserFromContext(context);
    return key ? user?.[key] : user;
  },
);
