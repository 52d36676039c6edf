import type { AuthModuleOptions } from '@authbridge/nest-auth';
import type { AppConfig } from './env.schema';

/**
 * The options the API gives `AuthModule`: what it trusts (issuer, audience, JWKS URL, the one
 * algorithm). One function, so the auth doctor (tools/doctor) verifies a token exactly as
 * the API does.
 *
 * @example
 * AuthModule.forRootAsync({ inject: [APP_CONFIG], useFactory: (c: AppConfig) => authModuleOptions(c.auth) });
 */
export function authModuleOptions(auth: AppConfig['auth']): AuthModuleOptions {
  return {
    issuer: auth.issuer,
    audience: auth.audience,
    jwksUrl: auth.jwksUrl,
    algorithms: auth.algorithms,
    jwks: auth.jwks,
    globalGuard: true,
  };
}
