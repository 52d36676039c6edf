import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { decodeProtectedHeader, errors, type FlattenedJWSInput } from 'jose';
import { JwksUnavailableError } from './auth.errors';
import { RemoteJwksKeyStore, UNKNOWN_KID_BURST } from './jwks-key-store';
import { TestIssuer } from './testing';

/** A JWKS endpoint whose answer each test decides. */
async function endpoint(answer: () => { status: number; body: string }) {
  let requests = 0;
  const server: Server = createServer((_req, res) => {
    requests++;
    const { status, body } = answer();
    res.writeHead(status, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`,
    get requests() {
      return requests;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// Time is the injected clock (`now`), never the machine's: timeoutMs only bounds a fetch from
// this very process, generous on purpose.
const settings = { cacheMaxAgeMs: 1_000, cooldownMs: 100, timeoutMs: 10_000 };
const defaults = { cacheMaxAgeMs: 600_000, cooldownMs: 30_000, timeoutMs: 10_000 };
const input = {} as FlattenedJWSInput;

describe('RemoteJwksKeyStore', () => {
  let issuer: TestIssuer;
  let header: ReturnType<typeof decodeProtectedHeader>;
  beforeAll(async () => {
    Logger.overrideLogger(false);
    issuer = await TestIssuer.create();
    header = decodeProtectedHeader(await issuer.sign());
  });
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn']));

  it.each([
    ['a non-200 answer', { status: 500, body: '{}' }],
    ['a body that is not JSON', { status: 200, body: 'not json' }],
    ['JSON that is not a key set', { status: 200, body: '{"keys": 5}' }],
  ])('treats %s as unavailable (503), with a Retry-After', async (_name, answer) => {
    const server = await endpoint(() => answer);
    try {
      const store = new RemoteJwksKeyStore(server.url, settings);
      const error = await store.getKey(header, input).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(JwksUnavailableError);
      expect((error as JwksUnavailableError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    } finally {
      await server.close();
    }
  });

  it('shares one fetch between concurrent first requests', async () => {
    const server = await endpoint(() => ({ status: 200, body: JSON.stringify(issuer.jwks) }));
    try {
      const store = new RemoteJwksKeyStore(server.url, settings);
      await Promise.all(Array.from({ length: 10 }, () => store.getKey(header, input)));
      expect(server.requests).toBe(1);
      expect(store.fetches).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('refreshes a stale key set at most once per cooldown, keeping known keys on failure', async () => {
    let up = true;
    const server = await endpoint(() =>
      up ? { status: 200, body: JSON.stringify(issuer.jwks) } : { status: 503, body: '' },
    );
    let now = 0;
    try {
      const store = new RemoteJwksKeyStore(server.url, settings, () => now);
      await store.getKey(header, input);
      up = false;
      now = 2_000; // stale
      await expect(store.getKey(header, input)).resolves.toBeDefined();
      expect(server.requests).toBe(2);
      now = 2_050; // still stale, but within the cooldown of the failed attempt
      await expect(store.getKey(header, input)).resolves.toBeDefined();
      expect(server.requests).toBe(2);
      up = true;
      now = 2_200;
      await store.getKey(header, input);
      expect(server.requests).toBe(3);
      now = 2_300; // fresh again: no fetch
      await store.getKey(header, input);
      expect(server.requests).toBe(3);
    } finally {
      await server.close();
    }
  });

  it('after a failed first fetch, retries only once the cooldown is over', async () => {
    let up = false;
    const server = await endpoint(() =>
      up ? { status: 200, body: JSON.stringify(issuer.jwks) } : { status: 503, body: '' },
    );
    let now = 0;
    try {
      const store = new RemoteJwksKeyStore(server.url, settings, () => now);
      await expect(store.getKey(header, input)).rejects.toBeInstanceOf(JwksUnavailableError);
      up = true;
      now = 50;
      await expect(store.getKey(header, input)).rejects.toBeInstanceOf(JwksUnavailableError);
      expect(server.requests).toBe(1);
      now = 150;
      await expect(store.getKey(header, input)).resolves.toBeDefined();
      expect(server.requests).toBe(2);
    } finally {
      await server.close();
    }
  });

  describe('unknown kids', () => {
    let jwks: Awaited<ReturnType<typeof endpoint>>;
    let up: boolean;
    let rotating: TestIssuer;
    beforeEach(async () => {
      up = true;
      rotating = await TestIssuer.create();
      jwks = await endpoint(() =>
        up ? { status: 200, body: JSON.stringify(rotating.jwks) } : { status: 503, body: '' },
      );
    });
    afterEach(() => jwks.close());

    const kidHeader = (kid: unknown) => ({ alg: 'EdDSA', kid }) as never;
    const outcome = (promise: Promise<unknown>) =>
      promise.then(
        () => 'key',
        (error: unknown) =>
          error instanceof JwksUnavailableError
            ? 'unavailable'
            : error instanceof errors.JWKSNoMatchingKey
              ? 'unknown'
              : error,
      );

    it('a key rotated in 1 s after a fetch is accepted at once, despite a 30 s cooldown', async () => {
      let now = 0;
      const store = new RemoteJwksKeyStore(jwks.url, defaults, () => now);
      await store.getKey(kidHeader(rotating.kid), input);
      expect(jwks.requests).toBe(1);
      now = 1_000;
      await rotating.rotate();
      await expect(outcome(store.getKey(kidHeader(rotating.kid), input))).resolves.toBe('key');
      expect(jwks.requests).toBe(2);
      // ...and a second rotation a second later, too (the burst is there for this).
      now = 2_000;
      await rotating.rotate();
      await expect(outcome(store.getKey(kidHeader(rotating.kid), input))).resolves.toBe('key');
      expect(jwks.requests).toBe(3);
    });

    it.each([
      ['the default 30 s cooldown', 30_000],
      ['a 1 s cooldown', 1_000],
    ])(
      'a 10 s flood of 10 000 random kids fetches at most BURST + 10 s / cooldown times (%s)',
      async (_name, cooldownMs) => {
        let now = 0;
        const store = new RemoteJwksKeyStore(jwks.url, { ...defaults, cooldownMs }, () => now);
        await store.getKey(kidHeader(rotating.kid), input); // the first fetch
        const results = new Map<unknown, number>();
        // 100 bursts of 100 concurrent requests, 100 ms of virtual time apart.
        for (let burst = 0; burst < 100; burst++) {
          now = burst * 100;
          const outcomes = await Promise.all(
            Array.from({ length: 100 }, () =>
              outcome(store.getKey(kidHeader(randomUUID()), input)),
            ),
          );
          for (const o of outcomes) results.set(o, (results.get(o) ?? 0) + 1);
        }
        expect(Object.fromEntries(results)).toEqual({ unknown: 10_000 });
        const bound = 1 + UNKNOWN_KID_BURST + Math.floor(10_000 / cooldownMs);
        expect(jwks.requests).toBeLessThanOrEqual(bound);
        expect(store.fetches).toBe(jwks.requests);
        // The flood drained the bucket: a real rotation now waits for the next refill...
        await rotating.rotate();
        const before = jwks.requests;
        now = 10_000;
        const waited = await outcome(store.getKey(kidHeader(rotating.kid), input));
        if (waited === 'unknown') {
          expect(jwks.requests).toBe(before);
          now = 10_000 + cooldownMs; // ...which is at most one cooldown away.
          await expect(outcome(store.getKey(kidHeader(rotating.kid), input))).resolves.toBe('key');
        }
        expect(jwks.requests).toBeLessThanOrEqual(before + 1);
      },
    );

    it('sequential unknown kids: exactly BURST refetches, then one per cooldown', async () => {
      let now = 0;
      const store = new RemoteJwksKeyStore(jwks.url, defaults, () => now);
      await store.getKey(kidHeader(rotating.kid), input);
      for (let i = 0; i < 50; i++) {
        await expect(outcome(store.getKey(kidHeader(`random-${i}`), input))).resolves.toBe(
          'unknown',
        );
      }
      expect(jwks.requests).toBe(1 + UNKNOWN_KID_BURST);
      now = 29_999;
      await outcome(store.getKey(kidHeader('random-late'), input));
      expect(jwks.requests).toBe(1 + UNKNOWN_KID_BURST);
      now = 30_000;
      await outcome(store.getKey(kidHeader('random-refilled'), input));
      expect(jwks.requests).toBe(2 + UNKNOWN_KID_BURST);
    });

    it('a kid just proven unknown does not refetch again within the cooldown', async () => {
      let now = 0;
      const store = new RemoteJwksKeyStore(jwks.url, defaults, () => now);
      await store.getKey(kidHeader(rotating.kid), input);
      for (let i = 0; i < 20; i++) {
        now = i * 1_000;
        await expect(outcome(store.getKey(kidHeader('stale-client'), input))).resolves.toBe(
          'unknown',
        );
      }
      expect(jwks.requests).toBe(2); // one fetch proved it unknown; the bucket is kept
      await rotating.rotate();
      await expect(outcome(store.getKey(kidHeader(rotating.kid), input))).resolves.toBe('key');
      expect(jwks.requests).toBe(3);
      now = 20_000 + 30_000; // after the cooldown the stale kid may be looked up again
      await outcome(store.getKey(kidHeader('stale-client'), input));
      expect(jwks.requests).toBe(4);
    });

    it('concurrent requests with new kids share one fetch, and spend one bucket token', async () => {
      let now = 0;
      const store = new RemoteJwksKeyStore(jwks.url, defaults, () => now);
      await store.getKey(kidHeader(rotating.kid), input);
      await rotating.rotate();
      // The rotated kid comes last: it finds the fetch started by the first random kid and
      // waits for its result instead of asking the (by then empty) bucket.
      const kids = [...Array.from({ length: 99 }, () => randomUUID()), rotating.kid];
      const outcomes = await Promise.all(
        kids.map((kid) => outcome(store.getKey(kidHeader(kid), input))),
      );
      expect(outcomes.slice(0, 99).every((o) => o === 'unknown')).toBe(true);
      expect(outcomes[99]).toBe('key');
      expect(jwks.requests).toBe(2);
      // The burst is not spent: two more rotations in a row are still picked up at once.
      for (let i = 0; i < UNKNOWN_KID_BURST - 1; i++) {
        now += 1_000;
        await rotating.rotate();
        await expect(outcome(store.getKey(kidHeader(rotating.kid), input))).resolves.toBe('key');
      }
      expect(jwks.requests).toBe(1 + UNKNOWN_KID_BURST);
    });

    it('a kid that is not a string never causes a fetch', async () => {
      const store = new RemoteJwksKeyStore(jwks.url, defaults, () => 0);
      await store.getKey(kidHeader(rotating.kid), input);
      for (const kid of [42, { a: 1 }, ['x'], null, true]) {
        await expect(outcome(store.getKey(kidHeader(kid), input))).resolves.toBe('unknown');
      }
      expect(jwks.requests).toBe(1);
    });

    it('an unknown kid while the JWKS is down is unavailable (503), and retried after the cooldown', async () => {
      let now = 0;
      const store = new RemoteJwksKeyStore(jwks.url, defaults, () => now);
      const known = rotating.kid;
      await store.getKey(kidHeader(known), input);
      up = false;
      await rotating.rotate();
      now = 1_000;
      await expect(outcome(store.getKey(kidHeader(rotating.kid), input))).resolves.toBe(
        'unavailable',
      );
      expect(jwks.requests).toBe(2);
      // Within the cooldown of the failed fetch: no new attempt, still unavailable;
      // the known key keeps working.
      now = 2_000;
      await expect(outcome(store.getKey(kidHeader(rotating.kid), input))).resolves.toBe(
        'unavailable',
      );
      await expect(outcome(store.getKey(kidHeader(known), input))).resolves.toBe('key');
      expect(jwks.requests).toBe(2);
      up = true;
      now = 31_000;
      await expect(outcome(store.getKey(kidHeader(rotating.kid), input))).resolves.toBe('key');
      expect(jwks.requests).toBe(3);
    });
  });
});
