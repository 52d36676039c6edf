// Tokens built to break the error path rather than the signature check: header values that
// Node refuses in a response header (anything above U+00FF), line separators, control
// characters, 10 KB strings; and every non-canonical base64url spelling of a valid token.
// Every one must be a 401 (never a 500, never a stack trace) on every transport.
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Controller, Get, UseGuards, type INestApplication } from '@nestjs/common';
import { Field, GraphQLModule, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { AuthGuard, PassportModule } from '@nestjs/passport';
import { SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { base64url } from 'jose';
import { io, type Socket } from 'socket.io-client';
import request from 'supertest';
import { CurrentUser, Public, TokenVerifier, type AuthUser } from '../src';
import { BetterAuthStrategy } from '../src/passport';
import { TestIssuer } from '../src/testing';
import { captureLogs, startApp, type Platform } from './support/apps';

/** Header values chosen to break a naive error path. */
const HOSTILE: Array<[string, string]> = [
  ['Cyrillic', 'ключ'],
  ['a line separator', 'a\u2028b\u2029c'],
  ['emoji', '🔑😀'],
  ['CR LF and a header', 'k\r\nSet-Cookie: pwned=1'],
  ['a quote and a backslash', 'a"b\\c'],
  ['a bidi override', 'abc\u202edef'],
  // 10 KB once encoded as UTF-8; Node refuses request headers over 16 KB (431) by default.
  ['10 KB of Cyrillic', 'ж'.repeat(5_120)],
  ['10 KB of ASCII', 'k'.repeat(10_240)],
];

const encode = (value: unknown) => base64url.encode(JSON.stringify(value));

/** A compact JWS with any header; the signature is random (the header is refused first). */
function forge(header: Record<string, unknown>, payload: Record<string, unknown>): string {
  return `${encode(header)}.${encode(payload)}.${base64url.encode(randomBytes(64))}`;
}

/** For each hostile value: a token carrying it in kid, alg or crit, and the expected reason. */
function hostileTokens(issuer: TestIssuer): Array<[string, string, string]> {
  const now = Math.floor(Date.now() / 1000);
  const payload = { sub: 'u', iss: issuer.issuer, aud: issuer.audience, iat: now, exp: now + 600 };
  const tokens: Array<[string, string, string]> = [];
  for (const [name, value] of HOSTILE) {
    tokens.push([`kid: ${name}`, forge({ alg: 'EdDSA', kid: value }, payload), 'unknown_key']);
    tokens.push([
      `alg: ${name}`,
      forge({ alg: value, kid: issuer.kid }, payload),
      'algorithm_not_allowed',
    ]);
    tokens.push([
      `crit: ${name}`,
      forge({ alg: 'EdDSA', kid: issuer.kid, crit: [value] }, payload),
      'malformed_token',
    ]);
  }
  return tokens;
}

/** Every spelling of `token` that decodes to the same bytes but is not canonical base64url. */
function nonCanonicalSpellings(token: string): Array<[string, string]> {
  const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const segments = token.split('.');
  const spellings: Array<[string, string]> = [];
  const withSegment = (index: number, segment: string) =>
    segments.map((s, i) => (i === index ? segment : s)).join('.');
  segments.forEach((segment, index) => {
    const name = ['header', 'payload', 'signature'][index];
    const rest = segment.length % 4;
    spellings.push([`${name} padded with =`, withSegment(index, segment + '='.repeat(4 - rest))]);
    spellings.push([`${name} with one =`, withSegment(index, `${segment}=`)]);
    // The unused low bits of the last character: 4 of them when length % 4 == 2, 2 when 3.
    const unused = rest === 2 ? 15 : rest === 3 ? 3 : 0;
    const last = ALPHABET.indexOf(segment[segment.length - 1]);
    for (let bits = 1; bits <= unused; bits++) {
      const variant = segment.slice(0, -1) + ALPHABET[last | bits];
      spellings.push([`${name} last char ${variant.slice(-1)}`, withSegment(index, variant)]);
    }
    if (/[-_]/.test(segment)) {
      const plus = segment.replace(/-/g, '+').replace(/_/g, '/');
      spellings.push([`${name} in the standard base64 alphabet`, withSegment(index, plus)]);
    }
  });
  spellings.push(['an empty signature', `${segments[0]}.${segments[1]}.`]);
  spellings.push(['a fourth segment', `${token}.${segments[2]}`]);
  return spellings;
}

/** The RFC 6750 challenge must be plain ASCII and say nothing taken from the token. */
function expectSafeChallenge(challenge: string | undefined, text: string) {
  expect(challenge).toMatch(/^Bearer error="invalid_token", error_description="[ -~]+"$/);
  expect(challenge?.length).toBeLessThan(120);
  if (text.length > 1) expect(challenge).not.toContain(text.slice(0, 4));
}

/** The body may quote what the token said, but cut short and with nothing that breaks a line. */
function expectSafeMessage(message: unknown) {
  expect(typeof message).toBe('string');
  expect((message as string).length).toBeLessThan(400);
  expect(message).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u);
}

describe.each<Platform>(['express', 'fastify'])('hostile tokens over HTTP (%s)', (platform) => {
  let issuer: TestIssuer;
  let app: INestApplication;
  let url: string;
  let logs: ReturnType<typeof captureLogs>;

  beforeAll(async () => {
    issuer = await TestIssuer.create();
    ({ app, url } = await startApp(issuer.moduleOptions({ maxTokenBytes: 65_536 }), platform));
    logs = captureLogs(app);
  });
  afterAll(() => app.close());
  afterEach(() => {
    // A refusal is routine: nothing at warn or error level, and never a stack trace.
    expect(logs.lines.filter((l) => l.level !== 'debug')).toEqual([]);
    logs.lines.length = 0;
  });

  it.each(HOSTILE.flatMap(([name]) => ['kid', 'alg', 'crit'].map((field) => `${field}: ${name}`)))(
    '%s is a 401 with a fixed ASCII challenge',
    async (name) => {
      const [, token, code] = hostileTokens(issuer).find(([n]) => n === name)!;
      const value = HOSTILE.find(([n]) => name.endsWith(`: ${n}`))![1];
      const res = await request(url).get('/me').set('Authorization', `Bearer ${token}`);
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 401, code });
      expectSafeChallenge(res.headers['www-authenticate'], value);
      expectSafeMessage(res.body.message);
    },
  );

  it('a token over maxTokenBytes is refused before it is parsed', async () => {
    const small = await startApp(issuer.moduleOptions(), platform);
    try {
      const [, token] = hostileTokens(issuer).find(([n]) => n === 'kid: 10 KB of ASCII')!;
      const res = await request(small.url).get('/me').set('Authorization', `Bearer ${token}`);
      expect({ status: res.status, code: res.body.code }).toEqual({
        status: 401,
        code: 'token_too_large',
      });
    } finally {
      await small.app.close();
    }
  });

  it('a role claim in any script gives a 403 with a fixed ASCII challenge', async () => {
    for (const [, value] of HOSTILE) {
      const token = await issuer.sign({ role: [value, 'user', 'a', 'b', 'c', 'd', 'e'] });
      const res = await request(url).get('/admin').set('Authorization', `Bearer ${token}`);
      expect({ status: res.status, code: res.body.code }).toEqual({
        status: 403,
        code: 'insufficient_role',
      });
      expect(res.headers['www-authenticate']).toMatch(
        /^Bearer error="insufficient_scope", error_description="[ -~]+"$/,
      );
      expectSafeMessage(res.body.message);
    }
  });

  it('out-of-range times in a signed token are a 401, not a crash', async () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['exp -1e300', { exp: -1e300 }, 'token_expired'],
      ['nbf 1e300', { nbf: 1e300 }, 'token_not_yet_valid'],
      ['iat 1e300', { iat: 1e300 }, 'invalid_claim'],
      ['a long foreign iss', { iss: 'ключ\u2028'.repeat(800) }, 'wrong_issuer'],
      ['a long foreign aud', { aud: ['ключ\u2028'.repeat(800), 'x'] }, 'wrong_audience'],
    ];
    for (const [name, claims, code] of cases) {
      const res = await request(url)
        .get('/me')
        .set('Authorization', `Bearer ${await issuer.sign(claims)}`);
      expect({ name, status: res.status, code: res.body.code }).toEqual({
        name,
        status: 401,
        code,
      });
      expectSafeMessage(res.body.message);
    }
  });

  it('every non-canonical spelling of a valid token is a 401 malformed_token', async () => {
    const token = await issuer.sign({ sub: 'canonical' });
    await request(url).get('/me').set('Authorization', `Bearer ${token}`).expect(200);
    const cache = (app.get(TokenVerifier) as unknown as { cache: { size: number } }).cache;
    const cached = cache.size;
    const spellings = nonCanonicalSpellings(token);
    expect(spellings.length).toBeGreaterThan(20);
    for (const [name, spelling] of spellings) {
      const res = await request(url).get('/me').set('Authorization', `Bearer ${spelling}`);
      expect({ name, status: res.status, code: res.body.code }).toEqual({
        name,
        status: 401,
        code: spelling.includes('=') ? 'malformed_header' : 'malformed_token',
      });
    }
    expect(cache.size).toBe(cached); // no spelling became a cache entry of its own
  });

  it('several Authorization headers are a 401 malformed_header, whichever comes first', async () => {
    const valid = `Bearer ${await issuer.sign({ sub: 'first' })}`;
    for (const headers of [
      [valid, 'Bearer other'],
      ['Bearer other', valid],
      [valid, valid],
    ]) {
      const { status, body } = await rawGet(`${url}/me`, { authorization: headers });
      expect({ status, code: JSON.parse(body).code }).toEqual({
        status: 401,
        code: 'malformed_header',
      });
    }
  });
});

