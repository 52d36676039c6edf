/**
 * `npm run migrate -w frontend`: Better Auth's schema, then the first JWT signing key.
 * Safe to run from several processes at once (advisory lock) and again (idempotent).
 * Runs under `--conditions=react-server` so `server-only` modules load outside Next.
 */
import { getAuth } from '../src/lib/auth';
import { prepareAuthDatabase } from '../src/lib/auth-schema';
import { getPool } from '../src/lib/db';
import { InvalidEnvironmentError, serverEnv } from '../src/lib/env';
import { loadRootEnv } from '@authbridge/config/root-env';

async function main() {
  loadRootEnv(process.env, __dirname);
  const env = serverEnv();
  const pool = getPool(env.databaseUrl);
  try {
    const { changed, keyIds } = await prepareAuthDatabase(getAuth(), pool);
    console.log(
      changed.length
        ? `Better Auth schema migrated (${changed.join(', ')}); JWT signing keys: ${keyIds.join(', ')}`
        : `Better Auth schema up to date; JWT signing keys: ${keyIds.join(', ')}`,
    );
  } finally {
    await pool.end();
  }
}

main().catch((error: Error) => {
  console.error(
    error instanceof InvalidEnvironmentError ? error.message : `Migration failed: ${error.message}`,
  );
  process.exit(1);
});
