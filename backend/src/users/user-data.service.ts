import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TaskStore } from '../tasks/task-store';

/** What deleting a user's data removed. */
export interface DeletedUserData {
  tasks: number;
}

/**
 * Everything the API keeps about one user, deleted in ONE transaction: either all of it goes
 * or none of it does. A table added later adds its delete here, in the same transaction.
 */
@Injectable()
export class UserDataService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tasks: TaskStore,
  ) {}

  /** `userId` is the verified token's `sub`, never a value from the request. */
  deleteAll(userId: string): Promise<DeletedUserData> {
    return this.dataSource.transaction(async (manager) => ({
      tasks: await this.tasks.forOwner(userId).removeAll(manager),
    }));
  }
}
