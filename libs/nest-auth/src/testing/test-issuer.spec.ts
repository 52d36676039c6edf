import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AuthModule, CurrentUser, Public, Roles, type AuthUser } from '..';
import { AUTH_MODULE_OPTIONS, TestIssuer } from '.';

@Controller()
class ProbeController {
  @Public()
  @Get('health')
  health() {
    return { status: 'ok' };
  }

  @Get('me')
  me(@CurrentUser('id') id: string) {
    return { id };
  }

  @Roles('admin')
  @Get('admin')
  admin(@CurrentUser() user: AuthUser) {
    return { id: user.id };
  }
}

/**
 * A full application module as users write it: AuthModule configured from the environment,
 * which a test does not have (the factory throws), pointing at a JWKS nobody serves.
 */
@Module({
  imports: [
    AuthModule.forRootAsync({
      useFactory: () => {
        const issuer = process.env.TEST_ISSUER_SPEC_AUTH_URL;
        if (!issuer) throw new Error('TEST_ISSUER_SPEC_AUTH_URL must be set');
        return { issuer, jwksUrl: 'http://127.0.0.1:9/api/auth/jwks' };
      },
    }),
  ],
  controllers: [ProbeController],
})
class AppModule {}

describe('TestIssuer.overrideAuth', () => {
  let issuer: TestIssuer;
  let app: INestApplication | undefined;

  beforeAll(async () => {
    issuer = await TestIssuer.create();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    delete process.env.TEST_ISSUER_SPEC_AUTH_URL;
  });

  async function start(build: (builder: ReturnType<typeof Test.createTestingModule>) => any) {
    const moduleRef = await build(Test.createTestingModule({ imports: [AppModule] })).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app!.init();
    return request(app!.getHttpServer());
  }

  it('is needed: without it the app reads its own configuration', async () => {
    await expect(start((builder) => builder)).rejects.toThrow('TEST_ISSUER_SPEC_AUTH_URL');
  });

  it("replaces the app's own forRootAsync options in one line, offline", async () => {
    const http = await start((builder) => issuer.overrideAuth(builder));
    await http.get('/health').expect(200);
    await http.get('/me').expect(401);
    const res = await http
      .get('/me')
      .set('Authorization', `Bearer ${await issuer.sign({ sub: 'user-1' })}`)
      .expect(200);
    expect(res.body).toEqual({ id: 'user-1' });
  });

  it("wins over the app's options even when its factory would work", async () => {
    process.env.TEST_ISSUER_SPEC_AUTH_URL = 'https://auth.example.com';
    const http = await start((builder) => issuer.overrideAuth(builder));
    await http
      .get('/me')
      .set('Authorization', `Bearer ${await issuer.sign({ sub: 'user-1' })}`)
      .expect(200);
  });

  it('still refuses tokens of another issuer', async () => {
    const stranger = await TestIssuer.create();
    const http = await start((builder) => issuer.overrideAuth(builder));
    const res = await http
      .get('/me')
      .set('Authorization', `Bearer ${await stranger.sign({ sub: 'user-1' })}`)
      .expect(401);
    expect(res.body.code).toBe('unknown_key');
  });

  it('takes the options the app sets besides trust, e.g. rolesClaim', async () => {
    const http = await start((builder) => issuer.overrideAuth(builder, { rolesClaim: 'roles' }));
    const admin = await issuer.sign({ sub: 'a', roles: ['admin'] });
    const notAdmin = await issuer.sign({ sub: 'b', role: 'admin' });
    await http.get('/admin').set('Authorization', `Bearer ${admin}`).expect(200);
    await http.get('/admin').set('Authorization', `Bearer ${notAdmin}`).expect(403);
  });

  it('exports the options token for overrides of other shapes', async () => {
    const http = await start((builder) =>
      builder
        .overrideProvider(AUTH_MODULE_OPTIONS)
        .useFactory({ factory: () => issuer.moduleOptions() }),
    );
    await http
      .get('/me')
      .set('Authorization', `Bearer ${await issuer.sign({ sub: 'user-2' })}`)
      .expect(200);
  });
});
