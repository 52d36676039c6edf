import { createPublicKey } from 'node:crypto';
import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { errors } from 'jose';
import request from 'supertest';
import { AUTH_KEY_STORE, AuthModule, Public } from '../src';
import { TestIssuer } from '../src/testing';
import { ProbeController, startApp, type Platform } from './support/apps';
import { useVirtualClock } from './support/clock';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const now = () => Math.floor(Date.now() / 1000);

describe.each<Platform>(['express', 'fastify'])('HTTP (%s)', (platform) => {
  let issuer: TestIssuer;
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    issuer = await TestIssuer.create();
    ({ app, url } = await startApp(issuer.moduleOptions({ maxTokenBytes: 2048 }), platform));
  });
  afterAll(() => app.close());

  it('lets a valid token through and puts the typed user on the request', async () => {
    const token = await issuer.sign({
      sub: 'user-1',
      email: 'ada@example.com',
      name: 'Ada',
      role: 'user',
    });
    const res = await request(url).get('/me').set(bearer(token)).expect(200);
    expect(res.body).toMatchObject({
      id: 'user-1',
      email: 'ada@example.com',
      name: 'Ada',
      role: 'user',
    });
    expect(res.body.claims).toMatchObject({ sub: 'user-1', iss: issuer.issuer });
  });

  it('@CurrentUser(field) injects one field', async () => {
    const token = await issuer.sign({ email: 'bob@example.com' });
    const res = await request(url).get('/me/email').set(bearer(token)).expect(200);
    expect(res.body).toEqual({ email: 'bob@example.com' });
  });

  it('answers 401 with a bare Bearer challenge when no token is sent', async () => {
    const res = await request(url).get('/me').expect(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      code: 'missing_token',
      message: expect.stringMatching(/Authorization: Bearer <token>/),
    });
  });

  it('reads the scheme case-insensitively and tolerates surrounding spaces', async () => {
    const token = await issuer.sign({ sub: 'spaces' });
    for (const header of [`bearer ${token}`, `BEARER ${token}`, `  Bearer   ${token}  `]) {
      const res = await request(url).get('/me').set('Authorization', header).expect(200);
      expect(res.body.id).toBe('spaces');
    }
  });

  it('never reads a token from the query string or a cookie', async () => {
    const token = await issuer.sign();
    for (const req of [
      request(url).get(`/me?access_token=${token}`),
      request(url).get(`/me?token=${token}`),
      request(url).get('/me').set('Cookie', `access_token=${token}; token=${token}`),
    ]) {
      const res = await req.expect(401);
      expect(res.body.code).toBe('missing_token');
    }
  });

  describe('refuses with 401, an RFC 6750 challenge and a reason a developer can act on', () => {
    const cases: Array<[string, () => Promise<string>, string, RegExp]> = [
      ['a malformed header', async () => 'Token abc', 'malformed_header', /Bearer <token>/],
      [
        'two tokens in the header',
        async () => `Bearer ${await issuer.sign()} ${await issuer.sign()}`,
        'malformed_header',
        /one token/,
      ],
      [
        'a token that is not a JWT',
        async () => 'Bearer not-a-jwt',
        'malformed_token',
        /well-formed/,
      ],
      [
        'a bad signature',
        async () => {
          const [h, p] = (await issuer.sign({ sub: 'victim' })).split('.');
          const [, , s] = (await issuer.sign({ sub: 'attacker' })).split('.');
          return `Bearer ${h}.${p}.${s}`;
        },
        'invalid_signature',
        /signature is invalid/,
      ],
      [
        'a token signed by another key with the same kid',
        async () => {
          const forger = await TestIssuer.create({ kid: issuer.kid });
          return `Bearer ${await forger.sign()}`;
        },
        'invalid_signature',
        /signature/,
      ],
      [
        'the wrong issuer',
        async () => `Bearer ${await issuer.sign({ iss: 'https://evil.example' })}`,
        'wrong_issuer',
        /issuer "https:\/\/evil.example" is not the expected "http:\/\/localhost:3000"/,
      ],
      [
        'the wrong audience',
        async () => `Bearer ${await issuer.sign({ aud: 'https://other-api.example' })}`,
        'wrong_audience',
        /audience "https:\/\/other-api.example"/,
      ],
      [
        'an expired token (beyond tolerance)',
        async () => `Bearer ${await issuer.sign({}, { expiresIn: -60 })}`,
        'token_expired',
        /expired at .* \(clock tolerance 5 s\)/,
      ],
      [
        'nbf in the future',
        async () => `Bearer ${await issuer.sign({}, { notBefore: now() + 120 })}`,
        'token_not_yet_valid',
        /not valid before/,
      ],
      [
        'a missing sub',
        async () => `Bearer ${await issuer.sign({ sub: undefined })}`,
        'missing_claim',
        /no "sub" claim/,
      ],
      [
        'a missing exp',
        async () => `Bearer ${await issuer.sign({ exp: undefined })}`,
        'missing_claim',
        /no "exp" claim/,
      ],
      [
        'a missing iat',
        async () => `Bearer ${await issuer.sign({ iat: undefined })}`,
        'missing_claim',
        /no "iat" claim/,
      ],
      [
        'an algorithm not allowed (ES256 when only EdDSA is)',
        async () => `Bearer ${await issuer.sign({}, { alg: 'ES256' })}`,
        'algorithm_not_allowed',
        /"ES256", which is not among the accepted algorithms \(EdDSA\)/,
      ],
      [
        'alg none (unsigned: an empty signature segment)',
        async () => `Bearer ${await issuer.sign({}, { alg: 'none' })}`,
        'malformed_token',
        /well-formed/,
      ],
      [
        'HS256 keyed with the public key (algorithm confusion)',
        async () => `Bearer ${await issuer.sign({}, { alg: 'HS256' })}`,
        'algorithm_not_allowed',
        /"HS256"/,
      ],
      [
        'an unknown kid',
        async () => `Bearer ${await issuer.sign({}, { kid: 'who-is-this' })}`,
        'unknown_key',
        /kid "who-is-this"/,
      ],
      [
        'a token larger than maxTokenBytes',
        async () => `Bearer ${await issuer.sign({ padding: 'x'.repeat(3000) })}`,
        'token_too_large',
        /larger than 2048 bytes/,
      ],
    ];

    it.each(cases)('%s', async (_name, header, code, message) => {
      const res = await request(url)
        .get('/me')
        .set('Authorization', await header())
        .expect(401);
      expect(res.body).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        code,
        message: expect.stringMatching(message),
      });
      expect(JSON.stringify(res.body)).not.toMatch(/at .*\.(ts|js):\d+/); // no stack trace
      expect(res.headers['www-authenticate']).toMatch(
        /^Bearer error="invalid_token", error_description="[^"]+"$/,
      );
    });
  });

  it('accepts a token expired within the clock tolerance, and not beyond', async () => {
    // On a stopped clock: a slow machine cannot push the token past the tolerance.
    const clock = useVirtualClock();
    try {
      const token = await issuer.sign({}, { expiresIn: -4 });
      await request(url).get('/me').set(bearer(token)).expect(200);
      const older = await issuer.sign({}, { expiresIn: -5 });
      await request(url).get('/me').set(bearer(older)).expect(401);
    } finally {
      clock.restore();
    }
  });

  it('answers 503 with Retry-After when the JWKS is down and the key is not cached', async () => {
    const served = await issuer.serve();
    served.mode = 'down';
    const down = await startApp({ issuer: issuer.issuer, jwksUrl: served.jwksUrl }, platform);
    try {
      const res = await request(down.url)
        .get('/me')
        .set(bearer(await issuer.sign()))
        .expect(503);
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
      expect(res.body).toMatchObject({ statusCode: 503, code: 'jwks_unavailable' });
      await request(down.url).get('/health').expect(200);
    } finally {
      await down.app.close();
      await served.close();
    }
  });

  it('serves @Public() routes without reading the header at all', async () => {
    await request(url).get('/health').set('Authorization', 'Bearer garbage').expect(200);
  });

  describe('@OptionalAuth()', () => {
    it('is anonymous without a token', async () => {
      expect((await request(url).get('/feed').expect(200)).body).toEqual({ user: null });
    });

    it('verifies a token when present', async () => {
      const token = await issuer.sign({ sub: 'reader' });
      const res = await request(url).get('/feed').set(bearer(token)).expect(200);
      expect(res.body).toEqual({ user: 'reader' });
    });

    it('still refuses a present but invalid token', async () => {
      const token = await issuer.sign({}, { expiresIn: -600 });
      const res = await request(url).get('/feed').set(bearer(token)).expect(401);
      expect(res.body.code).toBe('token_expired');
    });
  });

  describe('@Roles()', () => {
    it('lets a holder of the role through (string, comma list or array claim)', async () => {
      for (const role of ['admin', 'user,admin', ['user', 'admin']]) {
        const token = await issuer.sign({ sub: 'boss', role });
        await request(url).get('/admin').set(bearer(token)).expect(200);
      }
    });

    it('answers 403 with insufficient_scope when the role is missing', async () => {
      for (const claims of [{ role: 'user' }, {}, { role: 42 }]) {
        const token = await issuer.sign(claims);
        const res = await request(url).get('/admin').set(bearer(token)).expect(403);
        expect(res.body).toMatchObject({ statusCode: 403, code: 'insufficient_role' });
        expect(res.body.message).toMatch(/needs the role "admin" in the "role" claim/);
        expect(res.headers['www-authenticate']).toMatch(/^Bearer error="insufficient_scope"/);
      }
    });

    it('answers 401 (not 403) without a token', async () => {
      await request(url).get('/admin').expect(401);
    });
  });

  describe('ownership', () => {
    it('lets the owner through (method-level @OwnerParam())', async () => {
      const token = await issuer.sign({ sub: 'alice' });
      await request(url).get('/users/alice/profile').set(bearer(token)).expect(200);
    });

    it('answers 403 for another user', async () => {
      const token = await issuer.sign({ sub: 'mallory' });
      const res = await request(url).get('/users/alice/profile').set(bearer(token)).expect(403);
      expect(res.body).toMatchObject({ statusCode: 403, code: 'not_owner' });
      expect(res.body.message).toMatch(/":userId" in the path must be your own user id/);
    });

    it('uses the named parameter', async () => {
      const token = await issuer.sign({ sub: 'olga' });
      await request(url).get('/owners/olga').set(bearer(token)).expect(200);
      await request(url).get('/owners/ivan').set(bearer(token)).expect(403);
    });

    it('works on a whole controller, together with @Roles()', async () => {
      const user = await issuer.sign({ sub: 'carol' });
      await request(url).get('/accounts/carol').set(bearer(user)).expect(200);
      await request(url).get('/accounts/dave').set(bearer(user)).expect(403);
      await request(url).get('/accounts/carol/audit').set(bearer(user)).expect(403);
      const admin = await issuer.sign({ sub: 'carol', role: 'admin' });
      await request(url).get('/accounts/carol/audit').set(bearer(admin)).expect(200);
      await request(url).get('/accounts/dave/audit').set(bearer(admin)).expect(403);
    });

    it('answers 401 before ownership without a token', async () => {
      await request(url).get('/accounts/carol').expect(401);
    });
  });
});

