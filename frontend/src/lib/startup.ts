import 'server-only';
import { getAuth } from './auth';
import { prepareAuthDatabase } from './auth-schema';
import { getPool } from './db';
import { serverEnv } from './env';

export async function prepareOnStartup(): Promise<void> {
  const env = serverEnv();
  const started = Date.now();
  try {
    const { changed } = await prepareAuthDatabase(getAuth(), getPool(env.databaseUrl));
    if (changed.length) {
      console.log(`[auth] schema migrated (${changed.join(', ')}) in ${Date.now() - started} ms`);
    }
  } catch (error) {
    console.error(`[auth] could not prepare the database: ${(error as Error).message}`);
    throw error;
  }
}
