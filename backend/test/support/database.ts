import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The run's database, set by tools/jest-postgres.cjs in globalSetup. */
export function testDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run through jest.config.cjs (globalSetup)');
  return url;
}

/** A further, empty database on the same server, for tests that need a pristine schema. */
export async function createScratchDatabase(label: string): Promise<{
  url: string;
  drop: () => Promise<void>;
}> {
  const base = new URL(testDatabaseUrl());
  const name = `${label}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: base.toString() });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