describe('HTTP: module configuration', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await TestIssuer.create({ alg: 'ES256' });
  });

  it('globalGuard: false leaves routes open until the guard is placed by hand', async () => {
    const { app, url } = await startApp(issuer.moduleOptions({ globalGuard: false }));
    try {
      await request(url).get('/me').expect(200);
      await request(url).get('/users/alice/profile').expect(401); // OwnerParam still needs a user
    } finally {
      await app.close();
    }
  });

  it('forRootAsync takes the options from a factory', async () => {
    const { app, url } = await startApp(
      AuthModule.forRootAsync({ useFactory: async () => issuer.moduleOptions() }),
    );
    try {
      await request(url).get('/me').expect(401);
      await request(url)
        .get('/me')
        .set(bearer(await issuer.sign({ sub: 'async' })))
        .expect(200);
    } finally {
      await app.close();
    }
  });

  it('forRootAsync refuses bad options when the app starts', async () => {
    await expect(
      startApp(
        AuthModule.forRootAsync({
          useFactory: () => issuer.moduleOptions({ algorithms: ['HS256' as never] }),
        }),
      ),
    ).rejects.toThrow(/HMAC/);
  });

  it('@Public() on a controller opens all its routes', async () => {
    @Public()
    @Controller('open')
    class OpenController {
      @Get()
      get() {
        return 'open';
      }
    }
    const { app, url } = await startApp(issuer.moduleOptions(), 'express', {
      controllers: [OpenController],
    });
    try {
      await request(url).get('/open').expect(200);
    } finally {
      await app.close();
    }
  });

  it('keyStore replaces the JWKS: the app decides where keys come from', async () => {
    const getKey = jest.fn(async () =>
      createPublicKey({ key: issuer.jwks.keys[0] as never, format: 'jwk' }),
    );
    const { app, url } = await startApp({
      issuer: issuer.issuer,
      algorithms: ['ES256'],
      keyStore: { getKey },
    });
    try {
      await request(url)
        .get('/me')
        .set(bearer(await issuer.sign({ sub: 'from-my-store' })))
        .expect(200);
      expect(getKey).toHaveBeenCalledWith(
        expect.objectContaining({ kid: issuer.kid }),
        expect.anything(),
      );
      expect(app.get(AUTH_KEY_STORE)).toEqual({ getKey });
    } finally {
      await app.close();
    }
  });

  it('AUTH_KEY_STORE can be overridden in a testing module', async () => {
    const refusing = {
      getKey: jest.fn(async () => Promise.reject(new errors.JWKSNoMatchingKey())),
    };
    @Module({
      imports: [AuthModule.forRoot(issuer.moduleOptions())],
      controllers: [ProbeController],
    })
    class AppModule {}
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(AUTH_KEY_STORE)
      .useValue(refusing)
      .compile();
    const app = moduleRef.createNestApplication();
    app.useLogger(false);
    await app.init();
    try {
      const res = await request(app.getHttpServer())
        .get('/me')
        .set(bearer(await issuer.sign()))
        .expect(401);
      expect(res.body.code).toBe('unknown_key');
      expect(refusing.getKey).toHaveBeenCalledTimes(1);
    } finally {
      await app.close();
    }
  });

  it('a PEM public key works offline', async () => {
    const pem = createPublicKey({ key: issuer.jwks.keys[0] as any, format: 'jwk' })
      .export({ type: 'spki', format: 'pem' })
      .toString();
    const { app, url } = await startApp({
      issuer: issuer.issuer,
      keys: pem,
      algorithms: ['ES256', 'EdDSA'],
    });
    try {
      await request(url)
        .get('/me')
        .set(bearer(await issuer.sign({ sub: 'pem' })))
        .expect(200);
      const other = await TestIssuer.create();
      const res = await request(url)
        .get('/me')
        .set(bearer(await other.sign()))
        .expect(401);
      expect(res.body.code).toBe('unknown_key');
    } finally {
      await app.close();
    }
  });
});
