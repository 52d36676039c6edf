import { Injectable, NotFoundException } from '@nestjs/common';
import type { CreateTaskDto } from './dto/create-task.dto';
import type { ListTasksQuery } from './dto/list-tasks.query';
import { TaskPageResponse, TaskResponse } from './dto/task.response';
import type { UpdateTaskDto } from './dto/update-task.dto';
import { decodeTaskCursor, encodeTaskCursor } from './task-cursor';
import { TaskStore, type TaskChanges } from './task-store';

/**
 * Task use cases for one verified user. `ownerId` is always the token's `sub`, never a
 * value from the request; a task of someone else is a 404, like a missing one.
 */
@Injectable()
export class TasksService {
  constructor(private readonly store: TaskStore) {}

  async list(ownerId: string, query: ListTasksQuery): Promise<TaskPageResponse> {
    const { tasks, more } = await this.store.forOwner(ownerId).page({
      limit: query.limit,
      after: query.cursor ? decodeTaskCursor(query.cursor) : undefined,
      completed: query.completed,
    });
    const last = tasks.at(-1);
    return {
      items: tasks.map(TaskResponse.from),
      nextCursor: more && last ? encodeTaskCursor(last) : null,
    };
  }

  async get(ownerId: string, taskId: string): Promise<TaskResponse> {
    return TaskResponse.from(orNotFound(await this.store.forOwner(ownerId).findOne(taskId)));
  }

  async create(ownerId: string, input: CreateTaskDto): Promise<TaskResponse> {
    const task = await this.store.forOwner(ownerId).create({
      title: input.title,
      description: input.description ?? null,
    });
    return TaskResponse.from(task);
  }

  async update(ownerId: string, taskId: string, input: UpdateTaskDto): Promise<TaskResponse> {
    const changes: TaskChanges = {};
    if (input.title !== undefined) changes.title = input.title;
    if (input.description !== undefined) changes.description = input.description;
    if (input.completed !== undefined) changes.completed = input.completed;
    return TaskResponse.from(
      orNotFound(await this.store.forOwner(ownerId).update(taskId, changes)),
    );
  }

  async remove(ownerId: string, taskId: string): Promise<void> {
    if (!(await this.store.forOwner(ownerId).remove(taskId))) throw taskNotFound();
  }
}

function taskNotFound(): NotFoundException {
  return new NotFoundException('Task not found');
}

function orNotFound<T>(value: T | null): T {
  if (value === null) throw taskNotFound();
  return value;
}
