import { Controller, Get, Injectable, UseGuards, type INestApplication } from '@nestjs/common';
import { AuthGuard, PassportModule, PassportStrategy } from '@nestjs/passport';
import passport from 'passport';
import { ExtractJwt } from 'passport-jwt';
import request from 'supertest';
import { Test } from '@nestjs/testing';
import {
  AuthModule,
  CurrentUser,
  JwtAuthGuard,
  OwnerParam,
  SUPPORTED_ALGORITHMS,
  TokenVerifier,
  type AuthUser,
  type SupportedAlgorithm,
} from '../src';
import { BetterAuthJwtStrategy, BetterAuthStrategy } from '../src/passport';
import { TestIssuer } from '../src/testing';
import { startApp } from './support/apps';

class HeaderApiKey extends passport.Strategy {
  override authenticate(req: { headers: Record<string, string | string[] | undefined> }) {
    if (req.headers['x-api-key'] === 'sekret') return this.success({ id: 'service', claims: {} });
    return this.fail('ApiKey', 401);
  }
}

@Injectable()
class ApiKeyStrategy extends PassportStrategy(HeaderApiKey, 'api-key') {
  validate() {
    return undefined;
  }
}

@Controller()
class PassportController {
  @UseGuards(AuthGuard('better-auth'))
  @Get('passport/me')
  me(@CurrentUser() user: AuthUser) {
    return user;
  }

  @UseGuards(AuthGuard(['better-auth', 'api-key']))
  @Get('passport/either')
  either(@CurrentUser('id') id: string) {
    return { id };
  }

  // Decorators apply bottom-up: the authenticating guard must be listed below @OwnerParam().
  @OwnerParam()
  @UseGuards(AuthGuard('better-auth'))
  @Get('passport/users/:userId')
  owned(@CurrentUser('id') id: string) {
    return { id };
  }

