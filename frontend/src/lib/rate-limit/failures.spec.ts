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

const HASH_KEY = 'test hash key';

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
  const guard = createSignInGuard(store, { hashKey: HASH_KEY, clock: () => now });
  return {
    store,
    guard,
    now: () => now,
    advance: (seconds: number) => (now += seconds * 1000),
  };
}

const ADA = 'ada@example.com';
const HOME = '203.0.113.1';

describe('backoffSeconds', () => {
  it('is free for two failures, then 10 s doubling, capped at 15 min', () => {
    const waits = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 50, 5000].map((n) => backoffSeconds(n));
    expect(waits).toEqual([0, 0, 10, 20, 40, 80, 160, 320, 640, 900, 900, 900]);
  });

  it('starts from the configured first back-off', () => {
    const policy = { ...DEFAULT_BACKOFF, firstBackoffSeconds: 300 };
    expect([3, 4, 5].map((n) => backoffSeconds(n, policy))).toEqual([300, 600, 900]);
  });
});

describe('secondsLeft', () => {
  it('counts down with the clock and ends with the back-off', () => {
    const record = { failures: 3, lastFailureAt: 0 };
    expect(secondsLeft(record, 0)).toBe(10);
    expect(secondsLeft(record, 2_500)).toBe(8);
    expect(secondsLeft(record, 9_999)).toBe(1);
    expect(secondsLeft(record, 10_000)).toBe(0);
    expect(secondsLeft(null, 0)).toBe(0);
  });
});

