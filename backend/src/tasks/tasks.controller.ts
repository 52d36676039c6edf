import { CurrentUser, OwnerParam } from '@authbridge/nest-auth';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { CreateTaskDto } from './dto/create-task.dto';
import { ListTasksQuery } from './dto/list-tasks.query';
import { TaskParams, UserParams } from './dto/task-params.dto';
import { TaskPageResponse, TaskResponse } from './dto/task.response';
import { UpdateTaskDto } from './dto/update-task.dto';
import { TasksService } from './tasks.service';

/**
 * `/users/:userId/tasks`: `:userId` must be the token's `sub` (403 otherwise, checked by
 * the ownership guard before anything else runs). The handlers then scope every query
 * to the verified user, never to the route parameter.
 */
@ApiTags('tasks')
@ApiBearerAuth('bearer')
@ApiUnauthorizedResponse({ description: 'No token, or an invalid or expired one.' })
@ApiForbiddenResponse({ description: ':userId is not the caller.' })
@ApiBadRequestResponse({ description: 'Invalid input; `errors` names each field and rule.' })
@OwnerParam('userId')
@Controller('users/:userId/tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get()
  @ApiOperation({
    summary: "The caller's tasks, newest first",
    description:
      'Keyset (cursor) pagination, not offset: follow `nextCursor` until it is null. ' +
      'Tasks created while paging do not shift later pages.',
  })
  @ApiOkResponse({ type: TaskPageResponse })
  list(
    @CurrentUser('id') ownerId: string,
    @Param() _params: UserParams,
    @Query() query: ListTasksQuery,
  ): Promise<TaskPageResponse> {
    return this.tasks.list(ownerId, query);
  }

  @Post()
  @ApiOperation({ summary: 'Create a task' })
  @ApiCreatedResponse({ type: TaskResponse })
  create(
    @CurrentUser('id') ownerId: string,
    @Param() _params: UserParams,
    @Body() body: CreateTaskDto,
  ): Promise<TaskResponse> {
    return this.tasks.create(ownerId, body);
  }

  @Get(':taskId')
  @ApiOperation({ summary: 'One task' })
  @ApiOkResponse({ type: TaskResponse })
  @ApiNotFoundResponse({ description: 'No such task for this user.' })
  get(@CurrentUser('id') ownerId: string, @Param() params: TaskParams): Promise<TaskResponse> {
    return this.tasks.get(ownerId, params.taskId);
  }

  @Patch(':taskId')
  @ApiOperation({ summary: 'Change the title, description or completed flag' })
  @ApiOkResponse({ type: TaskResponse })
  @ApiNotFoundResponse({ description: 'No such task for this user.' })
  update(
    @CurrentUser('id') ownerId: string,
    @Param() params: TaskParams,
    @Body() body: UpdateTaskDto,
  ): Promise<TaskResponse> {
    return this.tasks.update(ownerId, params.taskId, body);
  }

  @Delete(':taskId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a task' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: 'No such task for this user.' })
  remove(@CurrentUser('id') ownerId: string, @Param() params: TaskParams): Promise<void> {
    return this.tasks.remove(ownerId, params.taskId);
  }
}
