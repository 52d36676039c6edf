import type { AuthModuleOptions } from '@authbridge/nest-auth';
import type { AppConfig } from './env.schema';

/** What {@link authModuleOptions} reads of the API's configuration. */
export type AuthConfig = Pick<AppConfig, 'auth' | 'revocation' | 'tokenLifetimeSeconds'>;

/**
 * The options the API gives `AuthModule`: what it trusts (issuer, audience, JWKS URL, the one
 * algorithm) and what it requires of a token (a `sid` while revocation is on, a lifetime no
 * longer than the web app's). Everything but the revocation source itself, which is a live
 * connection. One function, so the auth doctor (tools/doctor) verifies a token exactly as
 * the API does.
 *
 * @example
 * AuthModule.forRootAsync({
 *   inject: [APP_CONFIG],
 *   useFactory: (c: AppConfig) => ({ ...authModuleOptions(c), revocation: source(c.revocation) }),
 * });
 */
export function authModuleOptions(config: AuthConfig): Omit<AuthModuleOptions, 'revocation'> {
  const { auth, revocation, tokenLifetimeSeconds } = config;
  return {
    issuer: auth.issuer,
    audience: auth.audience,
    jwksUrl: auth.jwksUrl,
    algorithms: auth.algorithms,
    jwks: auth.jwks,
    globalGuard: true,
    maxTokenLifetimeSeconds: tokenLifetimeSeconds,
    // A token without a session id could not be revoked by session: refuse it
    // (Better Auth's definePayload in the web app always sets sid).
    requiredClaims: revocation.enabled ? ['sid'] : [],
  };
}
