import {
  Inject,
  Injectable,
  Logger,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AuthUser } from './auth-user.interface';
import type { ResolvedAuthOptions } from './auth-module-options';
import { AUTH_LOGGER_CONTEXT, AUTH_RESOLVED_OPTIONS } from './auth-internal.constants';
import { AccessDeniedError, missingTokenError } from './auth.errors';
import { getAuthRequest } from './auth-request';
import { routePolicy } from './route-policy';
import { quoteUntrusted } from './untrusted-text';

/**
 * Authorizes `@Roles()`: the caller must hold one of the route's roles in the token's role
 * claim (`rolesClaim`, default `role`; an array, or a comma-separated string as Better Auth's
 * admin plugin writes it), else 403; no caller at all is a 401. It only reads `request.user`,
 * so it works the same whichever guard authenticated: {@link JwtAuthGuard}, the Passport
 * strategy, or yours.
 *
 * Where it runs, and why `@Roles()` is never skipped: Nest runs global guards first (in the
 * order their modules were scanned), then the controller's, then the method's. A user set by
 * `@UseGuards(AuthGuard('better-auth'))` on a controller is therefore not there yet when a
 * global guard runs. So `@Roles()` places this guard on the route itself, after every guard
 * of the route (see {@link Roles}), and that instance has the last word: no user there is a
 * 401. The module also registers it globally; that instance decides at once when a user is
 * already known (the usual global JWT guard), and leaves the decision to the route's own
 * instance otherwise. Roles set without `@Roles()` (plain `SetMetadata`) have no such instance
 * on the route, so the global one decides: a 401 without a user, never a pass.
 *
 * @example
 * // Registered by AuthModule; placed on each route by @Roles(). By hand, after your own guard:
 * @UseGuards(ApiKeyGuard, RolesGuard)
 * @SetMetadata(AUTH_ROLES_KEY, ['admin'])
 * @Get('audit')
 * audit() {}
 */
@Injectable()
export class RolesGuard implements CanActivate {
  protected readonly logger = new Logger(AUTH_LOGGER_CONTEXT);
  /**
   * Whether this instance may leave the decision to the route's own RolesGuard when no user
   * is known yet. True only for the instance the module registers globally.
   */
  protected readonly defersToRoute: boolean = false;

  constructor(
    protected readonly reflector: Reflector,
    @Inject(AUTH_RESOLVED_OPTIONS) protected readonly options: ResolvedAuthOptions,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const policy = routePolicy(this.reflector, context);
    const required = policy.roles;
    if (!required) return true;
    const request = getAuthRequest(context);
    if (!request) return false;
    const user = request.user;
    if (!user) {
      if (this.defersToRoute && policy.guardedBy.has(RolesGuard)) return true;
      this.logger.debug(`Unauthorized (missing_token): a role is required and no user is known`);
      throw request.fail(
        missingTokenError(`This route needs a token with role ${required.join(' or ')}.`),
      );
    }
    const held = this.getRoles(user);
    if (required.some((role) => held.includes(role))) return true;
    const message = `This route needs the role ${required.map((r) => JSON.stringify(r)).join(' or ')} in the "${this.options.rolesClaim}" claim; the token has ${describeRoles(held)}.`;
    this.logger.debug(`Forbidden (insufficient_role) for user ${user.id}: ${message}`);
    throw request.fail(new AccessDeniedError('insufficient_role', message));
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
}

/**
 * The instance AuthModule registers as a global guard: it decides when a user is already
 * known and otherwise leaves the decision to the RolesGuard that `@Roles()` put on the route.
 */
@Injectable()
export class GlobalRolesGuard extends RolesGuard {
  protected override readonly defersToRoute = true;
}

/** The roles a token holds, for a message: quoted, escaped and cut (they come from the token). */
function describeRoles(held: string[]): string {
  if (held.length === 0) return 'none';
  const shown = held.slice(0, 5).map((role) => quoteUntrusted(role, 32));
  return held.length > 5 ? `${shown.join(', ')} and ${held.length - 5} more` : shown.join(', ');
}