/** Node's client sends an array header value as several header lines (supertest cannot). */
function rawGet(url: string, headers: Record<string, string | string[]>) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

@Controller()
class PassportController {
  @Public() // the module's guard steps aside: only the strategy judges the token
  @UseGuards(AuthGuard('better-auth'))
  @Get('passport/me')
  me(@CurrentUser('id') id: string) {
    return { id };
  }
}

@ObjectType()
class Me {
  @Field()
  id!: string;
}

@Resolver(() => Me)
class MeResolver {
  @Query(() => Me)
  me(@CurrentUser() user: AuthUser): Me {
    return { id: user.id };
  }
}

@WebSocketGateway()
class ProbeGateway {
  @SubscribeMessage('whoami')
  whoami(@CurrentUser('id') id: string) {
    return { id };
  }
}

describe('hostile tokens on the other transports', () => {
  let issuer: TestIssuer;
  let app: INestApplication;
  let url: string;
  let logs: ReturnType<typeof captureLogs>;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    issuer = await TestIssuer.create();
    ({ app, url } = await startApp(issuer.moduleOptions({ maxTokenBytes: 65_536 }), 'express', {
      imports: [
        PassportModule,
        GraphQLModule.forRoot<ApolloDriverConfig>({ driver: ApolloDriver, autoSchemaFile: true }),
      ],
      controllers: [PassportController],
      providers: [BetterAuthStrategy, MeResolver, ProbeGateway],
    }));
    logs = captureLogs(app);
  });
  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    await app.close();
  });
  afterEach(() => {
    expect(logs.lines.filter((l) => l.level !== 'debug')).toEqual([]);
    logs.lines.length = 0;
  });

  it('the Passport strategy answers 401', async () => {
    for (const [name, token] of hostileTokens(issuer)) {
      const res = await request(url).get('/passport/me').set('Authorization', `Bearer ${token}`);
      expect({ name, status: res.status }).toEqual({ name, status: 401 });
    }
  });

  it('GraphQL answers an UNAUTHENTICATED-style error with the reason', async () => {
    for (const [name, token, code] of hostileTokens(issuer)) {
      const res = await request(url)
        .post('/graphql')
        .set('Authorization', `Bearer ${token}`)
        .send({ query: '{ me { id } }' });
      const [error] = res.body.errors ?? [];
      expect({
        name,
        status: res.status,
        data: res.body.data,
        code: error?.extensions?.code,
      }).toEqual({ name, status: 200, data: null, code: 'UNAUTHENTICATED' });
      expect({ name, reason: JSON.stringify(error) }).toEqual({
        name,
        reason: expect.stringContaining(code),
      });
      expectSafeMessage(error.message);
    }
  });

  it('WebSockets answer a 401 exception', async () => {
    for (const [name, token, code] of hostileTokens(issuer)) {
      const socket = io(url, {
        transports: ['websocket'],
        extraHeaders: { authorization: `Bearer ${token}` },
        reconnection: false,
      });
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      });
      const error = await new Promise<any>((resolve) => {
        socket.once('exception', resolve);
        socket.emit('whoami', {});
      });
      expect({ name, status: error.statusCode, code: error.code }).toEqual({
        name,
        status: 401,
        code,
      });
      expectSafeMessage(error.message);
      socket.disconnect();
    }
  });
});
