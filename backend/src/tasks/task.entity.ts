import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export const TASK_TITLE_MAX = 200;
export const TASK_DESCRIPTION_MAX = 2000;

/**
 * A to-do item owned by one user (`userId` = the token's `sub`). Timestamps are stored
 * with millisecond precision so a JavaScript Date round-trips exactly, which the keyset
 * cursor on (createdAt, id) relies on.
 */
@Entity({ name: 'tasks' })
@Index('IDX_tasks_user_created', ['userId', 'createdAt', 'id'])
@Check('CHK_tasks_title_length', `char_length("title") BETWEEN 1 AND ${TASK_TITLE_MAX}`)
export class Task {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'user_id', type: 'text' })
  userId!: string;

  @Column({ type: 'varchar', length: TASK_TITLE_MAX })
  title!: string;

  @Column({ type: 'varchar', length: TASK_DESCRIPTION_MAX, nullable: true })
  description!: string | null;

  @Column({ type: 'boolean', default: false })
  completed!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt!: Date;
}
