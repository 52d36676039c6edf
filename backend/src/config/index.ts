export type { AppConfig, DatabaseConfig } from './env.schema';
export {
  InvalidEnvironmentError,
  exitOnInvalidEnvironment,
  loadConfig,
  loadDatabaseConfig,
} from './load-config';
export { findRepoRoot, loadRootEnv } from './root-env';
export { APP_CONFIG } from './config.constants';
export { AppConfigModule } from './config.module';
