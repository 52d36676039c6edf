import { Module, type CanActivate, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { resolveAuthOptions, type ResolvedAuthOptions } from './auth-module-options';
import { AUTH_RESOLVED_OPTIONS, AUTH_REVOCATION_LIST } from './auth-internal.constants';
import { AUTH_KEY_STORE, AUTH_REVOCATION_SOURCE } from './auth.constants';
import { JwtAuthGuard } from './auth.guard';
import {
  ASYNC_OPTIONS_TYPE,
  AUTH_MODULE_OPTIONS,
  ConfigurableModuleClass,
  OPTIONS_TYPE,
} from './auth.module-definition';
import { createKeyStore } from './jwks-key-store';
import { OwnershipGuard } from './ownership.guard';
import { RevocationList } from './revocation-list';
import { RevocationLifecycle } from './revocation.lifecycle';
import { GlobalRolesGuard, RolesGuard } from './roles.guard';
import { TokenVerifier } from './token-verifier.service';

const letThrough: CanActivate = { canActivate: () => true };

/**
 * Trusts Better Auth's JWTs: verifies them with jose against Better Auth's JWKS (or offline
 * keys) and, by default, guards every route globally. Global module (`isGlobal: true`), so
 * `TokenVerifier`, the guards and `AUTH_KEY_STORE` resolve everywhere.
 *
 * Global guards, in this order: {@link JwtAuthGuard} (authentication; `globalGuard: false`
 * leaves it to the app, e.g. the Passport strategy), then {@link RolesGuard} (authorization
 * for `@Roles()`, whichever guard authenticated; always on). Each decides one thing.
 *
 * Options are checked when the module is configured: `none`, HMAC algorithms, a missing
 * issuer or malformed URLs stop the application with an {@link AuthConfigurationError}.
 *
 * @example
 * @Module({
 *   imports: [
 *     AuthModule.forRoot({ issuer: 'http://localhost:3000' }),
 *     // or, from configuration:
 *     // AuthModule.forRootAsync({
 *     //   inject: [ConfigService],
 *     //   useFactory: (config: ConfigService) => ({ issuer: config.getOrThrow('BETTER_AUTH_URL') }),
 *     // }),
 *   ],
 * })
 * export class AppModule {}
 */
@Module({
  providers: [
    {
      provide: AUTH_RESOLVED_OPTIONS,
      inject: [AUTH_MODULE_OPTIONS],
      useFactory: resolveAuthOptions,
    },
    {
      provide: AUTH_KEY_STORE,
      inject: [AUTH_RESOLVED_OPTIONS],
      useFactory: (options: ResolvedAuthOptions) => options.keyStore ?? createKeyStore(options),
    },
    {
      provide: AUTH_REVOCATION_SOURCE,
      inject: [AUTH_RESOLVED_OPTIONS],
      useFactory: (options: ResolvedAuthOptions) => options.revocation,
    },
    {
      provide: AUTH_REVOCATION_LIST,
      inject: [AUTH_RESOLVED_OPTIONS],
      useFactory: ({
        revocation,
        maxTokenLifetimeSeconds,
        clockToleranceSeconds,
      }: ResolvedAuthOptions) =>
        revocation
          ? new RevocationList((maxTokenLifetimeSeconds + clockToleranceSeconds) * 1000)
          : undefined,
    },
    RevocationLifecycle,
    TokenVerifier,
    JwtAuthGuard,
    RolesGuard,
    OwnershipGuard,
    {
      provide: APP_GUARD,
      inject: [AUTH_RESOLVED_OPTIONS, JwtAuthGuard],
      useFactory: (options: ResolvedAuthOptions, guard: JwtAuthGuard): CanActivate =>
        options.globalGuard ? guard : letThrough,
    },
    // After the JWT guard: global guards run in the order they are registered.
    { provide: APP_GUARD, useClass: GlobalRolesGuard },
  ],
  exports: [
    AUTH_RESOLVED_OPTIONS,
    AUTH_KEY_STORE,
    AUTH_REVOCATION_SOURCE,
    TokenVerifier,
    JwtAuthGuard,
    RolesGuard,
    OwnershipGuard,
  ],
})
export class AuthModule extends ConfigurableModuleClass {
  /**
   * Configures the module with static options (checked right away).
   *
   * @example
   * AuthModule.forRoot({ issuer: 'https://auth.example.com', algorithms: ['EdDSA', 'ES256'] });
   */
  static override forRoot(options: typeof OPTIONS_TYPE): DynamicModule {
    resolveAuthOptions(options);
    return super.forRoot(options);
  }

  /**
   * Configures the module from a factory (checked when the application starts).
   *
   * @example
   * AuthModule.forRootAsync({
   *   imports: [ConfigModule],
   *   inject: [ConfigService],
   *   useFactory: (config: ConfigService) => ({ issuer: config.getOrThrow('BETTER_AUTH_URL') }),
   * });
   */
  static override forRootAsync(options: typeof ASYNC_OPTIONS_TYPE): DynamicModule {
    return super.forRootAsync(options);
  }
}
