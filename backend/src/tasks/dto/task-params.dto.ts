import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, IsUUID } from 'class-validator';

/** `/users/:userId/tasks`. The ownership guard has already matched userId to the token. */
export class UserParams {
  @ApiProperty({ description: "The caller's user id (the token's `sub`)." })
  @IsString()
  @IsNotEmpty()
  userId!: string;
}

/** `/users/:userId/tasks/:taskId`. */
export class TaskParams extends UserParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'taskId must be a UUID' })
  taskId!: string;
}
