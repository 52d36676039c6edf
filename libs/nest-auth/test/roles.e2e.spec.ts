// @Roles() is authorization, apart from authentication: it must hold whichever guard put the
// caller on the request, wherever that guard sits. Nest runs global guards first (in module
// scan order), then the controller's, then the method's; each set-up below puts the
// authenticating guard somewhere else. In every one, a caller without the role is a 403, no
// caller is a 401, and the role holder passes. Never a silent pass.
import {
  Controller,
  Get,
  Module,
  SetMetadata,
  UseGuards,
  type INestApplication,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard, PassportModule } from '@nestjs/passport';
import request from 'supertest';
import {
  AUTH_ROLES_KEY,
  CurrentUser,
  OptionalAuth,
  Public,
  Roles,
  type AuthModuleOptions,
} from '../src';
import { BetterAuthStrategy } from '../src/passport';
import { TestIssuer } from '../src/testing';
import { startApp } from './support/apps';

@Controller('method')
class MethodRolesController {
  @Roles('admin')
  @Get()
  get(@CurrentUser('id') id: string) {
    return { id };
  }
}

@Roles('admin')
@Controller('class')
class ClassRolesController {
  @Get()
  get(@CurrentUser('id') id: string) {
    return { id };
  }

  @Roles('support') // the method's roles replace the class's
  @Get('support')
  support(@CurrentUser('id') id: string) {
    return { id };
  }
}

// (c) The controller authenticates with Passport, in both decorator orders.
@UseGuards(AuthGuard('better-auth'))
@Controller('passport-method')
class PassportMethodRolesController {
  @Roles('admin')
  @Get()
  get(@CurrentUser('id') id: string) {
    return { id };
  }
}

@Roles('admin')
@UseGuards(AuthGuard('better-auth'))
@Controller('passport-class-above')
class PassportClassRolesAboveController {
  @Get()
  get(@CurrentUser('id') id: string) {
    return { id };
  }
}

@UseGuards(AuthGuard('better-auth'))
@Roles('admin')
@Controller('passport-class-below')
class PassportClassRolesBelowController {
  @Get()
  get(@CurrentUser('id') id: string) {
    return { id };
  }
}

const authenticatedControllers = [MethodRolesController, ClassRolesController];
const passportControllers = [
  PassportMethodRolesController,
  PassportClassRolesAboveController,
  PassportClassRolesBelowController,
];

/** A module of the app's own, imported after AuthModule: its global guard runs after ours. */
@Module({ providers: [{ provide: APP_GUARD, useClass: AuthGuard('better-auth') }] })
class LateSecurityModule {}

