import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, type EntityManager } from 'typeorm';
import type { TaskCursor } from './task-cursor';
import { Task } from './task.entity';

export interface TaskPageQuery {
  limit: number;
  after?: TaskCursor;
  completed?: boolean;
}

export type NewTask = Pick<Task, 'title'> & Partial<Pick<Task, 'description'>>;
export type TaskChanges = Partial<Pick<Task, 'title' | 'description' | 'completed'>>;

/**
 * The only door to the tasks table. It hands out {@link OwnerTasks}, whose every query is
 * filtered by the owner given here, so an endpoint added later cannot forget the filter:
 * there is no unscoped method to call. Nothing else injects `Repository<Task>`.
 */
@Injectable()
export class TaskStore {
  constructor(@InjectRepository(Task) private readonly repository: Repository<Task>) {}

  forOwner(ownerId: string): OwnerTasks {
    if (typeof ownerId !== 'string' || ownerId.length === 0) {
      throw new Error('TaskStore.forOwner needs the verified user id');
    }
    return new OwnerTasks(this.repository, ownerId);
  }
}

/** One user's tasks. A task of anyone else is indistinguishable from a missing one. */
export class OwnerTasks {
  constructor(
    private readonly repository: Repository<Task>,
    readonly ownerId: string,
  ) {}

  /** Newest first; `limit + 1` rows are read so the caller knows whether a next page exists. */
  async page({
    limit,
    after,
    completed,
  }: TaskPageQuery): Promise<{ tasks: Task[]; more: boolean }> {
    const query = this.repository
      .createQueryBuilder('task')
      .where('task.userId = :ownerId', { ownerId: this.ownerId })
      .orderBy('task.createdAt', 'DESC')
      .addOrderBy('task.id', 'DESC')
      .limit(limit + 1);
    if (completed !== undefined) query.andWhere('task.completed = :completed', { completed });
    if (after) {
      query.andWhere(
        '(task.createdAt, task.id) < (CAST(:afterCreatedAt AS timestamptz), CAST(:afterId AS uuid))',
        { afterCreatedAt: after.createdAt.toISOString(), afterId: after.id },
      );
    }
    const rows = await query.getMany();
    return { tasks: rows.slice(0, limit), more: rows.length > limit };
  }

  findOne(id: string): Promise<Task | null> {
    return this.repository.findOneBy({ id, userId: this.ownerId });
  }

  create(task: NewTask): Promise<Task> {
    return this.repository.save(
      this.repository.create({
        title: task.title,
        description: task.description ?? null,
        userId: this.ownerId,
      }),
    );
  }

  /** Returns the updated task, or null when this owner has no such task. */
  async update(id: string, changes: TaskChanges): Promise<Task | null> {
    if (Object.keys(changes).length > 0) {
      const result = await this.repository.update({ id, userId: this.ownerId }, changes);
      if (!result.affected) return null;
    }
    return this.findOne(id);
  }

  /** Returns false when this owner has no such task. */
  async remove(id: string): Promise<boolean> {
    const result = await this.repository.delete({ id, userId: this.ownerId });
    return Boolean(result.affected);
  }

  /**
   * Deletes every task of this owner; with `manager`, inside that transaction (account
   * deletion removes all of a user's data at once). Returns how many were deleted.
   */
  async removeAll(manager?: EntityManager): Promise<number> {
    const repository = manager ? manager.getRepository(Task) : this.repository;
    const result = await repository.delete({ userId: this.ownerId });
    return result.affected ?? 0;
  }
}