describe('createSignInGuard', () => {
  it('never counts a correct password: ten sign-ins in a row all go ahead', async () => {
    const { guard, store } = setup();
    for (let i = 0; i < 10; i++) {
      expect(await guard.check(ADA, HOME)).toBeNull();
      await guard.succeeded(ADA);
    }
    expect(store.rows.size).toBe(0);
  });

  it('answers the first failures plainly, and a wrong guess during the back-off "wait"', async () => {
    const { guard } = setup();
    // The 3rd failure starts the back-off; it was not in one, so it is answered plainly.
    for (let i = 0; i < 3; i++) expect(await guard.failed(ADA, HOME)).toBeNull();
    // The 4th comes during it: refused, with the next, doubled back-off.
    expect(await guard.failed(ADA, HOME)).toEqual({ reason: 'backoff', retryAfter: 20 });
    expect(await guard.failed(ADA, HOME)).toEqual({ reason: 'backoff', retryAfter: 40 });
  });

  it('lets a correct password in during a back-off, and that clears the account counter', async () => {
    const { guard, store, now } = setup();
    for (let i = 0; i < 5; i++) await guard.failed(ADA, HOME);
    expect(secondsLeft(store.rows.get(accountKey(ADA, HASH_KEY))!, now())).toBe(40);
    expect(await guard.check(ADA, HOME)).toBeNull(); // checked: the password decides
    await guard.succeeded(ADA);
    expect(store.rows.has(accountKey(ADA, HASH_KEY))).toBe(false);
    // The address keeps its count: another account's password guessed from it still counts.
    expect(store.rows.get(addressKey(HOME))?.failures).toBe(5);
  });

  it('a new password (reset or change) lifts "under attack" on the account, never on the address', async () => {
    const { guard } = setup();
    const stuffer = '198.51.100.7';
    for (let i = 0; i < 10; i++) await guard.failed(ADA, stuffer);
    for (let i = 0; i < 20; i++) await guard.failed(`user${i}@example.com`, stuffer);
    expect(await guard.check(ADA, HOME)).toEqual({ reason: 'under_attack', retryAfter: 900 });
    await guard.passwordChanged(' Ada@Example.com');
    // Ada signs in with her new password at once, from anywhere but the attacker's address.
    expect(await guard.check(ADA, HOME)).toBeNull();
    expect(await guard.check(ADA, stuffer)).toEqual({ reason: 'under_attack', retryAfter: 900 });
  });

  it('grows the wait with each failure the user waits out', async () => {
    const { guard, store, now, advance } = setup();
    const waits: number[] = [];
    for (let i = 0; i < 9; i++) {
      // Each attempt after the whole back-off: never refused, but the next wait doubles.
      expect(await guard.failed(ADA, HOME)).toBeNull();
      const wait = secondsLeft(store.rows.get(accountKey(ADA, HASH_KEY))!, now());
      waits.push(wait);
      advance(wait);
    }
    expect(waits).toEqual([0, 0, 10, 20, 40, 80, 160, 320, 640]);
  });

  it('under attack (10 failures on the account, from anywhere): refused unchecked until the back-off ends', async () => {
    const { guard, advance } = setup();
    for (let i = 0; i < 9; i++) await guard.failed(ADA, `198.51.100.${i}`);
    expect(await guard.check(ADA, HOME)).toBeNull(); // 9: still checked
    await guard.failed(ADA, '198.51.100.9');
    // Ada, from her own address, with her right password: refused before it is checked.
    expect(await guard.check(ADA, HOME)).toEqual({ reason: 'under_attack', retryAfter: 900 });
    advance(600);
    expect(await guard.check(ADA, HOME)).toEqual({ reason: 'under_attack', retryAfter: 300 });
    advance(300);
    // The back-off is over: one attempt is checked again (a right password gets in).
    expect(await guard.check(ADA, HOME)).toBeNull();
    // Another account is not affected.
    expect(await guard.check('bob@example.com', HOME)).toBeNull();
  });

  it('an attacker gets one checked guess per back-off once the account is under attack', async () => {
    const { guard, advance } = setup();
    for (let i = 0; i < 10; i++) await guard.failed(ADA, `198.51.100.${i}`);
    let checked = 0;
    // An hour of one guess a second from fresh addresses: only guesses after a back-off count.
    for (let second = 0; second < 3600; second++) {
      const address = `192.0.2.${second % 250}`;
      if ((await guard.check(ADA, address)) === null) {
        checked++;
        await guard.failed(ADA, address);
      }
      advance(1);
    }
    expect(checked).toBe(3); // at 900, 1800 and 2700 s
  });

  it('credential stuffing: 30 failures from one address on many accounts refuse that address only', async () => {
    const { guard } = setup();
    for (let i = 0; i < 29; i++) await guard.failed(`user${i}@example.com`, '198.51.100.7');
    // 29: in back-off, still checked (a right password from there gets in).
    expect(await guard.check(ADA, '198.51.100.7')).toBeNull();
    await guard.failed('user29@example.com', '198.51.100.7');
    expect(await guard.check(ADA, '198.51.100.7')).toEqual({
      reason: 'under_attack',
      retryAfter: 900,
    });
    expect(await guard.check(ADA, HOME)).toBeNull();
    expect(await guard.check('user0@example.com', HOME)).toBeNull();
  });

  it('forgets a counter after an hour without failures, not sooner', async () => {
    const { guard, store, advance } = setup();
    for (let i = 0; i < 10; i++) await guard.failed(ADA, HOME);
    advance(DEFAULT_BACKOFF.maxBackoffSeconds);
    // The longest back-off is over but the count stands: the next failure locks again.
    await guard.failed(ADA, HOME);
    expect((await guard.check(ADA, HOME))?.reason).toBe('under_attack');
    advance(DEFAULT_BACKOFF.forgetAfterSeconds);
    expect(await guard.check(ADA, HOME)).toBeNull();
    expect(await guard.failed(ADA, HOME)).toBeNull();
    expect(store.rows.get(accountKey(ADA, HASH_KEY))?.failures).toBe(1);
  });

  it('without an address counts the account only', async () => {
    const { guard, store } = setup();
    await guard.failed(ADA, null);
    expect([...store.rows.keys()]).toEqual([accountKey(ADA, HASH_KEY)]);
  });

  it('normalises the email: case and spaces name one account, stored as a keyed hash', async () => {
    const { guard, store } = setup();
    for (const email of ['Ada@Example.com', ' ada@example.com', 'ADA@EXAMPLE.COM ']) {
      await guard.failed(email, null);
    }
    expect(await guard.failed(ADA, null)).toEqual({ reason: 'backoff', retryAfter: 20 });
    expect([...store.rows.keys()].join()).not.toContain('ada');
    expect(accountKey(ADA, HASH_KEY)).not.toBe(accountKey(ADA, 'another secret'));
  });
});
