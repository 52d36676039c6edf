import type { JWTPayload } from 'jose';

/**
 * The caller, as vouched for by a verified Better Auth token. Put on `request.user` by
 * {@link JwtAuthGuard} and read with `@CurrentUser()`.
 *
 * @example
 * @Get('me')
 * me(@CurrentUser() user: AuthUser) {
 *   return { id: user.id, email: user.email };
 * }
 */
export interface AuthUser {
  /** The token's `sub`: the Better Auth user id. */
  id: string;
  /** The `sid` claim: the Better Auth session the token was issued for, when present. */
  sessionId?: string;
  /** The `email` claim, when the token carries one. */
  email?: string;
  /** The `name` claim, when the token carries one. */
  name?: string;
  /** The role claim (`rolesClaim`, default `role`), when present. */
  role?: string | string[];
  /** Every claim of the verified token. */
  claims: JWTPayload;
}
