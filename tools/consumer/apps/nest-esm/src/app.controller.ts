import { CurrentUser, OwnerParam, Public, Roles, type AuthUser } from '@authbridge/nest-auth';
import { Controller, Get, Param } from '@nestjs/common';

@Controller()
export class AppController {
  @Public()
  @Get('health')
  health() {
    return { status: 'ok' };
  }

  @Get('me')
  me(@CurrentUser() user: AuthUser) {
    return { id: user.id, email: user.email };
  }

  @Roles('admin')
  @Get('admin/stats')
  stats() {
    return { users: 1 };
  }

  @OwnerParam('userId')
  @Get('users/:userId/notes')
  notes(@Param('userId') userId: string) {
    return { userId, notes: [] };
  }
}