describe('@Roles() whichever guard authenticates', () => {
  let issuer: TestIssuer;
  let admin: string;
  let support: string;
  let user: string;

  beforeAll(async () => {
    issuer = await TestIssuer.create();
    admin = await issuer.sign({ sub: 'ada', role: 'admin' });
    support = await issuer.sign({ sub: 'sam', role: ['user', 'support'] });
    user = await issuer.sign({ sub: 'bob', role: 'user' });
  });

  /** The status of each route for: no token, a user, a support agent, an admin. */
  async function statuses(url: string, path: string) {
    const get = (token?: string) => {
      const req = request(url).get(path);
      return (token ? req.set('Authorization', `Bearer ${token}`) : req).then((r) => r.status);
    };
    return {
      anonymous: await get(),
      user: await get(user),
      support: await get(support),
      admin: await get(admin),
    };
  }
  const ADMIN_ONLY = { anonymous: 401, user: 403, support: 403, admin: 200 };
  const SUPPORT_ONLY = { anonymous: 401, user: 403, support: 200, admin: 403 };

  const setups: Array<
    [
      string,
      Partial<AuthModuleOptions>,
      { controllers: any[]; providers?: any[]; imports?: any[] },
      Array<[string, typeof ADMIN_ONLY]>,
    ]
  > = [
    [
      '(a) the default global JWT guard',
      {},
      { controllers: authenticatedControllers },
      [
        ['/method', ADMIN_ONLY],
        ['/class', ADMIN_ONLY],
        ['/class/support', SUPPORT_ONLY],
      ],
    ],
    [
      "(b) globalGuard: false, Passport's AuthGuard as APP_GUARD of the root module (runs first)",
      { globalGuard: false },
      {
        controllers: authenticatedControllers,
        imports: [PassportModule],
        providers: [BetterAuthStrategy, { provide: APP_GUARD, useClass: AuthGuard('better-auth') }],
      },
      [
        ['/method', ADMIN_ONLY],
        ['/class', ADMIN_ONLY],
        ['/class/support', SUPPORT_ONLY],
      ],
    ],
    [
      "(b') globalGuard: false, Passport's AuthGuard as APP_GUARD of a module scanned after AuthModule",
      { globalGuard: false },
      {
        controllers: authenticatedControllers,
        imports: [PassportModule, LateSecurityModule],
        providers: [BetterAuthStrategy],
      },
      [
        ['/method', ADMIN_ONLY],
        ['/class', ADMIN_ONLY],
        ['/class/support', SUPPORT_ONLY],
      ],
    ],
    [
      "(c) globalGuard: false, @UseGuards(AuthGuard('better-auth')) on the controller",
      { globalGuard: false },
      {
        controllers: passportControllers,
        imports: [PassportModule],
        providers: [BetterAuthStrategy],
      },
      [
        ['/passport-method', ADMIN_ONLY],
        ['/passport-class-above', ADMIN_ONLY],
        ['/passport-class-below', ADMIN_ONLY],
      ],
    ],
    [
      '(c) with the global JWT guard on as well',
      {},
      {
        controllers: passportControllers,
        imports: [PassportModule],
        providers: [BetterAuthStrategy],
      },
      [
        ['/passport-method', ADMIN_ONLY],
        ['/passport-class-above', ADMIN_ONLY],
        ['/passport-class-below', ADMIN_ONLY],
      ],
    ],
  ];

  describe.each(setups)('%s', (_name, options, extra, routes) => {
    let app: INestApplication;
    let url: string;
    beforeAll(async () => {
      ({ app, url } = await startApp(issuer.moduleOptions(options), 'express', extra));
    });
    afterAll(() => app.close());

    it.each(routes)('%s', async (path, expected) => {
      expect(await statuses(url, path)).toEqual(expected);
    });
  });

  describe('no caller is a 401, never a pass', () => {
    @Controller('edge')
    class EdgeController {
      @OptionalAuth()
      @Roles('admin')
      @Get('optional')
      optional() {
        return 'optional';
      }

      @Public()
      @Roles('admin')
      @Get('public')
      public() {
        return 'public';
      }

      // Roles set without @Roles(): no RolesGuard on the route, the global one decides.
      @SetMetadata(AUTH_ROLES_KEY, ['admin'])
      @Get('raw')
      raw() {
        return 'raw';
      }
    }

    class BaseController {
      @Get()
      list() {
        return 'inherited';
      }
    }
    @Roles('admin')
    @Controller('inherited')
    class InheritedController extends BaseController {}

    let app: INestApplication;
    let url: string;
    beforeAll(async () => {
      ({ app, url } = await startApp(issuer.moduleOptions(), 'express', {
        controllers: [EdgeController, InheritedController],
      }));
    });
    afterAll(() => app.close());

    it.each(['/edge/optional', '/edge/public', '/edge/raw', '/inherited'])('%s', async (path) => {
      // @Public() reads no token, so nobody is known there: @Roles() on it refuses everyone.
      const expected =
        path === '/edge/public'
          ? { ...ADMIN_ONLY, user: 401, support: 401, admin: 401 }
          : ADMIN_ONLY;
      expect(await statuses(url, path)).toEqual(expected);
      const res = await request(url).get(path);
      expect(res.body).toMatchObject({ statusCode: 401, code: 'missing_token' });
      expect(res.headers['www-authenticate']).toBe('Bearer');
    });
  });
});
