// node:test on the compiled ESM output: @authbridge/nest-auth (CommonJS) imported from native ESM.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TestIssuer, type ServedJwks } from '@authbridge/nest-auth/testing';
import request from 'supertest';
import { AppModule } from '../src/app.module.js';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

async function start(issuer: TestIssuer, overrides = {}): Promise<INestApplication> {
  const moduleRef = await issuer
    .overrideAuth(Test.createTestingModule({ imports: [AppModule] }), overrides)
    .compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

describe('@authbridge/nest-auth from its tarball (ESM, TypeScript 6)', () => {
  let issuer: TestIssuer;
  let app: INestApplication;

  before(async () => {
    issuer = await TestIssuer.create();
    app = await start(issuer);
  });
  after(async () => {
    await app?.close();
  });

  it('public 200, protected 401 then 200 with the user', async () => {
    await request(app.getHttpServer()).get('/health').expect(200);
    const missing = await request(app.getHttpServer()).get('/me').expect(401);
    assert.equal(missing.body.code, 'missing_token');
    const token = await issuer.sign({ sub: 'ada', email: 'ada@example.com' });
    const res = await request(app.getHttpServer()).get('/me').set(bearer(token)).expect(200);
    assert.deepEqual(res.body, { id: 'ada', email: 'ada@example.com' });
  });

  it('@Roles: 403 without the role, 200 with it', async () => {
    const user = await issuer.sign({ sub: 'u1', role: 'user' });
    const admin = await issuer.sign({ sub: 'u2', role: 'admin' });
    await request(app.getHttpServer()).get('/admin/stats').set(bearer(user)).expect(403);
    await request(app.getHttpServer()).get('/admin/stats').set(bearer(admin)).expect(200);
  });

  it('@OwnerParam: 403 for another user, 200 for the owner', async () => {
    const token = await issuer.sign({ sub: 'u1' });
    await request(app.getHttpServer()).get('/users/u2/notes').set(bearer(token)).expect(403);
    await request(app.getHttpServer()).get('/users/u1/notes').set(bearer(token)).expect(200);
  });
});

describe('key rotation over a served JWKS', () => {
  let issuer: TestIssuer;
  let served: ServedJwks;
  let app: INestApplication;

  before(async () => {
    issuer = await TestIssuer.create();
    served = await issuer.serve();
    app = await start(issuer, { keys: undefined, jwksUrl: served.jwksUrl });
  });
  after(async () => {
    await app?.close();
    await served?.close();
  });

  // A kid never seen before may refetch the JWKS even inside the cooldown (bounded), so a key
  // rotated in right after the first fetch is accepted at once; the old key stays valid.
  it('a token signed with the new key verifies right after the rotation', async () => {
    const before = await issuer.sign({ sub: 'u1' });
    await request(app.getHttpServer()).get('/me').set(bearer(before)).expect(200);
    await issuer.rotate();
    await request(app.getHttpServer())
      .get('/me')
      .set(bearer(await issuer.sign({ sub: 'u1' })))
      .expect(200);
    await request(app.getHttpServer()).get('/me').set(bearer(before)).expect(200);
    assert.equal(served.requests, 2);
  });
});
