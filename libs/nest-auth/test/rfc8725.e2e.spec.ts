// RFC 8725 (JWT Best Current Practices), pinned on the library over real HTTP: the attacks
// a JWT verifier must refuse whatever the app around it does. Tokens are signed for real
// (node:crypto, any header we like) so that each refusal is the one named, not a bad signature.
import { createHmac, createPublicKey, KeyObject, sign as cryptoSign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { base64url, exportJWK, generateKeyPair, type JWK } from 'jose';
import request from 'supertest';
import { TestIssuer } from '../src/testing';
import { startApp, type Platform } from './support/apps';

const ISSUER = 'http://localhost:3000';
const encode = (value: unknown) => base64url.encode(JSON.stringify(value));

/** An Ed25519 key that signs any header and payload, trusted offline by the app. */
async function rawSigner(kid: string) {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { extractable: true });
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
  const key = KeyObject.from(privateKey);
  return {
    publicJwk,
    sign(header: Record<string, unknown>, payload: Record<string, unknown> | string): string {
      const body = typeof payload === 'string' ? base64url.encode(payload) : encode(payload);
      const input = `${encode({ alg: 'EdDSA', kid, ...header })}.${body}`;
      return `${input}.${base64url.encode(cryptoSign(null, Buffer.from(input), key))}`;
    },
  };
}

function claims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  const all: Record<string, unknown> = {
    sub: 'user-1',
    iss: ISSUER,
    aud: ISSUER,
    iat: now,
    exp: now + 600,
    ...extra,
  };
  for (const [name, value] of Object.entries(all)) if (value === undefined) delete all[name];
  return all;
}

