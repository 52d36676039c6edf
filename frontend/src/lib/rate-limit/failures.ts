import { createHmac } from 'node:crypto';

/**
 * Failed email sign-ins, counted per account and per client address (frontend README,
 * "Rate limiting"). Only failures count, never a correct password, and each counter has
 * two levels:
 * - back-off (from the 3rd failure on, 10 s doubling up to 15 min): the attempt is still
 *   checked; a correct password goes through, a wrong one is answered "wait N s". The real
 *   user who mistyped, or whose account someone else tried a few times, keeps access.
 * - under attack (10 failures on an account, 30 from one address across accounts): while
 *   its back-off runs, every attempt is refused before the password is checked, so an
 *   attacker gets one guess per back-off (at most 15 min) once the first few are spent.
 * A counter forgets after an hour without failures. Time is always read from the injected
 * clock, so the policy is tested without waiting.
 */

export interface BackoffPolicy {
  /** The failure that starts the back-off. */
  backoffFromFailures: number;
  /** The first back-off, in seconds; it doubles with each further failure. */
  firstBackoffSeconds: number;
  /** The longest back-off, in seconds. */
  maxBackoffSeconds: number;
  /**
   * A counter with no failure for this long starts again from zero. Longer than the longest
   * back-off, so an attacker who waits it out meets the same counter, not a fresh one.
   */
  forgetAfterSeconds: number;
  /** Failures on one account that put it under attack. */
  accountAttackFailures: number;
  /** Failures from one address (on any accounts: credential stuffing) that put it under attack. */
  addressAttackFailures: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
  backoffFromFailures: 3,
  firstBackoffSeconds: 10,
  maxBackoffSeconds: 15 * 60,
  forgetAfterSeconds: 60 * 60,
  accountAttackFailures: 10,
  addressAttackFailures: 30,
};

/** Seconds of back-off after `failures` failures: 0, 0, 10, 20, 40 ... capped. */
export function backoffSeconds(failures: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  if (failures < policy.backoffFromFailures) return 0;
  const doublings = Math.min(failures - policy.backoffFromFailures, 30);
  return Math.min(policy.maxBackoffSeconds, policy.firstBackoffSeconds * 2 ** doublings);
}

/** One counter: how many failures, and when the last one was (ms). */
export interface FailureRecord {
  failures: number;
  lastFailureAt: number;
}

/** Where the counters live (shared by every instance). Every method is one atomic step. */
export interface FailureStore {
  /** Counts one failure at `now` (a counter idle for `forgetAfterMs` starts again at 1). */
  record(key: string, now: number, forgetAfterMs: number): Promise<FailureRecord>;
  read(key: string): Promise<FailureRecord | null>;
  clear(key: string): Promise<void>;
}

/** Seconds left of the back-off a record imposes at `now` (0: none, or forgotten). */
export function secondsLeft(
  record: FailureRecord | null,
  now: number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): number {
  if (!record) return 0;
  if (now - record.lastFailureAt >= policy.forgetAfterSeconds * 1000) return 0;
  const until = record.lastFailureAt + backoffSeconds(record.failures, policy) * 1000;
  return until > now ? Math.ceil((until - now) / 1000) : 0;
}

/** Seconds an attempt is refused unchecked: the back-off left of a counter under attack. */
export function underAttackSeconds(
  record: FailureRecord | null,
  attackFailures: number,
  now: number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): number {
  if (!record || record.failures < attackFailures) return 0;
  return secondsLeft(record, now, policy);
}

/**
 * The counters' keys in the shared store: the email as a keyed hash (the limiter's table is
 * no address book, and without the app's secret no word list turns it back), the address
 * as the limiter's own key has it.
 */
export function accountKey(email: string, hashKey: string): string {
  const normalised = email.trim().toLowerCase();
  return `failed-sign-in|account|${createHmac('sha256', hashKey).update(normalised).digest('hex')}`;
}
export function addressKey(address: string): string {
  return `failed-sign-in|address|${address}`;
}

/** The error code of a sign-in the guard refused; `retryAfter` (seconds) is in the body. */
export const TOO_MANY_FAILED_SIGN_INS = 'TOO_MANY_FAILED_SIGN_INS';

/** Why an attempt is answered "wait": checked during a back-off, or refused unchecked. */
export interface SignInRefusal {
  reason: 'backoff' | 'under_attack';
  /** Whole seconds to wait, 1 or more. */
  retryAfter: number;
}

export interface SignInGuard {
  /** Before the password is checked: refused while the account or address is under attack. */
  check(email: string, address: string | null): Promise<SignInRefusal | null>;
  /**
   * A wrong password (or an unknown email): both counters grow. Refused ('backoff', with the
   * new wait) when a back-off was already running at the attempt.
   */
  failed(email: string, address: string | null): Promise<SignInRefusal | null>;
  /** A correct password: the account's counter is cleared (the address's is not, see README). */
  succeeded(email: string): Promise<void>;
  /**
   * The password was reset through the mailed link, or changed in a signed-in session: the
   * guesses counted against the old one are moot, so the account's counter is cleared and
   * the owner can sign in with the new one at once. The address's counter stays.
   */
  passwordChanged(email: string): Promise<void>;
}

/**
 * @example
 * const guard = createSignInGuard(createPostgresFailureStore(pool), { hashKey });
 * const refusal = await guard.check(email, address);
 * if (refusal) throw tooManyAttempts(refusal);
 */
export function createSignInGuard(
  store: FailureStore,
  options: { hashKey: string; clock?: () => number; policy?: BackoffPolicy },
): SignInGuard {
  const clock = options.clock ?? Date.now;
  const policy = options.policy ?? DEFAULT_BACKOFF;
  const forgetAfterMs = policy.forgetAfterSeconds * 1000;
  const keys = (email: string, address: string | null) => ({
    account: accountKey(email, options.hashKey),
    address: address === null ? null : addressKey(address),
  });
  const readBoth = async (email: string, address: string | null) => {
    const k = keys(email, address);
    const [account, byAddress] = await Promise.all([
      store.read(k.account),
      k.address === null ? null : store.read(k.address),
    ]);
    return { account, byAddress };
  };
  return {
    async check(email, address) {
      const { account, byAddress } = await readBoth(email, address);
      const now = clock();
      const wait = Math.max(
        underAttackSeconds(account, policy.accountAttackFailures, now, policy),
        underAttackSeconds(byAddress, policy.addressAttackFailures, now, policy),
      );
      return wait > 0 ? { reason: 'under_attack', retryAfter: wait } : null;
    },
    async failed(email, address) {
      const k = keys(email, address);
      const { account, byAddress } = await readBoth(email, address);
      const now = clock();
      const inBackoff =
        Math.max(secondsLeft(account, now, policy), secondsLeft(byAddress, now, policy)) > 0;
      const recorded = await Promise.all(
        [k.account, k.address]
          .filter((key): key is string => key !== null)
          .map((key) => store.record(key, now, forgetAfterMs)),
      );
      if (!inBackoff) return null;
      const wait = Math.max(...recorded.map((record) => secondsLeft(record, now, policy)));
      return { reason: 'backoff', retryAfter: Math.max(1, wait) };
    },
    async succeeded(email) {
      await store.clear(keys(email, null).account);
    },
    async passwordChanged(email) {
      await store.clear(keys(email, null).account);
    },
  };
}
