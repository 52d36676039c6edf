// Copied into the app after `npx @authbridge/nest-auth setup` ran: the rest of what a user relies
// on, through the packed package, in the app's full AppModule with the test issuer swapped in.
import { Controller, Get, Param, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { CurrentUser, OwnerParam, Roles, type AuthUser } from '@authbridge/nest-auth';
import { TestIssuer, type ServedJwks } from '@authbridge/nest-auth/testing';
import request from 'supertest';
import { AppModule } from '../src/app.module';

@Controller()
class FeaturesController {
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

async function start(issuer: TestIssuer, overrides = {}) {
  const moduleRef = await issuer
    .overrideAuth(
      Test.createTestingModule({ imports: [AppModule], controllers: [FeaturesController] }),
      overrides,
    )
    .compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('@authbridge/nest-auth from its tarball (CommonJS, TypeScript 5)', () => {
  let issuer: TestIssuer;
  let app: INestApplication;

  beforeAll(async () => {
    issuer = await TestIssuer.create();
    app = await start(issuer);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('public 200, protected 401 then 200 with the user', async () => {
    await request(app.getHttpServer()).get('/health').expect(200);
    await request(app.getHttpServer()).get('/me').expect(401);
    const token = await issuer.sign({ sub: 'ada', email: 'ada@example.com' });
    const res = await request(app.getHttpServer()).get('/me').set(bearer(token)).expect(200);
    expect(res.body).toEqual({ id: 'ada', email: 'ada@example.com' });
  });

  it('@Roles: 403 without the role, 200 with it', async () => {
    const user = await issuer.sign({ sub: 'u1', role: 'user' });
    const admin = await issuer.sign({ sub: 'u2', role: 'admin' });
    const denied = await request(app.getHttpServer()).get('/admin/stats').set(bearer(user));
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('insufficient_role');
    await request(app.getHttpServer()).get('/admin/stats').set(bearer(admin)).expect(200);
  });

  it('@OwnerParam: 403 for another user, 200 for the owner', async () => {
    const token = await issuer.sign({ sub: 'u1' });
    const denied = await request(app.getHttpServer()).get('/users/u2/notes').set(bearer(token));
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('not_owner');
    await request(app.getHttpServer()).get('/users/u1/notes').set(bearer(token)).expect(200);
  });

  it('refuses a token of another issuer and an expired one', async () => {
    const stranger = await TestIssuer.create();
    const foreign = await stranger.sign({ sub: 'u1' });
    const expired = await issuer.sign({ sub: 'u1' }, { expiresIn: -60 });
    await request(app.getHttpServer()).get('/me').set(bearer(foreign)).expect(401);
    const res = await request(app.getHttpServer()).get('/me').set(bearer(expired)).expect(401);
    expect(res.body.code).toBe('token_expired');
  });
});

describe('key rotation over a served JWKS', () => {
  let issuer: TestIssuer;
  let served: ServedJwks;
  let app: INestApplication;

  beforeAll(async () => {
    issuer = await TestIssuer.create();
    served = await issuer.serve();
    app = await start(issuer, { keys: undefined, jwksUrl: served.jwksUrl });
  });
  afterAll(async () => {
    await app?.close();
    await served?.close();
  });

  // A kid never seen before may refetch the JWKS even inside the cooldown (bounded), so a key
  // rotated in right after the first fetch is accepted at once; the old key stays valid.
  it('a token signed with the new key verifies right after the rotation', async () => {
    const before = await issuer.sign({ sub: 'u1' });
    await request(app.getHttpServer()).get('/me').set(bearer(before)).expect(200);
    await issuer.rotate();
    const after = await issuer.sign({ sub: 'u1' });
    await request(app.getHttpServer()).get('/me').set(bearer(after)).expect(200);
    await request(app.getHttpServer()).get('/me').set(bearer(before)).expect(200);
    expect(served.requests).toBe(2);
  });
});
