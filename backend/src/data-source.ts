// For the TypeORM CLI, on the compiled file:
//   npx typeorm migration:generate -d dist/data-source.js src/database/migrations/<name>
//   npx typeorm migration:run -d dist/data-source.js
// Only DATABASE_URL is needed; it comes from the environment or the root .env.
import { DataSource } from 'typeorm';
import { exitOnInvalidEnvironment, loadDatabaseConfig, loadRootEnv } from './config';
import { dataSourceOptions } from './database/data-source-options';

loadRootEnv();

const dataSource = new DataSource(
  dataSourceOptions(exitOnInvalidEnvironment(() => loadDatabaseConfig())),
);
export default dataSource;
