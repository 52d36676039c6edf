import type { ExecutionContext } from '@nestjs/common';
import { GUARDS_METADATA } from '@nestjs/common/constants';
import type { Reflector } from '@nestjs/core';
import {
  AUTH_OPTIONAL_KEY,
  AUTH_OWNER_PARAM_KEY,
  AUTH_PUBLIC_KEY,
  AUTH_ROLES_KEY,
} from './auth.constants';

/** What the decorators of one handler (and its class) ask of the guards. */
export interface RoutePolicy {
  /** `@Public()`: no token is read. */
  readonly isPublic: boolean;
  /** `@OptionalAuth()`: anonymous callers pass, a bad token does not. */
  readonly isOptional: boolean;
  /** `@Roles()`: any one of these roles; `undefined` when the route asks for none. */
  readonly roles: readonly string[] | undefined;
  /** The route itself (method or class) carries a guard of this class, which runs after
   * every global guard: set for {@link RolesGuard} by `@Roles()`. */
  readonly guardedBy: ReadonlySet<unknown>;
  /** `@OwnerParam()`: the parameter that must equal the caller's id. */
  readonly ownerParam: string | undefined;
}

// Decorator metadata never changes once the application runs, so it is read once per
// handler and class instead of on every request (the guards run on every request).
// Keyed by handler, then class: an inherited handler may serve several controllers.
const policies = new WeakMap<object, WeakMap<object, RoutePolicy>>();

/**
 * The {@link RoutePolicy} of the handler an execution context runs, read once and cached.
 *
 * @example
 * if (routePolicy(this.reflector, context).isPublic) return true;
 */
export function routePolicy(reflector: Reflector, context: ExecutionContext): RoutePolicy {
  const handler = context.getHandler();
  const cls = context.getClass();
  let byClass = policies.get(handler);
  let policy = byClass?.get(cls);
  if (policy) return policy;
  const targets = [handler, cls];
  const guards = [
    ...((Reflect.getMetadata(GUARDS_METADATA, cls) as unknown[] | undefined) ?? []),
    ...((Reflect.getMetadata(GUARDS_METADATA, handler) as unknown[] | undefined) ?? []),
  ];
  const roles = reflector.getAllAndOverride<string[] | undefined>(AUTH_ROLES_KEY, targets);
  policy = Object.freeze({
    isPublic: !!reflector.getAllAndOverride<boolean | undefined>(AUTH_PUBLIC_KEY, targets),
    isOptional: !!reflector.getAllAndOverride<boolean | undefined>(AUTH_OPTIONAL_KEY, targets),
    roles: roles?.length ? Object.freeze([...roles]) : undefined,
    guardedBy: new Set(guards),
    ownerParam: reflector.getAllAndOverride<string | undefined>(AUTH_OWNER_PARAM_KEY, targets),
  });
  if (!byClass) policies.set(handler, (byClass = new WeakMap()));
  byClass.set(cls, policy);
  return policy;
}
