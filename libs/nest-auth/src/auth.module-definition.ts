import { ConfigurableModuleBuilder } from '@nestjs/common';
import { AuthModuleOptions } from './auth-module-options';

/**
 * Extras of `forRoot`/`forRootAsync` that shape the module itself rather than verification.
 *
 * @example
 * AuthModule.forRoot({ issuer: 'http://localhost:3000', isGlobal: false });
 */
export interface AuthModuleExtras {
  /** Registers the module globally, so its guards resolve in every module. Default: true. */
  isGlobal?: boolean;
}

export const {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN: AUTH_MODULE_OPTIONS,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<AuthModuleOptions>({ moduleName: 'AuthBridge' })
  .setClassMethodName('forRoot')
  .setExtras<AuthModuleExtras>({ isGlobal: true }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal !== false,
  }))
  .build();
