import 'server-only';
import { Pool } from 'pg';

const globalForPool = globalThis as unknown as { __authbridgePool?: Pool };

/**
 * One pool per process (kept on globalThis so `next dev` reloads do not leak pools).
 * Idle clients killed by a server restart emit 'error' on the pool: log, do not crash.
 */
export function getPool(connectionString: string): Pool {
  if (!globalForPool.__authbridgePool) {
    const pool = new Pool({ connectionString, max: 10 });
    pool.on('error', (error) => console.error(`[db] idle client error: ${error.message}`));
    globalForPool.__authbridgePool = pool;
  }
  return globalForPool.__authbridgePool;
}
