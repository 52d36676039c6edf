// Revocation through the module, with the testing kit's in-memory source: 401 with the
// reason and a fixed challenge, the verified-token cache honoured, several apps on one
// source, and off by default.
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { AUTH_REVOCATION_SOURCE, type RevocationSource } from '../src';
import { TestIssuer } from '../src/testing';
import { startApp } from './support/apps';
import { useVirtualClock } from './support/clock';

describe('revocation (in-memory source)', () => {
  let issuer: TestIssuer;
  const apps: INestApplication[] = [];
  beforeEach(async () => {
    issuer = await TestIssuer.create();
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  async function start(options = issuer.moduleOptions({ revocation: issuer.revocations })) {
    const started = await startApp(options);
    apps.push(started.app);
    return started;
  }

  it('refuses a signed-out session, cached or not, with session_revoked; other sessions pass', async () => {
    const { url } = await start();
    const token = await issuer.sign({ sub: 'u1' });
    const other = await issuer.sign({ sub: 'u1' });
    await request(url).get('/me').auth(token, { type: 'bearer' }).expect(200); // now cached
    issuer.revokeSession(token);
    const refused = await request(url).get('/me').auth(token, { type: 'bearer' }).expect(401);
    expect(refused.body).toMatchObject({ code: 'session_revoked', statusCode: 401 });
    expect(refused.headers['www-authenticate']).toBe(
      'Bearer error="invalid_token", error_description="The session of the token was revoked"',
    );
    await request(url).get('/me').auth(other, { type: 'bearer' }).expect(200);
  });

  it('refuses a revoked session on first sight too (not in the cache)', async () => {
    const { url } = await start();
    const token = await issuer.sign({ sub: 'u1' });
    issuer.revokeSession(token);
    const refused = await request(url).get('/me').auth(token, { type: 'bearer' }).expect(401);
    expect(refused.body.code).toBe('session_revoked');
  });

  it('refuses every earlier token of a revoked user, and accepts a later sign-in', async () => {
    const clock = useVirtualClock();
    try {
      const { url } = await start();
      const first = await issuer.sign({ sub: 'u1' });
      const second = await issuer.sign({ sub: 'u1' });
      const someoneElse = await issuer.sign({ sub: 'u2' });
      await request(url).get('/me').auth(first, { type: 'bearer' }).expect(200);
      issuer.revokeUser('u1');
      for (const token of [first, second]) {
        const refused = await request(url).get('/me').auth(token, { type: 'bearer' }).expect(401);
        expect(refused.body.code).toBe('user_revoked');
        expect(refused.headers['www-authenticate']).toContain(
          'error_description="The sessions of the token user were revoked"',
        );
      }
      await request(url).get('/me').auth(someoneElse, { type: 'bearer' }).expect(200);
      clock.advance(1_000); // iat has whole seconds: the next sign-in is a second later
      const later = await issuer.sign({ sub: 'u1' });
      await request(url).get('/me').auth(later, { type: 'bearer' }).expect(200);
    } finally {
      clock.restore();
    }
  });

  it('reaches every app started on the source, and apps started after the revocation', async () => {
    const a = await start();
    const b = await start();
    const token = await issuer.sign();
    await request(a.url).get('/me').auth(token, { type: 'bearer' }).expect(200);
    await request(b.url).get('/me').auth(token, { type: 'bearer' }).expect(200);
    issuer.revokeSession(token);
    await request(a.url).get('/me').auth(token, { type: 'bearer' }).expect(401);
    await request(b.url).get('/me').auth(token, { type: 'bearer' }).expect(401);
    const c = await start();
    await request(c.url).get('/me').auth(token, { type: 'bearer' }).expect(401);
  });

  it('refuses, with revocation on, a token meant to outlive what the API remembers', async () => {
    const { url } = await start();
    const token = await issuer.sign({}, { expiresIn: 3_600 });
    const refused = await request(url).get('/me').auth(token, { type: 'bearer' }).expect(401);
    expect(refused.body.code).toBe('invalid_claim');
    expect(refused.body.message).toContain('maxTokenLifetimeSeconds');
  });

  it('is off by default: a revoked session is accepted until exp, and no source is provided', async () => {
    const { app, url } = await start(issuer.moduleOptions());
    const token = await issuer.sign();
    issuer.revokeSession(token);
    await request(url).get('/me').auth(token, { type: 'bearer' }).expect(200);
    expect(app.get(AUTH_REVOCATION_SOURCE)).toBeUndefined();
  });

  it('awaits the source before serving, exposes its status, and stops it on close', async () => {
    let release: (() => void) | undefined;
    const events: string[] = [];
    const source: RevocationSource = {
      start: async () => {
        events.push('start');
        await new Promise<void>((resolve) => (release = resolve));
        events.push('loaded');
      },
      stop: async () => void events.push('stop'),
      status: () => ({ source: 'slow', channel: 'up', since: new Date(0).toISOString() }),
    };
    const starting = start(issuer.moduleOptions({ revocation: source }));
    while (!release) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(events).toEqual(['start']); // start() has not resolved: the app is not listening yet
    release();
    const { app } = await starting;
    expect(events).toEqual(['start', 'loaded']);
    expect(app.get<RevocationSource>(AUTH_REVOCATION_SOURCE).status().channel).toBe('up');
    await app.close();
    apps.splice(apps.indexOf(app), 1);
    expect(events).toEqual(['start', 'loaded', 'stop']);
  });
});