  @UseGuards(JwtAuthGuard)
  @Get('guard/me')
  guardMe(@CurrentUser() user: AuthUser) {
    return user;
  }
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('Passport strategy "better-auth"', () => {
  describe.each<SupportedAlgorithm>([...SUPPORTED_ALGORITHMS])('%s', (alg) => {
    let issuer: TestIssuer;
    let app: INestApplication;
    let url: string;

    beforeAll(async () => {
      issuer = await TestIssuer.create({ alg });
      ({ app, url } = await startApp(
        issuer.moduleOptions({ globalGuard: false, algorithms: [alg] }),
        'express',
        {
          imports: [PassportModule],
          controllers: [PassportController],
          providers: [BetterAuthStrategy, ApiKeyStrategy],
        },
      ));
    });
    afterAll(() => app.close());

    it('gives the same results as the guard', async () => {
      const other = await TestIssuer.create({ alg });
      const [h, p] = (await issuer.sign({ sub: 'a' })).split('.');
      const tampered = `${h}.${p}.${(await issuer.sign({ sub: 'b' })).split('.')[2]}`;
      const headers: Array<[string, string | undefined]> = [
        ['valid', `Bearer ${await issuer.sign({ sub: 'same', email: 'x@example.com' })}`],
        ['lowercase scheme', `bearer ${await issuer.sign({ sub: 'lower' })}`],
        ['none', undefined],
        ['malformed', 'Basic abc'],
        ['trailing junk', `Bearer ${await issuer.sign()} junk`],
        ['expired', `Bearer ${await issuer.sign({}, { expiresIn: -60 })}`],
        ['wrong audience', `Bearer ${await issuer.sign({ aud: 'elsewhere' })}`],
        ['foreign key', `Bearer ${await other.sign()}`],
        ['tampered', `Bearer ${tampered}`],
        ['alg none', `Bearer ${await issuer.sign({}, { alg: 'none' })}`],
        ['HS256 confusion', `Bearer ${await issuer.sign({}, { alg: 'HS256' })}`],
      ];
      for (const [name, header] of headers) {
        const viaGuard = request(url).get('/guard/me');
        const viaPassport = request(url).get('/passport/me');
        if (header) {
          viaGuard.set('Authorization', header);
          viaPassport.set('Authorization', header);
        }
        const [g, s] = await Promise.all([viaGuard, viaPassport]);
        expect({ name, status: s.status, user: s.body.id }).toEqual({
          name,
          status: g.status,
          user: g.body.id,
        });
        if (g.status === 200) expect(s.body).toEqual(g.body);
      }
    });
  });

  describe('composition and options', () => {
    let issuer: TestIssuer;
    let app: INestApplication;
    let url: string;

    beforeAll(async () => {
      issuer = await TestIssuer.create();
      ({ app, url } = await startApp(issuer.moduleOptions({ globalGuard: false }), 'express', {
        imports: [PassportModule],
        controllers: [PassportController],
        providers: [BetterAuthStrategy, ApiKeyStrategy],
      }));
    });
    afterAll(() => app.close());

    it("AuthGuard(['better-auth', 'api-key']) accepts either", async () => {
      const token = await issuer.sign({ sub: 'jwt-user' });
      expect((await request(url).get('/passport/either').set(bearer(token))).body).toEqual({
        id: 'jwt-user',
      });
      expect((await request(url).get('/passport/either').set('x-api-key', 'sekret')).body).toEqual({
        id: 'service',
      });
      await request(url).get('/passport/either').expect(401);
      await request(url).get('/passport/either').set('x-api-key', 'wrong').expect(401);
    });

    it('OwnershipGuard works on the user the strategy set', async () => {
      const token = await issuer.sign({ sub: 'p-owner' });
      await request(url).get('/passport/users/p-owner').set(bearer(token)).expect(200);
      await request(url).get('/passport/users/other').set(bearer(token)).expect(403);
    });

    it('a JWKS outage surfaces as 503, not 401', async () => {
      const served = await issuer.serve();
      served.mode = 'down';
      const down = await startApp(
        { issuer: issuer.issuer, jwksUrl: served.jwksUrl, globalGuard: false },
        'express',
        {
          imports: [PassportModule],
          controllers: [PassportController],
          providers: [BetterAuthStrategy],
        },
      );
      try {
        const res = await request(down.url)
          .get('/passport/me')
          .set(bearer(await issuer.sign()))
          .expect(503);
        expect(res.body.code).toBe('jwks_unavailable');
      } finally {
        await down.app.close();
        await served.close();
      }
    });
  });

  describe('BetterAuthJwtStrategy (plain passport)', () => {
    function run(strategy: passport.Strategy, headers: Record<string, string>) {
      return new Promise<{ kind: string; value?: unknown; status?: number }>((resolve) => {
        const s = Object.create(strategy) as any;
        s.success = (value: unknown) => resolve({ kind: 'success', value });
        s.fail = (value: unknown, status?: number) => resolve({ kind: 'fail', value, status });
        s.error = (value: unknown) => resolve({ kind: 'error', value });
        s.authenticate({ headers });
      });
    }

    async function verifierFor(issuer: TestIssuer) {
      const moduleRef = await Test.createTestingModule({
        imports: [AuthModule.forRoot(issuer.moduleOptions({ globalGuard: false }))],
      }).compile();
      return moduleRef.get(TokenVerifier);
    }

    it('accepts any passport-jwt extractor', async () => {
      const issuer = await TestIssuer.create();
      const verifier = await verifierFor(issuer);
      const strategy = new BetterAuthJwtStrategy(
        { verifier, jwtFromRequest: ExtractJwt.fromHeader('x-token') },
        (user, done) => done(null, user),
      );
      const ok = await run(strategy, { 'x-token': await issuer.sign({ sub: 'hdr' }) });
      expect(ok).toMatchObject({ kind: 'success', value: { id: 'hdr' } });
      expect(await run(strategy, {})).toEqual({ kind: 'fail', value: 'Bearer', status: 401 });
    });

    it('reports the verify callback outcome (refusal, error, throw)', async () => {
      const issuer = await TestIssuer.create();
      const verifier = await verifierFor(issuer);
      const headers = { authorization: `Bearer ${await issuer.sign()}` };
      const refuse = new BetterAuthJwtStrategy({ verifier }, (_user, done) =>
        done(null, false, 'Bearer error="invalid_token"'),
      );
      expect(await run(refuse, headers)).toMatchObject({ kind: 'fail', status: 401 });
      const boom = new Error('db down');
      const failing = new BetterAuthJwtStrategy({ verifier }, (_user, done) => done(boom));
      expect(await run(failing, headers)).toEqual({ kind: 'error', value: boom });
      const throwing = new BetterAuthJwtStrategy({ verifier }, () => {
        throw boom;
      });
      expect(await run(throwing, headers)).toEqual({ kind: 'error', value: boom });
      const rejected = new BetterAuthJwtStrategy({ verifier }, (user, done) => done(null, user));
      const weird = new BetterAuthJwtStrategy(
        {
          verifier: { verify: () => Promise.reject(boom) } as unknown as TokenVerifier,
        },
        (user, done) => done(null, user),
      );
      expect(await run(weird, headers)).toEqual({ kind: 'error', value: boom });
      const malformed = await run(rejected, { authorization: 'Bearer a b' });
      expect(malformed).toMatchObject({ kind: 'fail', status: 401 });
      expect(String(malformed.value)).toMatch(/^Bearer error="invalid_token"/);
    });
  });
});
