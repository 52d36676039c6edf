import { decodeJwtPayload } from './jwt.js';

/** Options of {@link createTokenManager}. */
export interface TokenManagerOptions {
  /**
   * Gets a new JWT from the auth server, or `null` when there is no session.
   * Throw on a failure (network, 5xx): a throw is reported to the callers and is not cached.
   * With Better Auth: `fromBetterAuthClient(authClient)`.
   */
  fetchToken: () => Promise<string | null>;
  /**
   * A cached token is used only while it has more than this many seconds of life left.
   * Default: 30.
   */
  skewSeconds?: number;
  /** Clock in milliseconds since the epoch. Default: `Date.now`. For tests. */
  now?: () => number;
}

/** An in-memory JWT cache. Holds at most one token, never writes it to any storage. */
export interface TokenManager {
  /** The cached token while it is fresh; otherwise fetches one. Concurrent calls share one fetch. */
  getToken(): Promise<string | null>;
  /**
   * Fetches a new token even if the cached one looks fresh (for example after a 401).
   * Joins a fetch already in flight. Pass the token the API refused as `rejected`: if the cache
   * already holds a different fresh token (another request refreshed first), that one is
   * returned without a new fetch.
   */
  refresh(rejected?: string | null): Promise<string | null>;
  /** Forgets the token and abandons any fetch in flight. Call it on sign-out. */
  clear(): void;
}

interface CachedToken {
  token: string;
  /** Local clock, milliseconds. */
  expiresAt: number;
}

/**
 * The local time at which `token` expires, or `null` if it carries no usable `exp`.
 *
 * The lifetime is `exp - iat` counted from when the token arrived, so a browser whose clock is
 * off by minutes still refreshes on time (Better Auth signs a new token on every /token call,
 * so `iat` is "now" on the server). Without `iat`, the absolute `exp` is used.
 */
function expiresAtOf(token: string, receivedAt: number): number | null {
  const claims = decodeJwtPayload(token);
  const { exp, iat } = claims ?? {};
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return null;
  if (typeof iat === 'number' && Number.isFinite(iat) && exp > iat) {
    return receivedAt + (exp - iat) * 1000;
  }
  return exp * 1000;
}

/**
 * Creates the in-memory JWT cache the API client takes its Bearer tokens from.
 *
 * - `getToken()` returns the cached JWT while it has more than `skewSeconds` of life left,
 *   otherwise fetches a new one; 100 concurrent callers cause one fetch (single flight).
 * - A failed fetch is not cached: the next call tries again.
 * - `clear()` during a fetch wins: that fetch's token is dropped, not cached.
 * - A token without a readable `exp` is handed to the callers of its fetch but never cached.
 *
 * @example
 * export const tokenManager = createTokenManager({
 *   fetchToken: fromBetterAuthClient(authClient),
 * });
 * const jwt = await tokenManager.getToken();
 */
export function createTokenManager(options: TokenManagerOptions): TokenManager {
  const { fetchToken, skewSeconds = 30, now = Date.now } = options;
  const skewMs = skewSeconds * 1000;

  let cached: CachedToken | null = null;
  let inFlight: Promise<string | null> | null = null;
  // Bumped by clear(): a fetch started before a clear() must not write the cache after it.
  let generation = 0;

  const freshToken = (): string | null =>
    cached && cached.expiresAt - now() > skewMs ? cached.token : null;

  const startFetch = (): Promise<string | null> => {
    if (inFlight) return inFlight;
    const startedIn = generation;
    const run = async (): Promise<string | null> => {
      const token = await fetchToken();
      if (startedIn !== generation) return null;
      if (!token) {
        cached = null;
        return null;
      }
      const expiresAt = expiresAtOf(token, now());
      cached = expiresAt === null ? null : { token, expiresAt };
      return token;
    };
    // `.finally` runs asynchronously, so `inFlight` is already assigned when it does,
    // even if fetchToken throws synchronously.
    const flight: Promise<string | null> = run().finally(() => {
      if (inFlight === flight) inFlight = null;
    });
    inFlight = flight;
    return flight;
  };

  return {
    getToken() {
      const token = freshToken();
      return token ? Promise.resolve(token) : startFetch();
    },
    refresh(rejected) {
      if (rejected) {
        const token = freshToken();
        if (token && token !== rejected) return Promise.resolve(token);
      }
      return startFetch();
    },
    clear() {
      generation += 1;
      cached = null;
      inFlight = null;
    },
  };
}
