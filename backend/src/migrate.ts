// `npm run migrate -w backend`: applies pending migrations, then exits.
import { exitOnInvalidEnvironment, loadDatabaseConfig, loadRootEnv } from './config';
import { migrateDatabase } from './database/run-migrations';

async function main() {
  loadRootEnv();
  const config = exitOnInvalidEnvironment(() => loadDatabaseConfig());
  const applied = await migrateDatabase(config);
  console.log(
    applied.length
      ? `Applied ${applied.length} migration(s): ${applied.join(', ')}`
      : 'Database schema is up to date',
  );
}

main().catch((error: Error) => {
  console.error(`Migration failed: ${error.message}`);
  process.exit(1);
});
