import {
  accountKey,
  addressKey,
  backoffSeconds,
  createSignInGuard,
  DEFAULT_BACKOFF,
  secondsLeft,
  type FailureRecord,
  type FailureStore,
} from './failures';

/** The store's contract in memory (the real ones are tested in test/rate-limit.test.ts). */
function memoryStore(): FailureStore & { rows: Map<string, FailureRecord> } {
  const rows = new Map<string, FailureRecord>();
  return {
    rows,
    async record(key, now, forgetAfterMs) {
      const old = rows.get(key);
      const fresh = !old || old.lastFailureAt <= now - forgetAfterMs;
      const record = {
        failures: fresh ? 1 : old.failures + 1,
        lastFailureAt: Math.max(old?.lastFailureAt ?? now, now),
      };
      rows.set(key, record);
      return record;
    },
    async read(key) {
      return rows.get(key) ?? null;
    },
    async clear(key) {
      rows.delete(key);
    },
  };
}

function setup() {
  let now = 1_700_000_000_000;
  const store = memoryStore();
  const guard = createSignInGuard(store, { clock: () => now });
  return { store, guard, advance: (seconds: number) => (now += seconds * 1000) };
}

describe('backoffSeconds', () => {
  it('is free for two failures, then 10 s doubling, capped at 15 min', () => {
    const waits = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 50].map((n) => backoffSeconds(n));
    expect(waits).toEqual([0, 0, 10, 20, 40, 80, 160, 320, 640, 900, 900]);
  });
});

describe('secondsLeft', () => {
  it('counts down with the clock and ends at the back-off', () => {
    const record = { failures: 3, lastFailureAt: 0 };
    expect(secondsLeft(record, 0)).toBe(10);
    expect(secondsLeft(record, 2_500)).toBe(8);
    expect(secondsLeft(record, 9_999)).toBe(1);
    expect(secondsLeft(record, 10_000)).toBe(0);
    expect(secondsLeft(null, 0)).toBe(0);
  });
});

describe('createSignInGuard', () => {
  it('never counts correct passwords: many sign-ins in a row all go ahead', async () => {
    const { guard, store } = setup();
    for (let i = 0; i < 10; i++) {
      expect(await guard.waitFor('ada@example.com', '203.0.113.1')).toBe(0);
      await guard.succeeded('ada@example.com');
    }
    expect(store.rows.size).toBe(0);
  });

  it('lets a user who mistyped twice in', async () => {
    const { guard } = setup();
    await guard.failed('ada@example.com', '203.0.113.1');
    await guard.failed('ada@example.com', '203.0.113.1');
    expect(await guard.waitFor('ada@example.com', '203.0.113.1')).toBe(0);
  });

  it('backs off after the 3rd failure, longer with each further one', async () => {
    const { guard, advance } = setup();
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      await guard.failed('ada@example.com', '203.0.113.1');
      const wait = await guard.waitFor('ada@example.com', '203.0.113.1');
      waits.push(wait);
      advance(wait); // the user waits the whole back-off, then fails again
    }
    expect(waits).toEqual([0, 0, 10, 20, 40, 80]);
  });

  it('blocks the account from any address (a correct password too) while under attack', async () => {
    const { guard, advance } = setup();
    for (let i = 0; i < 3; i++) await guard.failed('ada@example.com', `198.51.100.${i}`);
    // Ada, from her own address, with her right password: refused until the back-off ends.
    expect(await guard.waitFor('ada@example.com', '203.0.113.1')).toBe(10);
    advance(4);
    expect(await guard.waitFor('ada@example.com', '203.0.113.1')).toBe(6);
    advance(6);
    expect(await guard.waitFor('ada@example.com', '203.0.113.1')).toBe(0);
  });

  it('blocks an address that fails on many accounts, not other addresses', async () => {
    const { guard } = setup();
    for (const who of ['a', 'b', 'c']) await guard.failed(`${who}@example.com`, '198.51.100.7');
    expect(await guard.waitFor('d@example.com', '198.51.100.7')).toBe(10);
    expect(await guard.waitFor('d@example.com', '203.0.113.1')).toBe(0);
    expect(await guard.waitFor('a@example.com', '203.0.113.1')).toBe(0);
  });

  it('a success clears the account counter, not the address counter', async () => {
    const { guard, store } = setup();
    await guard.failed('ada@example.com', '198.51.100.7');
    await guard.failed('ada@example.com', '198.51.100.7');
    await guard.succeeded('ada@example.com');
    expect(store.rows.has(accountKey('ada@example.com'))).toBe(false);
    expect(store.rows.get(addressKey('198.51.100.7'))?.failures).toBe(2);
  });

  it('forgets failures after a quiet 15 minutes', async () => {
    const { guard, advance } = setup();
    for (let i = 0; i < 3; i++) await guard.failed('ada@example.com', '203.0.113.1');
    advance(DEFAULT_BACKOFF.forgetAfterSeconds);
    await guard.failed('ada@example.com', '203.0.113.1');
    expect(await guard.waitFor('ada@example.com', '203.0.113.1')).toBe(0);
  });

  it('normalises the email: case and spaces name one account, stored hashed', async () => {
    const { guard, store } = setup();
    for (const email of ['Ada@Example.com', ' ada@example.com', 'ADA@EXAMPLE.COM ']) {
      await guard.failed(email, null);
    }
    expect(await guard.waitFor('ada@example.com', null)).toBe(10);
    expect([...store.rows.keys()].join()).not.toContain('ada');
  });
});
