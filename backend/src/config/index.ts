// The backend's configuration: its one env schema (env.schema.ts), loading and validation
// (load-config.ts, root-env.ts) and the Nest module that makes it injectable. What both apps
// share (the root .env loader, the zod fields, the redaction rule, Better Auth's derived
// endpoints) lives in @authbridge/config (libs/config).
export { exitOnInvalidEnvironment, InvalidEnvironmentError } from '@authbridge/config';
export type { AppConfig, DatabaseConfig, RevocationConfig } from './env.schema';
export { loadConfig, loadDatabaseConfig } from './load-config';
export { loadRootEnv } from './root-env';
export { APP_CONFIG } from './config.constants';
export { AppConfigModule } from './config.module';
