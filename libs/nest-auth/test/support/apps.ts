import {
  Controller,
  Get,
  Module,
  Param,
  type DynamicModule,
  type INestApplication,
  type LoggerService,
} from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import {
  AuthModule,
  CurrentUser,
  OptionalAuth,
  OwnerParam,
  Public,
  Roles,
  type AuthModuleOptions,
  type AuthUser,
} from '../../src';

@Controller()
export class ProbeController {
  @Public()
  @Get('health')
  health() {
    return { status: 'ok' };
  }

  @Get('me')
  me(@CurrentUser() user: AuthUser) {
    return user;
  }

  @Get('me/email')
  email(@CurrentUser('email') email?: string) {
    return { email: email ?? null };
  }

  @OptionalAuth()
  @Get('feed')
  feed(@CurrentUser() user?: AuthUser) {
    return { user: user?.id ?? null };
  }

  @Roles('admin')
  @Get('admin')
  admin(@CurrentUser('id') id: string) {
    return { id };
  }

  @OwnerParam()
  @Get('users/:userId/profile')
  profile(@Param('userId') userId: string) {
    return { userId };
  }

  @OwnerParam('ownerId')
  @Get('owners/:ownerId')
  owner(@Param('ownerId') ownerId: string) {
    return { ownerId };
  }
}

@OwnerParam()
@Controller('accounts/:userId')
export class OwnedController {
  @Get()
  get(@Param('userId') userId: string) {
    return { userId };
  }

  @Roles('admin')
  @Get('audit')
  audit(@Param('userId') userId: string) {
    return { userId, audit: true };
  }
}

export type Platform = 'express' | 'fastify';

/** Boots an app with AuthModule and the probe controllers on a free port. */
export async function startApp(
  auth: AuthModuleOptions | DynamicModule,
  platform: Platform = 'express',
  extra: { controllers?: any[]; providers?: any[]; imports?: any[] } = {},
): Promise<{ app: INestApplication; url: string }> {
  const authModule = 'module' in auth ? auth : AuthModule.forRoot(auth);
  @Module({
    imports: [authModule, ...(extra.imports ?? [])],
    controllers: extra.controllers ?? [ProbeController, OwnedController],
    providers: extra.providers ?? [],
  })
  class AppModule {}
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app =
    platform === 'fastify'
      ? moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter())
      : moduleRef.createNestApplication(new ExpressAdapter());
  app.useLogger(false);
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, url };
}

/** Replaces the app's logger with one that keeps every line, to assert on what was logged. */
export function captureLogs(app: INestApplication) {
  const lines: Array<{ level: string; message: string }> = [];
  const capture =
    (level: string) =>
    (...args: unknown[]) =>
      lines.push({ level, message: args.map((a) => String(a)).join(' ') });
  const logger: LoggerService = {
    log: capture('log'),
    error: capture('error'),
    warn: capture('warn'),
    debug: capture('debug'),
    verbose: capture('verbose'),
  };
  app.useLogger(logger);
  return { lines };
}
