import { CurrentUser, OwnerParam } from '@authbridge/nest-auth';
import { Controller, Delete, Param } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { UserParams } from '../tasks/dto/task-params.dto';
import { UserDataService } from './user-data.service';

class DeletedUserDataResponse {
  @ApiProperty({ description: 'How many tasks were deleted.', example: 3 })
  tasks!: number;
}

/**
 * `/users/:userId`: the user's own data as a whole. The web app calls DELETE when the user
 * deletes their account, before Better Auth deletes the user. `:userId` must be the token's
 * `sub` (403 otherwise); the handler deletes by the verified `sub`, never the parameter.
 */
@ApiTags('users')
@ApiBearerAuth('bearer')
@ApiUnauthorizedResponse({ description: 'No token, or an invalid or expired one.' })
@ApiForbiddenResponse({ description: ':userId is not the caller.' })
@OwnerParam('userId')
@Controller('users/:userId')
export class UsersController {
  constructor(private readonly userData: UserDataService) {}

  @Delete()
  @ApiOperation({
    summary: "Delete all of the caller's data",
    description:
      'Every task of the caller, in one transaction. Idempotent: a second call deletes nothing and says so.',
  })
  @ApiOkResponse({ type: DeletedUserDataResponse })
  deleteAll(
    @CurrentUser('id') userId: string,
    @Param() _params: UserParams,
  ): Promise<DeletedUserDataResponse> {
    return this.userData.deleteAll(userId);
  }
}
