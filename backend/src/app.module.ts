import { AuthModule } from '@authbridge/nest-auth';
import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfigModule, type AppConfig } from './config';
import { dataSourceOptions } from './database/data-source-options';
import { HealthModule } from './health/health.module';
import { MeModule } from './me/me.module';
import { TasksModule } from './tasks/tasks.module';
import { UsersModule } from './users/users.module';

/**
 * The API. Every route needs a verified Better Auth JWT (global guard) unless marked
 * `@Public()`. Built from an already validated configuration, so tests pass their own.
 */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        AuthModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: ({ auth }: AppConfig) => ({
            issuer: auth.issuer,
            audience: auth.audience,
            jwksUrl: auth.jwksUrl,
            jwks: auth.jwks,
            globalGuard: true,
          }),
        }),
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (appConfig: AppConfig) => ({
            ...dataSourceOptions(appConfig),
            retryAttempts: 3,
            retryDelay: 1_000,
          }),
        }),
        HealthModule,
        MeModule,
        TasksModule,
        UsersModule,
      ],
    };
  }
}
