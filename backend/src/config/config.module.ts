import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_CONFIG } from './config.constants';
import type { AppConfig } from './env.schema';

/** Makes the validated configuration injectable everywhere as {@link APP_CONFIG}. */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppConfigModule,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
