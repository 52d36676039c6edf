import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { attackTarget, expectUnauthorized, itWritesNoSecretToTheLogs } from '../support/attack';
import { b64, segments, type Json } from '../support/forge';
import { checkFuzz, failBatch, FUZZ_RUN_TIMEOUT_MS, fuzzSeed, HEADER_SAFE } from '../support/fuzz';
import { mapConcurrent } from '../support/http-client';

// Property: whatever is made of a token (a valid one mutated, or one generated from
// scratch), the API answers 401 and keeps answering. Thousands per run, over real HTTP.

const TOKENS = 10_000;
const BATCH = 50;
const SEED = fuzzSeed('tokens');

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** What a forger types: the base64url alphabet, the rest of RFC 6750's b64token, and more. */
const TOKEN_CHARS = `${B64URL}.=+/~ "'{}\\%é\u00ff`;

const char = (set: string) => fc.constantFrom(...set.split(''));
const index = fc.nat({ max: 10_000 });

/** One edit of a token string; the result is checked to differ from the original. */
function mutation(): fc.Arbitrary<(token: string) => string> {
  const at = (token: string, i: number) => i % (token.length + 1);
  return fc.oneof(
    fc.tuple(fc.constantFrom(0, 1, 2), fc.nat({ max: 4096 })).map(([seg, bit]) => (t: string) => {
      const parts = t.split('.');
      const bytes = Buffer.from(parts[seg] ?? '', 'base64url');
      if (!bytes.length) return `${t}A`;
      bytes[Math.floor(bit / 8) % bytes.length] ^= 1 << (bit % 8);
      parts[seg] = bytes.toString('base64url');
      return parts.join('.');
    }),
    fc.tuple(index, char(TOKEN_CHARS)).map(([i, c]) => (t: string) => {
      const p = at(t, i) % Math.max(t.length, 1);
      return t.slice(0, p) + c + t.slice(p + 1);
    }),
    fc.tuple(index, char(TOKEN_CHARS)).map(([i, c]) => (t: string) => {
      const p = at(t, i);
      return t.slice(0, p) + c + t.slice(p);
    }),
    index.map((i) => (t: string) => {
      const p = at(t, i);
      return t.slice(0, p) + t.slice(p + 1);
    }),
    index.map((i) => (t: string) => t.slice(0, at(t, i))),
    fc.constantFrom<[number, number]>([0, 1], [0, 2], [1, 2]).map(([a, b]) => (t: string) => {
      const parts = t.split('.');
      [parts[a], parts[b]] = [parts[b], parts[a]];
      return parts.join('.');
    }),
    fc.constantFrom(0, 1, 2).map((seg) => (t: string) => {
      const parts = t.split('.');
      parts.splice(seg, 0, parts[seg]);
      return parts.join('.');
    }),
    fc
      .string({ unit: char(TOKEN_CHARS), minLength: 1, maxLength: 64 })
      .map((s) => (t: string) => t + s),
    fc
      .tuple(fc.constantFrom(0, 1, 2), fc.string({ unit: char(B64URL), maxLength: 200 }))
      .map(([seg, s]) => (t: string) => {
        const parts = t.split('.');
        parts[seg] = s;
        return parts.join('.');
      }),
    index.map((i) => (t: string) => {
      const p = at(t, i) % Math.max(t.length, 1);
      const c = t[p] ?? '';
      const swapped = c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase();
      return t.slice(0, p) + swapped + t.slice(p + 1);
    }),
    fc.constantFrom('=', '==', '===').map((pad) => (t: string) => `${t}${pad}`),
  );
}

/** A protected header: the real alg/kid or any other value, plus the dangerous parameters. */
function header(kid: string): fc.Arbitrary<Json> {
  const text = fc.string({ maxLength: 40 });
  return fc.record(
    {
      alg: fc.oneof(
        fc.constantFrom('EdDSA', 'none', 'None', 'NONE', 'HS256', 'HS512', 'RS256', 'ES256', ''),
        text,
        fc.integer(),
        fc.constant(null),
      ),
      kid: fc.oneof(fc.constant(kid), text, fc.string({ unit: 'grapheme', maxLength: 12 })),
      typ: fc.constantFrom('JWT', 'at+jwt', 'JWE', ''),
      crit: fc.oneof(fc.array(text, { maxLength: 3 }), text),
      jku: fc.constant('http://127.0.0.1:9/jwks.json'),
      jwk: fc.constant({ kty: 'OKP', crv: 'Ed25519', x: b64(new Uint8Array(32)) }),
      b64: fc.boolean(),
      zip: fc.constant('DEF'),
    },
    { requiredKeys: [] },
  );
}

