import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { decodeProtectedHeader, type FlattenedJWSInput } from 'jose';
import { JwksUnavailableError } from './auth.errors';
import { RemoteJwksKeyStore } from './jwks-key-store';
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

const settings = { cacheMaxAgeMs: 1_000, cooldownMs: 100, timeoutMs: 1_000 };
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
});
