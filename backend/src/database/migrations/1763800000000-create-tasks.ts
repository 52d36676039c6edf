import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The tasks table, its list index (owner, newest first) and pgcrypto for gen_random_uuid(). */
export class CreateTasks1763800000000 implements MigrationInterface {
  name = 'CreateTasks1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS "tasks" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "user_id" text NOT NULL,
        "title" character varying(200) NOT NULL,
        "description" character varying(2000),
        "completed" boolean NOT NULL DEFAULT false,
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_tasks" PRIMARY KEY ("id"),
        CONSTRAINT "CHK_tasks_title_length" CHECK (char_length("title") BETWEEN 1 AND 200)
      )`);
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS "IDX_tasks_user_created" ON "tasks" ("user_id", "created_at", "id")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS "IDX_tasks_user_created"`);
    await queryRunner.query(`DROP TABLE IF EXISTS "tasks"`);
  }
}
