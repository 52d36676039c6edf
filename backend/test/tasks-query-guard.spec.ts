import { unscopedTaskAccess } from './support/tasks-query-guard';

// The checker alone, on statements of the shapes TypeORM sends and on the ways around the
// owner filter it must catch. test/support/tasks-query-guard.setup.ts runs it on what the app
// really sends in every suite.
describe('the owner guard of the tasks table', () => {
  it.each([
    'SELECT "task"."id" FROM "tasks" "task" WHERE "task"."user_id" = $1 AND ("task"."created_at", "task"."id") < (CAST($2 AS timestamptz), CAST($3 AS uuid)) ORDER BY "task"."created_at" DESC LIMIT 21',
    'SELECT "Task"."id" AS "Task_id" FROM "tasks" "Task" WHERE (("Task"."id" = $1) AND ("Task"."user_id" = $2)) LIMIT 1',
    'UPDATE "tasks" SET "title" = $1, "updated_at" = CURRENT_TIMESTAMP WHERE "id" = $2 AND "user_id" = $3',
    'DELETE FROM "tasks" WHERE "id" = $1 AND "user_id" = $2',
    'INSERT INTO "tasks"("id", "user_id", "title", "description") VALUES (DEFAULT, $1, $2, $3), (DEFAULT, $4, $5, $6) RETURNING "id"',
    'SELECT t.title FROM tasks t WHERE $1 = t.user_id',
    'CREATE TABLE "tasks" ("id" uuid NOT NULL, "user_id" text NOT NULL)',
    'CREATE INDEX "IDX_tasks_user_created" ON "tasks" ("user_id", "created_at", "id")',
    `SELECT * FROM information_schema.columns WHERE table_name = 'tasks'`,
    'SELECT 1',
  ])('lets through %s', async (sql) => {
    expect(await unscopedTaskAccess(sql)).toEqual([]);
  });

  it.each([
    ['SELECT * FROM tasks', /SELECT on tasks without "user_id = \$n"/],
    ['SELECT * FROM "tasks" WHERE "id" = $1', /SELECT on tasks/],
    ['SELECT * FROM tasks WHERE id = $1 OR user_id = $2', /SELECT on tasks/],
    [`SELECT * FROM tasks WHERE user_id = 'someone'`, /SELECT on tasks/],
    ['SELECT * FROM tasks WHERE user_id <> $1', /SELECT on tasks/],
    ['SELECT count(*) FROM tasks t JOIN tasks u ON u.id = t.id WHERE t.user_id = $1', /SELECT/],
    ['SELECT * FROM other o, tasks t WHERE o.user_id = $1', /SELECT on tasks/],
    ['SELECT * FROM other WHERE id IN (SELECT id FROM tasks)', /SELECT on tasks/],
    ['WITH gone AS (DELETE FROM tasks RETURNING id) SELECT count(*) FROM gone', /DELETE/],
    ['UPDATE "tasks" SET "completed" = true WHERE "id" = $1', /UPDATE on tasks/],
    ['DELETE FROM "tasks"', /DELETE on tasks/],
    ['INSERT INTO tasks (title) VALUES ($1)', /does not set user_id/],
    [`INSERT INTO tasks (user_id, title) VALUES ('x', $1)`, /other than a parameter/],
    ['INSERT INTO tasks (user_id, title) SELECT user_id, title FROM tasks', /from a query/],
    [
      'INSERT INTO tasks (id, user_id, title) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET title = $3',
      /ON CONFLICT DO UPDATE/,
    ],
    ['TRUNCATE tasks', /TRUNCATE on tasks/],
    ['SELECT * FROM tasks WHERE', /not parsable/],
  ])('refuses %s', async (sql, problem) => {
    const problems = await unscopedTaskAccess(sql);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toMatch(problem);
  });
});
