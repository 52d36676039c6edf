import { randomUUID } from 'node:crypto';
import { TestIssuer } from '@authbridge/nest-auth/testing';
import type { JWK } from 'jose';
import { ISSUER } from '../support/api';
import { attackTarget, expectUnauthorized, itWritesNoSecretToTheLogs } from '../support/attack';
import {
  attackerKey,
  b64,
  compact,
  countingServer,
  flipBit,
  headerOf,
  hmacToken,
  nonCanonicalSignature,
  payloadOf,
  privateKeysOf,
  publicKeySpellings,
  segments,
  signRaw,
  type Json,
} from '../support/forge';

// RFC 8725 (JWT best current practice), RFC 6750 (bearer tokens) and OWASP ASVS v4 ch. 3,
// tried against the running API: every forged or malformed token is a 401 with an RFC 6750
// challenge and a machine-readable `code`; never a 2xx, never a 5xx.

describe('forged and malformed tokens (e2e, over HTTP)', () => {
  const target = attackTarget();
  let user: string;
  let valid: string;
  let publicJwk: JWK;
  let claims: Json;

  beforeAll(async () => {
    user = randomUUID();
    valid = await target.api.tokenFor(user);
    publicJwk = target.api.issuer.jwks.keys[0];
    claims = payloadOf(valid);
  });

  /** Sends the token to a route that needs no database and to one that does: 401 on both. */
  async function expectRefused(token: string, code?: string | RegExp): Promise<void> {
    const auth = { Authorization: `Bearer ${token}` };
    expectUnauthorized(await target.client.get('/api/me', auth), code);
    expectUnauthorized(await target.client.get(`/api/users/${user}/tasks`, auth), code);
  }

  it('the valid token itself is accepted (the baseline every forgery departs from)', async () => {
    const res = await target.client.get('/api/me', { Authorization: `Bearer ${valid}` });
    expect(res.status).toBe(200);
  });

  describe('size and shape, refused before any cryptography', () => {
    it('a token over maxTokenBytes (8 KB) is token_too_large, and fetches no key', async () => {
      const before = target.api.jwks.requests;
      const [header, , signature] = segments(valid);
      const huge = compact(header, b64({ ...claims, pad: 'x'.repeat(9000) }), signature);
      await expectRefused(huge, 'token_too_large');
      await expectRefused(`${valid}${'A'.repeat(9000)}`, 'token_too_large');
      expect(target.api.jwks.requests).toBe(before);
    });

    it.each([
      ['one part', () => segments(valid)[0]],
      ['two parts', () => segments(valid).slice(0, 2).join('.')],
      ['four parts', () => `${valid}.${segments(valid)[2]}`],
      ['five parts (a JWE shape)', () => `${valid}.AAAA.BBBB`],
      ['empty parts', () => '..'],
      ['an empty signature', () => `${segments(valid).slice(0, 2).join('.')}.`],
      ['a header that is not base64url', () => valid.replace(/^[^.]+/, 'e~~~')],
      ['a header that is not JSON', () => valid.replace(/^[^.]+/, b64('not json'))],
      ['a header that is a JSON array', () => valid.replace(/^[^.]+/, b64('["EdDSA"]'))],
      ['a header that is a JSON string', () => valid.replace(/^[^.]+/, b64('"EdDSA"'))],
      [
        'a header nested 800 levels deep (under the size limit)',
        () => valid.replace(/^[^.]+/, deepHeader(800)),
      ],
      ['a header with a duplicate alg', () => valid.replace(/^[^.]+/, b64(dupAlgHeader()))],
      ['a payload that is not base64url', () => valid.replace(/\.[^.]+\./, '.~~~.')],
    ])('%s', async (_label, make) => {
      await expectRefused(make());
    });

    it('a correctly signed payload that is not JSON', async () => {
      const [key] = privateKeysOf(target.api.issuer);
      const header = { alg: 'EdDSA', kid: target.api.issuer.kid };
      await expectRefused(signRaw(key, header, 'not json at all'));
      await expectRefused(signRaw(key, header, '[1,2,3]'));
      await expectRefused(signRaw(key, header, deepJson(800)));
    });
  });

  describe('alg: none and algorithm confusion', () => {
    it.each(['none', 'None', 'NONE', 'nOnE', 'none '])('alg %j, unsigned', async (alg) => {
      const header = { alg, kid: target.api.issuer.kid, typ: 'JWT' };
      await expectRefused(compact(header, claims));
      await expectRefused(compact(header, claims, segments(valid)[2]));
    });

    it('no alg at all', async () => {
      await expectRefused(compact({ kid: target.api.issuer.kid }, claims, segments(valid)[2]));
    });

    it('alg above U+00FF', async () => {
      await expectRefused(compact({ alg: 'EdDSA鍵', kid: target.api.issuer.kid }, claims, 'AAAA'));
    });

    const spellings = () => publicKeySpellings(publicJwk);
    it.each(['HS256', 'HS384', 'HS512'])(
      '%s keyed with the public key (raw, base64url, PEM, DER, JWK, JWKS)',
      async (alg) => {
        for (const [, secret] of spellings()) {
          await expectRefused(hmacToken(alg, { alg, kid: publicJwk.kid }, claims, secret));
          await expectRefused(hmacToken(alg, { alg }, claims, secret));
        }
      },
    );

    it.each(['RS256', 'ES256', 'PS256', 'ES512'])(
      'alg %s with our kid, signed by a throw-away key',
      async (alg) => {
        await expectRefused(await target.api.issuer.sign({ sub: user }, { alg }));
      },
    );
  });

  describe('keys the token brings along (jwk, jku, x5u, x5c)', () => {
    let attacker: Awaited<ReturnType<typeof attackerKey>>;
    let server: Awaited<ReturnType<typeof countingServer>>;
    beforeAll(async () => {
      attacker = await attackerKey(`attacker-${randomUUID()}`);
      server = await countingServer(JSON.stringify({ keys: [attacker.publicJwk] }));
    });
    afterAll(async () => {
      await server?.close();
    });

    const forge = (header: Json) =>
      signRaw(attacker.privateKey, { alg: 'EdDSA', ...header }, JSON.stringify(claims));

    it('an embedded jwk (the attacker public key), with its own kid, ours, or none', async () => {
      await expectRefused(await forge({ jwk: attacker.publicJwk, kid: attacker.publicJwk.kid }));
      await expectRefused(await forge({ jwk: attacker.publicJwk, kid: publicJwk.kid }));
      await expectRefused(await forge({ jwk: attacker.publicJwk }));
    });

    it('jku, x5u and x5c pointing at a server the attacker runs: refused, and never fetched', async () => {
      const url = `${server.url}/.well-known/jwks.json`;
      const kid = attacker.publicJwk.kid;
      await expectRefused(await forge({ jku: url, kid }));
      await expectRefused(await forge({ jku: url }));
      await expectRefused(await forge({ jku: url, kid: publicJwk.kid }));
      await expectRefused(await forge({ x5u: `${server.url}/cert.pem`, kid }));
      await expectRefused(await forge({ x5u: `${server.url}/cert.pem` }));
      await expectRefused(
        await forge({ x5c: [Buffer.from('not a certificate').toString('base64')] }),
      );
      await expectRefused(await forge({ x5c: [`${server.url}/cert.pem`], kid }));
      // The same headers on a token that is otherwise correctly signed by our issuer are
      // ignored, not followed: the token is good, and the attacker's server still sees nothing.
      const ours = await target.api.issuer.sign({ sub: user }, { header: { jku: url, x5u: url } });
      expect((await target.client.get('/api/me', { Authorization: `Bearer ${ours}` })).status).toBe(
        200,
      );
      expect(server.requests).toBe(0);
    });
  });

  describe('kid', () => {
    it.each([
      ['a path', '../../../../../../etc/passwd'],
      ['a file URL', 'file:///dev/zero'],
      ['an http URL', 'http://127.0.0.1:9/jwks.json'],
      ['SQL', "' OR '1'='1' --"],
      ['SQL with a statement', "x'; DROP TABLE tasks; --"],
      ['10 KB long', 'k'.repeat(10 * 1024)],
      ['empty', ''],
      ['a number', 7 as unknown as string],
      ['null', null as unknown as string],
      ['an object', { $ne: null } as unknown as string],
      ['CR LF and a header', 'k\r\nX-Injected: yes'],
      ['NUL', 'k\u0000k'],
      ['Latin-1 (é, ÿ)', 'clé-ÿ'],
      ['above U+00FF (CJK and an emoji)', '鍵🔑'],
      ['a lone surrogate', 'k\ud800k'],
    ])('%s, correctly signed by our key', async (_label, kid) => {
      const [key] = privateKeysOf(target.api.issuer);
      await expectRefused(signRaw(key, { alg: 'EdDSA', kid }, JSON.stringify(claims)));
    });

    it('our kid, signed by another key', async () => {
      const impostor = await TestIssuer.create({ issuer: ISSUER, kid: target.api.issuer.kid });
      await expectRefused(await impostor.sign({ sub: user }), 'invalid_signature');
    });

    it("another issuer's header on our payload and signature", async () => {
      const other = await TestIssuer.create({ issuer: ISSUER });
      const [header] = segments(await other.sign({ sub: user }));
      const [, payload, signature] = segments(valid);
      await expectRefused(`${header}.${payload}.${signature}`);
    });
  });

  describe('crit', () => {
    it.each([
      ['an unknown name', ['x-unknown'], { 'x-unknown': 1 }],
      ['an unknown name that is absent', ['x-absent'], {}],
      ['a registered claim name', ['exp'], {}],
      ['"b64" (RFC 7797, unencoded payloads)', ['b64'], { b64: false }],
      ['an empty list', [], {}],
      ['not a list', 'x-unknown', { 'x-unknown': 1 }],
      ['a Latin-1 name', ['ünknown'], { ünknown: 1 }],
      ['a name above U+00FF', ['鍵'], { 鍵: 1 }],
    ])('%s', async (_label, crit, extra) => {
      const [key] = privateKeysOf(target.api.issuer);
      const header = { alg: 'EdDSA', kid: target.api.issuer.kid, crit, ...extra };
      await expectRefused(signRaw(key, header, JSON.stringify(claims)));
    });
  });

  describe('tampering', () => {
    it.each([
      ['the header', 0, [0, 7, 100]],
      ['the payload', 1, [0, 13, 200, 400]],
      ['the signature', 2, [0, 255, 256, 511]],
    ] as const)('one bit flipped in %s', async (_label, segment, bits) => {
      for (const bit of bits) await expectRefused(flipBit(valid, segment, bit));
    });

    it('the payload of another user under our signature', async () => {
      const [header, , signature] = segments(valid);
      await expectRefused(compact(header, { ...claims, sub: randomUUID() }, signature));
    });

    it('a header edited to another algorithm, signature kept', async () => {
      const [, payload, signature] = segments(valid);
      const header = { ...headerOf(valid), alg: 'ES256' };
      await expectRefused(compact(header, payload, signature));
    });
  });

  describe('claims (signed by our own key)', () => {
    const now = () => Math.floor(Date.now() / 1000);
    it.each([
      ['expired an hour ago', { exp: now() - 3600 }, 'token_expired'],
      ['expired by more than the leeway', { exp: now() - 60 }, 'token_expired'],
      ['nbf an hour ahead', { nbf: now() + 3600 }, 'token_not_yet_valid'],
      ['iat a day ahead', { iat: now() + 86_400, exp: now() + 90_000 }, 'invalid_claim'],
      ['no sub', { sub: undefined }, 'missing_claim'],
      ['an empty sub', { sub: '' }, /^(missing|invalid)_claim$/],
      ['a numeric sub', { sub: 42 }, /^(missing|invalid)_claim$/],
      ['an object sub', { sub: { id: 'x' } }, /^(missing|invalid)_claim$/],
      ['an array sub', { sub: ['x'] }, /^(missing|invalid)_claim$/],
      ['a null sub', { sub: null }, /^(missing|invalid)_claim$/],
      ['no exp', { exp: undefined }, 'missing_claim'],
      ['no iat', { iat: undefined }, 'missing_claim'],
      ['exp as a string', { exp: String(now() + 900) }, 'invalid_claim'],
      ['exp as a far-future string', { exp: '99999999999' }, 'invalid_claim'],
      ['another iss', { iss: 'https://evil.example' }, 'wrong_issuer'],
      ['iss with a trailing slash', { iss: `${ISSUER}/` }, 'wrong_issuer'],
      ['no iss', { iss: undefined }, 'missing_claim'],
      ['another aud', { aud: 'https://evil.example' }, 'wrong_audience'],
      [
        'an aud array without ours',
        { aud: ['https://a.example', 'https://b.example'] },
        'wrong_audience',
      ],
      ['an empty aud array', { aud: [] }, /^(wrong_audience|missing_claim|invalid_claim)$/],
      ['no aud', { aud: undefined }, 'missing_claim'],
    ] as Array<[string, Json, string | RegExp]>)('%s', async (_label, override, code) => {
      await expectRefused(await target.api.issuer.sign({ sub: user, ...override }), code);
    });
  });

  describe('non-canonical spellings of the valid token', () => {
    it.each([
      ['"=" padding on the signature', () => pad(valid, 2)],
      ['"=" padding on every segment', () => [0, 1, 2].reduce((t, i) => pad(t, i), valid)],
      ['"==" after the signature', () => `${valid}==`],
      ['the unused bits of the signature set', () => nonCanonicalSignature(valid)],
    ])('%s', async (_label, make) => {
      const token = make();
      expect(token).not.toBe(valid);
      await expectRefused(token);
    });
  });

  describe('the Authorization header', () => {
    const send = (headers: string[]) => target.client.request({ path: '/api/me', headers });
    it.each([
      [
        'two headers, valid first',
        () => ['Authorization', `Bearer ${valid}`, 'Authorization', 'Bearer x.y.z'],
      ],
      [
        'two headers, valid second',
        () => ['Authorization', 'Bearer x.y.z', 'Authorization', `Bearer ${valid}`],
      ],
      [
        'two headers, both valid',
        () => ['Authorization', `Bearer ${valid}`, 'Authorization', `Bearer ${valid}`],
      ],
      ['two tokens in one header', () => ['Authorization', `Bearer ${valid}, Bearer ${valid}`]],
      ['two tokens after one scheme', () => ['Authorization', `Bearer ${valid} ${valid}`]],
      [
        'the Basic scheme',
        () => ['Authorization', `Basic ${Buffer.from(`u:${valid}`).toString('base64')}`],
      ],
      ['a Token scheme', () => ['Authorization', `Token ${valid}`]],
      ['the scheme alone', () => ['Authorization', 'Bearer']],
      ['no scheme', () => ['Authorization', valid]],
      ['a DPoP scheme', () => ['Authorization', `DPoP ${valid}`]],
    ])('%s: 401', async (_label, headers) => {
      expectUnauthorized(await send(headers()));
    });

    it('a token in the query string, a cookie or another header is not read', async () => {
      const cookie = `better-auth.session_token=${randomUUID()}.${randomUUID()}`;
      target.hygiene.secret(cookie);
      expectUnauthorized(await target.client.get(`/api/me?access_token=${valid}`), 'missing_token');
      expectUnauthorized(
        await target.client.get('/api/me', { Cookie: `token=${valid}; ${cookie}` }),
        'missing_token',
      );
      expectUnauthorized(
        await target.client.get('/api/me', { 'X-Access-Token': valid }),
        'missing_token',
      );
      expectUnauthorized(
        await target.client.request({
          method: 'GET',
          path: '/api/me',
          body: { access_token: valid },
        }),
        'missing_token',
      );
    });

    it('no header: a bare "Bearer" challenge (RFC 6750 3.1: no error code)', async () => {
      const res = await target.client.get('/api/me');
      expectUnauthorized(res, 'missing_token');
      expect(res.headers['www-authenticate']).toBe('Bearer');
    });
  });

  it('the API still answers afterwards', async () => {
    expect((await target.client.get('/api/health')).status).toBe(200);
    const res = await target.client.get('/api/me', { Authorization: `Bearer ${valid}` });
    expect(res.status).toBe(200);
  });

  itWritesNoSecretToTheLogs(target);
});

function pad(token: string, segment: number): string {
  const parts = token.split('.');
  const missing = (4 - (parts[segment].length % 4)) % 4;
  parts[segment] += '='.repeat(missing || 4);
  return parts.join('.');
}

function deepJson(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

function deepHeader(depth: number): string {
  return b64(`{"alg":"EdDSA","x":${deepJson(depth)}}`);
}

function dupAlgHeader(): string {
  return '{"alg":"none","alg":"EdDSA"}';
}
