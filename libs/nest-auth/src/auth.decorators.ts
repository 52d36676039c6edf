import {
  applyDecorators,
  createParamDecorator,
  SetMetadata,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
  type Type,
} from '@nestjs/common';
import { GUARDS_METADATA } from '@nestjs/common/constants';
import type { AuthUser } from './auth-user.interface';
import {
  AUTH_OPTIONAL_KEY,
  AUTH_OWNER_PARAM_KEY,
  AUTH_PUBLIC_KEY,
  AUTH_ROLES_KEY,
} from './auth.constants';
import { getAuthRequest } from './auth-request';
import { OwnershipGuard } from './ownership.guard';
import { RolesGuard } from './roles.guard';

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
 * Appends `guard` to the guards of a handler, or of every handler a class declares, unless
 * it is there already. On the handler, not the class: Nest runs global guards, then the
 * controller's, then the method's, so a guard placed this way by a class decorator runs after
 * every guard that may authenticate the caller (a controller-level
 * `@UseGuards(AuthGuard('better-auth'))` included), whatever the order of the decorators.
 */
function guardHandlers(guard: Type<CanActivate>): ClassDecorator & MethodDecorator {
  const append = (handler: unknown) => {
    if (typeof handler !== 'function') return;
    const guards = (Reflect.getMetadata(GUARDS_METADATA, handler) as unknown[] | undefined) ?? [];
    if (!guards.includes(guard)) {
      Reflect.defineMetadata(GUARDS_METADATA, [...guards, guard], handler);
    }
  };
  return ((target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    if (descriptor) {
      append(descriptor.value);
      return descriptor;
    }
    const prototype = (target as { prototype: object }).prototype;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      if (name !== 'constructor') append(Object.getOwnPropertyDescriptor(prototype, name)?.value);
    }
    return target;
  }) as ClassDecorator & MethodDecorator;
}

/**
 * Requires one of the roles in the token's role claim (`rolesClaim`, default `role`; an
 * array, or a comma-separated string as Better Auth's admin plugin writes it): 403 without
 * it, 401 without a caller. On a method or a controller; it places {@link RolesGuard} on the
 * route after every guard that may authenticate, so it holds whichever guard does: the global
 * JWT guard, a Passport `AuthGuard` registered globally or on the controller. On a method,
 * write it above a `@UseGuards()` of that same method that authenticates (decorators apply
 * bottom-up); anywhere else the order does not matter. On a class, it guards the handlers the
 * class declares; a handler it inherits is still checked by the global RolesGuard, which
 * then answers 401 when the caller is only authenticated later by a controller guard.
 *
 * @example
 * @Roles('admin', 'support')
 * @Delete('users/:id')
 * remove(@Param('id') id: string) {}
 *
 * @example
 * @Roles('admin')
 * @UseGuards(AuthGuard('better-auth'))
 * @Controller('admin')
 * export class AdminController {}
 */
export const Roles = (...roles: string[]) =>
  applyDecorators(SetMetadata(AUTH_ROLES_KEY, roles), guardHandlers(RolesGuard));

/**
 * The route parameter (default `userId`) must equal the caller's id (the token's `sub`),
 * else 403. Works alone on a controller class or a method: it sets the parameter name and
 * adds {@link OwnershipGuard} there. Write it above the `@UseGuards()` that authenticates, if
 * any on the same class or method (decorators apply bottom-up). It stays on the class (unlike
 * {@link Roles}) so that handlers a controller inherits are guarded too.
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
 * routes without a token. Works on HTTP, GraphQL resolvers and WebSocket gateways, whichever
 * guard authenticated the caller.
 *
 * @example
 * @Get('me')
 * me(@CurrentUser() user: AuthUser, @CurrentUser('email') email?: string) {
 *   return { id: user.id, email };
 * }
 */
export const CurrentUser: (key?: keyof AuthUser) => ParameterDecorator = createParamDecorator(
  (key: keyof AuthUser | undefined, context: ExecutionContext) => {
    const user = getAuthRequest(context)?.user;
    return key ? user?.[key] : user;
  },
);