/** A server that counts every request: where a token's jku/x5u point. */
async function trap() {
  let hits = 0;
  const server: Server = createServer((_req, res) => {
    hits++;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"keys":[]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/keys`,
    get hits() {
      return hits;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.each<Platform>(['express', 'fastify'])('RFC 8725 over HTTP (%s)', (platform) => {
  let signer: Awaited<ReturnType<typeof rawSigner>>;
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    signer = await rawSigner('k1');
    ({ app, url } = await startApp(
      { issuer: ISSUER, keys: { keys: [signer.publicJwk] }, algorithms: ['EdDSA'] },
      platform,
    ));
  });
  afterAll(() => app.close());

  async function reasonFor(token: string): Promise<{ status: number; code?: string }> {
    const res = await request(url).get('/me').set('Authorization', `Bearer ${token}`);
    return { status: res.status, code: res.body.code };
  }

  it('the raw signer makes tokens the app accepts (control)', async () => {
    expect(await reasonFor(signer.sign({}, claims()))).toEqual({ status: 200, code: undefined });
  });

  describe('alg "none" (§2.1, §3.1)', () => {
    it.each(['none', 'None', 'NONE', 'nOnE'])('%s is refused, signed or not', async (alg) => {
      const input = `${encode({ alg, kid: 'k1' })}.${encode(claims())}`;
      // Unsigned, as the spec of "none" wants: the empty signature is malformed.
      expect(await reasonFor(`${input}.`)).toEqual({ status: 401, code: 'malformed_token' });
      // With any signature at all, the algorithm is what is refused.
      expect(await reasonFor(`${input}.${base64url.encode('x'.repeat(64))}`)).toEqual({
        status: 401,
        code: 'algorithm_not_allowed',
      });
    });
  });

  describe('HMAC keyed with the public key (algorithm confusion, §2.1, §3.1)', () => {
    it.each(['EdDSA', 'RS256', 'ES256'] as const)(
      'every encoding of a %s public key, as an HS256/384/512 secret, is refused',
      async (alg) => {
        const issuer = await TestIssuer.create({ alg });
        const target = await startApp(issuer.moduleOptions(), platform);
        try {
          const jwk = issuer.jwks.keys[0];
          const publicKey = createPublicKey({ key: jwk as never, format: 'jwk' });
          const secrets: Array<string | Buffer> = [
            JSON.stringify(jwk),
            publicKey.export({ type: 'spki', format: 'pem' }),
            publicKey.export({ type: 'spki', format: 'der' }),
          ];
          if (jwk.x) secrets.push(Buffer.from(jwk.x, 'base64url'));
          if (jwk.n) secrets.push(Buffer.from(jwk.n, 'base64url'));
          for (const bits of ['256', '384', '512']) {
            for (const secret of secrets) {
              const input = `${encode({ alg: `HS${bits}`, kid: issuer.kid })}.${encode(
                claims({ iss: issuer.issuer, aud: issuer.audience }),
              )}`;
              const mac = createHmac(`sha${bits}`, secret).update(input).digest();
              const res = await request(target.url)
                .get('/me')
                .set('Authorization', `Bearer ${input}.${base64url.encode(mac)}`);
              expect({ bits, status: res.status, code: res.body.code }).toEqual({
                bits,
                status: 401,
                code: 'algorithm_not_allowed',
              });
            }
          }
        } finally {
          await target.app.close();
        }
      },
    );
  });

  describe('keys named by the token itself are never used or fetched (§3.10)', () => {
    it('jwk, jku, x5u and x5c headers are ignored: no outbound request, the known key decides', async () => {
      const attacker = await rawSigner('k1'); // same kid as the trusted key, its own key pair
      const served = await trap();
      try {
        const header = {
          jwk: attacker.publicJwk,
          jku: served.url,
          x5u: served.url,
          x5c: [base64url.encode('not a certificate')],
        };
        expect(await reasonFor(attacker.sign(header, claims()))).toEqual({
          status: 401,
          code: 'invalid_signature',
        });
        const unknownKid = await rawSigner('attacker-kid');
        expect(
          await reasonFor(unknownKid.sign({ ...header, kid: 'attacker-kid' }, claims())),
        ).toEqual({ status: 401, code: 'unknown_key' });
        expect(served.hits).toBe(0);
      } finally {
        await served.close();
      }
    });

    it('with a remote JWKS, the configured URL is the only one fetched', async () => {
      const issuer = await TestIssuer.create();
      const jwks = await issuer.serve();
      const served = await trap();
      const target = await startApp({ issuer: issuer.issuer, jwksUrl: jwks.jwksUrl }, platform);
      try {
        const token = await issuer.sign(
          {},
          { kid: 'nobody', header: { jku: served.url, x5u: served.url } },
        );
        const res = await request(target.url).get('/me').set('Authorization', `Bearer ${token}`);
        expect({ status: res.status, code: res.body.code }).toEqual({
          status: 401,
          code: 'unknown_key',
        });
        expect(served.hits).toBe(0);
        expect(jwks.requests).toBeGreaterThan(0);
      } finally {
        await target.app.close();
        await jwks.close();
        await served.close();
      }
    });
  });

  describe('crit (RFC 7515 §4.1.11)', () => {
    it.each<[string, unknown]>([
      ['an unknown extension', ['x-unknown']],
      ['an unknown extension that is present', ['x-unknown']],
      ['a registered claim name', ['exp']],
      ['an empty list', []],
      ['not a list', 'x-unknown'],
      ['duplicates', ['b64', 'b64']],
    ])('%s is refused, even correctly signed', async (name, crit) => {
      const extra = name.endsWith('present') ? { 'x-unknown': true } : {};
      expect(await reasonFor(signer.sign({ crit, ...extra }, claims()))).toEqual({
        status: 401,
        code: 'malformed_token',
      });
    });

    it('b64: false (an unencoded payload) is refused', async () => {
      expect(await reasonFor(signer.sign({ crit: ['b64'], b64: false }, claims()))).toMatchObject({
        status: 401,
      });
    });
  });

  describe('claims (§3.3, §3.9)', () => {
    it.each<[string, Record<string, unknown>, string]>([
      [
        'aud: an array without ours',
        { aud: ['https://a.example', 'https://b.example'] },
        'wrong_audience',
      ],
      ['aud: an empty array', { aud: [] }, 'wrong_audience'],
      ['aud: missing', { aud: undefined }, 'missing_claim'],
      ['exp: a string', { exp: String(Math.floor(Date.now() / 1000) + 600) }, 'invalid_claim'],
      ['exp: missing', { exp: undefined }, 'missing_claim'],
      ['iat: a string', { iat: 'now' }, 'invalid_claim'],
      ['nbf: a string', { nbf: 'now' }, 'invalid_claim'],
      ['iss: missing', { iss: undefined }, 'missing_claim'],
      ['iss: in another case', { iss: ISSUER.toUpperCase() }, 'wrong_issuer'],
      ['sub: missing', { sub: undefined }, 'missing_claim'],
      ['sub: empty', { sub: '' }, 'invalid_claim'],
      ['sub: null', { sub: null }, 'invalid_claim'],
      ['sub: a number', { sub: 42 }, 'invalid_claim'],
      ['sub: an object', { sub: { id: 'user-1' } }, 'invalid_claim'],
      ['sub: an array', { sub: ['user-1'] }, 'invalid_claim'],
    ])('%s is refused', async (_name, extra, code) => {
      expect(await reasonFor(signer.sign({}, claims(extra)))).toEqual({ status: 401, code });
    });

    it('a payload that is not a JSON object is refused', async () => {
      for (const payload of ['[]', '"sub"', '42', 'null', 'not json']) {
        expect({ payload, ...(await reasonFor(signer.sign({}, payload))) }).toEqual({
          payload,
          status: 401,
          code: 'malformed_token',
        });
      }
    });
  });
});
