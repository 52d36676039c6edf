import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { TestIssuer } from '../src/testing';
import { startApp, type Platform } from './support/apps';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe.each<Platform>(['express', 'fastify'])('HTTP (%s)', (platform) => {
  let issuer: TestIssuer;
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    issuer = await TestIssuer.create();
    ({ app, url } = await startApp(issuer.moduleOptions(), platform));
  });
  afterAll(() => app.close());

  it('lets a valid token through and puts the user on the request', async () => {
    const token = await issuer.sign({ sub: 'user-1', email: 'ada@example.com', name: 'Ada' });
    const res = await request(url).get('/me').set(bearer(token)).expect(200);
    expect(res.body).toMatchObject({ id: 'user-1', email: 'ada@example.com', name: 'Ada' });
    expect(res.body.claims).toMatchObject({ sub: 'user-1', iss: issuer.issuer });
  });

  it('answers 401 with a bare Bearer challenge when no token is sent', async () => {
    const res = await request(url).get('/me').expect(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.body).toMatchObject({ statusCode: 401, code: 'missing_token' });
    expect(res.body.message).toMatch(/Authorization: Bearer/);
  });

  it('serves @Public() routes without reading anything', async () => {
    await request(url).get('/health').set('Authorization', 'Bearer garbage').expect(200);
  });
});
