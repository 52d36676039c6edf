import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { migrateDatabase } from '../src/database/run-migrations';
import { createScratchDatabase } from './support/database';

describe('migrations', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;

  beforeAll(async () => {
    scratch = await createScratchDatabase('migrations');
  });
  afterAll(async () => {
    await scratch?.drop();
  });

  it('apply once when several processes run them at the same time, then are a no-op', async () => {
    const runs = await Promise.all(
      Array.from({ length: 4 }, () => migrateDatabase({ databaseUrl: scratch.url })),
    );
    expect(runs.flat()).toEqual(['CreateTasks1763800000000']);
    expect(await migrateDatabase({ databaseUrl: scratch.url })).toEqual([]);

    const client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
    try {
      const { rows } = await client.query(
        `SELECT indexdef FROM pg_indexes WHERE tablename = 'tasks' AND indexname = 'IDX_tasks_user_created'`,
      );
      expect(rows[0].indexdef).toContain('(user_id, created_at, id)');
      const { rows: ext } = await client.query(
        `SELECT 1 FROM pg_extension WHERE extname = 'pgcrypto'`,
      );
      expect(ext).toHaveLength(1);
    } finally {
      await client.end();
    }
  });

  it('leave a schema that matches the entities (nothing left for TypeORM to generate)', async () => {
    const dataSource = new DataSource(dataSourceOptions({ databaseUrl: scratch.url }));
    await dataSource.initialize();
    try {
      const sql = await dataSource.driver.createSchemaBuilder().log();
      expect(sql.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });
});
