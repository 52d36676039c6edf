import { Module } from '@nestjs/common';
import { TasksModule } from '../tasks/tasks.module';
import { UserDataService } from './user-data.service';
import { UsersController } from './users.controller';

/** The user's data as a whole: deleting all of it when the account goes (DELETE /users/:userId). */
@Module({
  imports: [TasksModule],
  controllers: [UsersController],
  providers: [UserDataService],
})
export class UsersModule {}
