import { CurrentUser, type AuthUser } from '@authbridge/nest-auth';
import { Controller, Get } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';

class MeResponse {
  @ApiProperty({ description: 'The token subject (`sub`): the Better Auth user id.' })
  id!: string;

  @ApiProperty({ type: String, nullable: true })
  email!: string | null;

  @ApiProperty({ type: String, nullable: true })
  name!: string | null;
}

@ApiTags('me')
@ApiBearerAuth('bearer')
@Controller('me')
export class MeController {
  @Get()
  @ApiOperation({ summary: 'The verified identity of the caller' })
  @ApiOkResponse({ type: MeResponse })
  @ApiUnauthorizedResponse({ description: 'No token, or an invalid or expired one.' })
  me(@CurrentUser() user: AuthUser): MeResponse {
    return { id: user.id, email: user.email ?? null, name: user.name ?? null };
  }
}