/** Claims: the right ones, missing ones, wrong values and wrong types. */
function claims(sub: string, issuer: string): fc.Arbitrary<Json> {
  const now = Math.floor(Date.now() / 1000);
  const anyValue = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.string(), { maxLength: 2 }),
  );
  const time = fc.oneof(
    fc.integer({ min: now - 10_000, max: now + 10_000 }),
    anyValue,
    fc.constantFrom(0, -1, 1e21, Number.MAX_SAFE_INTEGER),
  );
  return fc.record(
    {
      sub: fc.oneof(fc.constant(sub), fc.constant(''), anyValue),
      iss: fc.oneof(fc.constant(issuer), fc.constant(`${issuer}/`), anyValue),
      aud: fc.oneof(fc.constant(issuer), fc.constant([issuer, 'x']), anyValue),
      iat: time,
      exp: time,
      nbf: time,
      role: anyValue,
    },
    { requiredKeys: [] },
  );
}

describe(`token fuzz: ${TOKENS} tokens, only 401 (e2e, over HTTP, seed ${SEED})`, () => {
  const target = attackTarget();
  let valid: string[];
  let sent = 0;

  beforeAll(async () => {
    valid = await Promise.all([
      target.api.tokenFor(randomUUID()),
      target.api.tokenFor(randomUUID(), { email: 'ada@example.com', name: 'Ada', role: 'admin' }),
      target.api.tokenFor(`user-${randomUUID()}`),
    ]);
  });

  it('a valid token is accepted (so 401s are not an outage)', async () => {
    for (const token of valid) {
      expect(
        (await target.client.get('/api/me', { Authorization: `Bearer ${token}` })).status,
      ).toBe(200);
    }
  });

  it(
    `${TOKENS} mutated and generated tokens: every one is a 401`,
    async () => {
      const { issuer, kid } = target.api.issuer;
      const mutated = fc
        .tuple(fc.constantFrom(...valid), fc.array(mutation(), { minLength: 1, maxLength: 3 }))
        .map(([token, edits]) => edits.reduce((t, edit) => edit(t), token));
      const generated = fc
        .tuple(
          header(kid),
          claims(randomUUID(), issuer),
          fc.oneof(
            fc.constantFrom('', segments(valid[0])[2]),
            fc.string({ unit: char(B64URL), maxLength: 120 }),
          ),
        )
        .map(([h, c, sig]) => `${b64(h)}.${b64(c)}.${sig}`);
      const junk = fc.string({ unit: char(TOKEN_CHARS), maxLength: 400 });
      const token = fc
        .oneof(
          { weight: 5, arbitrary: mutated },
          { weight: 4, arbitrary: generated },
          { weight: 1, arbitrary: junk },
        )
        .filter((t) => HEADER_SAFE.test(t) && !valid.includes(t.trim()));

      await checkFuzz(
        fc.asyncProperty(fc.array(token, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
          const failures: string[] = [];
          await mapConcurrent(batch, 16, async (t) => {
            sent++;
            const res = await target.client.get('/api/me', { Authorization: `Bearer ${t}` });
            try {
              expectUnauthorized(res);
            } catch {
              failures.push(
                `${res.status} ${res.text.slice(0, 160)} <- ${JSON.stringify(t.slice(0, 300))}`,
              );
            }
          });
          failBatch(failures);
        }),
        SEED,
        TOKENS / BATCH,
      );
      expect(sent).toBeGreaterThanOrEqual(TOKENS);
    },
    FUZZ_RUN_TIMEOUT_MS,
  );

  it('the API keeps answering: health 200, a valid token 200', async () => {
    expect((await target.client.get('/api/health')).status).toBe(200);
    const res = await target.client.get('/api/me', { Authorization: `Bearer ${valid[0]}` });
    expect(res.status).toBe(200);
  });

  itWritesNoSecretToTheLogs(target);
});
