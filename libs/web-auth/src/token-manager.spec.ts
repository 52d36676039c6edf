import { deferred } from '../test/deferred.js';
import { betterAuthLikeJwt, makeJwt } from '../test/jwt.js';
import { createTokenManager } from './token-manager.js';

/** A clock the test moves by hand, in milliseconds; starts at 1 000 000 s. */
function fakeClock() {
  let ms = 1_000_000_000;
  return {
    now: () => ms,
    seconds: () => Math.floor(ms / 1000),
    advance: (seconds: number) => {
      ms += seconds * 1000;
    },
  };
}

/** fetchToken that mints a new Better Auth-like token (15 min) on every call. */
function minting(clock: { seconds: () => number }) {
  let n = 0;
  return jest.fn(async () => betterAuthLikeJwt(`user-${++n}`, clock.seconds()));
}

describe('createTokenManager', () => {
  it('makes ONE fetch for 100 concurrent getToken() calls and gives all of them its token', async () => {
    const gate = deferred<string>();
    const fetchToken = jest.fn(() => gate.promise);
    const manager = createTokenManager({ fetchToken });

    const calls = Array.from({ length: 100 }, () => manager.getToken());
    const token = makeJwt({ exp: Date.now() / 1000 + 900 });
    gate.resolve(token);
    const results = await Promise.all(calls);

    expect(fetchToken).toHaveBeenCalledTimes(1);
    expect(new Set(results)).toEqual(new Set([token]));
  });

  it('serves the cached token while it has more than the skew (30 s) of life left', async () => {
    const clock = fakeClock();
    const fetchToken = minting(clock);
    const manager = createTokenManager({ fetchToken, now: clock.now });

    const first = await manager.getToken();
    clock.advance(900 - 31); // 31 s of life left
    expect(await manager.getToken()).toBe(first);
    expect(fetchToken).toHaveBeenCalledTimes(1);
  });

  it('refreshes before expiry: once 30 s or less are left, it fetches a new token', async () => {
    const clock = fakeClock();
    const fetchToken = minting(clock);
    const manager = createTokenManager({ fetchToken, now: clock.now });

    const first = await manager.getToken();
    clock.advance(900 - 30);
    const second = await manager.getToken();

    expect(second).not.toBe(first);
    expect(fetchToken).toHaveBeenCalledTimes(2);
    expect(await manager.getToken()).toBe(second);
    expect(fetchToken).toHaveBeenCalledTimes(2);
  });

  it('honours skewSeconds', async () => {
    const clock = fakeClock();
    const fetchToken = minting(clock);
    const manager = createTokenManager({ fetchToken, now: clock.now, skewSeconds: 120 });

    await manager.getToken();
    clock.advance(900 - 121);
    await manager.getToken();
    expect(fetchToken).toHaveBeenCalledTimes(1);
    clock.advance(1);
    await manager.getToken();
    expect(fetchToken).toHaveBeenCalledTimes(2);
  });

  it('counts the lifetime (exp - iat) from arrival, so a wrong browser clock still caches', async () => {
    const clock = fakeClock();
    // The server's clock is an hour ahead of the browser's.
    const fetchToken = jest.fn(async () => betterAuthLikeJwt('u', clock.seconds() + 3600));
    const manager = createTokenManager({ fetchToken, now: clock.now });

    const first = await manager.getToken();
    clock.advance(600);
    expect(await manager.getToken()).toBe(first);
    expect(fetchToken).toHaveBeenCalledTimes(1);
  });

  it('uses the absolute exp when the token has no iat', async () => {
    const clock = fakeClock();
    const fetchToken = jest.fn(async () => makeJwt({ exp: clock.seconds() + 60 }));
    const manager = createTokenManager({ fetchToken, now: clock.now });

    await manager.getToken();
    clock.advance(29);
    await manager.getToken();
    expect(fetchToken).toHaveBeenCalledTimes(1);
    clock.advance(1);
    await manager.getToken();
    expect(fetchToken).toHaveBeenCalledTimes(2);
  });

  it('hands out a token without a readable exp but never caches it', async () => {
    const fetchToken = jest.fn(async () => 'opaque-token');
    const manager = createTokenManager({ fetchToken });

    expect(await manager.getToken()).toBe('opaque-token');
    expect(await manager.getToken()).toBe('opaque-token');
    expect(fetchToken).toHaveBeenCalledTimes(2);
  });

  it('returns null without a session, and asks again next time', async () => {
    const fetchToken = jest.fn(async () => null);
    const manager = createTokenManager({ fetchToken });

    expect(await manager.getToken()).toBeNull();
    expect(await manager.getToken()).toBeNull();
    expect(fetchToken).toHaveBeenCalledTimes(2);
  });

  it('does not let a failed fetch poison the cache: every waiter gets the error, the next call retries', async () => {
    const clock = fakeClock();
    const gate = deferred<string>();
    const fetchToken = jest
      .fn<Promise<string | null>, []>()
      .mockImplementationOnce(() => gate.promise)
      .mockImplementation(async () => betterAuthLikeJwt('u', clock.seconds()));
    const manager = createTokenManager({ fetchToken, now: clock.now });

    const waiters = Array.from({ length: 10 }, () => manager.getToken());
    gate.reject(new Error('offline'));
    const settled = await Promise.allSettled(waiters);
    expect(settled.every((r) => r.status === 'rejected')).toBe(true);
    expect(fetchToken).toHaveBeenCalledTimes(1);

    expect(await manager.getToken()).toEqual(expect.any(String));
    expect(fetchToken).toHaveBeenCalledTimes(2);
  });

  it('recovers from a fetchToken that throws synchronously', async () => {
    const clock = fakeClock();
    const fetchToken = jest
      .fn<Promise<string | null>, []>()
      .mockImplementationOnce(() => {
        throw new Error('boom');
      })
      .mockImplementation(async () => betterAuthLikeJwt('u', clock.seconds()));
    const manager = createTokenManager({ fetchToken, now: clock.now });

    await expect(manager.getToken()).rejects.toThrow('boom');
    expect(await manager.getToken()).toEqual(expect.any(String));
  });

  it('keeps the old token when a forced refresh fails', async () => {
    const clock = fakeClock();
    const fetchToken = jest
      .fn<Promise<string | null>, []>()
      .mockImplementationOnce(async () => betterAuthLikeJwt('u', clock.seconds()))
      .mockRejectedValueOnce(new Error('offline'));
    const manager = createTokenManager({ fetchToken, now: clock.now });

    const first = await manager.getToken();
    await expect(manager.refresh()).rejects.toThrow('offline');
    expect(await manager.getToken()).toBe(first);
  });

  describe('clear()', () => {
    it('forgets the cached token', async () => {
      const clock = fakeClock();
      const fetchToken = minting(clock);
      const manager = createTokenManager({ fetchToken, now: clock.now });

      const first = await manager.getToken();
      manager.clear();
      expect(await manager.getToken()).not.toBe(first);
      expect(fetchToken).toHaveBeenCalledTimes(2);
    });

    it('during a fetch: the old token is neither returned nor cached', async () => {
      const clock = fakeClock();
      const gate = deferred<string>();
      const oldToken = betterAuthLikeJwt('old-user', clock.seconds());
      const newToken = betterAuthLikeJwt('new-user', clock.seconds());
      const fetchToken = jest
        .fn<Promise<string | null>, []>()
        .mockImplementationOnce(() => gate.promise)
        .mockImplementation(async () => newToken);
      const manager = createTokenManager({ fetchToken, now: clock.now });

      const pending = manager.getToken();
      manager.clear();
      gate.resolve(oldToken);

      expect(await pending).toBeNull();
      expect(await manager.getToken()).toBe(newToken);
      expect(fetchToken).toHaveBeenCalledTimes(2);
    });

    it('during a fetch: a late old fetch does not overwrite the token fetched after the clear', async () => {
      const clock = fakeClock();
      const oldGate = deferred<string>();
      const newGate = deferred<string>();
      const oldToken = betterAuthLikeJwt('old-user', clock.seconds());
      const newToken = betterAuthLikeJwt('new-user', clock.seconds());
      const fetchToken = jest
        .fn<Promise<string | null>, []>()
        .mockImplementationOnce(() => oldGate.promise)
        .mockImplementationOnce(() => newGate.promise);
      const manager = createTokenManager({ fetchToken, now: clock.now });

      const beforeClear = manager.getToken();
      manager.clear();
      const afterClear = manager.getToken();
      newGate.resolve(newToken);
      expect(await afterClear).toBe(newToken);
      oldGate.resolve(oldToken);
      expect(await beforeClear).toBeNull();

      expect(await manager.getToken()).toBe(newToken);
      expect(fetchToken).toHaveBeenCalledTimes(2);
    });
  });

  describe('refresh()', () => {
    it('fetches even when the cached token is fresh', async () => {
      const clock = fakeClock();
      const fetchToken = minting(clock);
      const manager = createTokenManager({ fetchToken, now: clock.now });

      const first = await manager.getToken();
      const second = await manager.refresh();
      expect(second).not.toBe(first);
      expect(await manager.getToken()).toBe(second);
    });

    it('makes one fetch for 100 concurrent refreshes', async () => {
      const clock = fakeClock();
      const fetchToken = minting(clock);
      const manager = createTokenManager({ fetchToken, now: clock.now });

      await manager.getToken();
      const results = await Promise.all(Array.from({ length: 100 }, () => manager.refresh()));
      expect(fetchToken).toHaveBeenCalledTimes(2);
      expect(new Set(results).size).toBe(1);
    });

    it('with the rejected token: returns a different fresh cached token without fetching', async () => {
      const clock = fakeClock();
      const fetchToken = minting(clock);
      const manager = createTokenManager({ fetchToken, now: clock.now });

      const stale = await manager.getToken();
      const fresh = await manager.refresh(stale);
      expect(await manager.refresh(stale)).toBe(fresh);
      expect(fetchToken).toHaveBeenCalledTimes(2);
      expect(await manager.refresh(fresh)).not.toBe(fresh);
      expect(fetchToken).toHaveBeenCalledTimes(3);
    });
  });
});
