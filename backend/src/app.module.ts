import {
  AuthModule,
  PostgresRevocationSource,
  RedisRevocationSource,
  type RevocationSource,
} from '@authbridge/nest-auth';
import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfigModule, type AppConfig, type RevocationConfig } from './config';
import { authModuleOptions } from './config/auth-options';
import { dataSourceOptions } from './database/data-source-options';
import { HealthModule } from './health/health.module';
import { MeModule } from './me/me.module';
import { TasksModule } from './tasks/tasks.module';
import { UsersModule } from './users/users.module';

/** The source that tells this instance of revoked sessions (docs/architecture.md#revocation). */
function revocationSource(config: RevocationConfig): RevocationSource | undefined {
  if (!config.enabled) return undefined;
  if (config.transport === 'redis') {
    return new RedisRevocationSource({ url: config.redisUrl, onOutage: config.onOutage });
  }
  return new PostgresRevocationSource({
    connectionString: config.databaseUrl,
    onOutage: config.onOutage,
  });
}

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
          useFactory: (appConfig: AppConfig) => ({
            ...authModuleOptions(appConfig),
            revocation: revocationSource(appConfig.revocation),
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
