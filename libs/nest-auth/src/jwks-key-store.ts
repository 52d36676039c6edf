import { Logger } from '@nestjs/common';
import {
  createLocalJWKSet,
  errors,
  importSPKI,
  type CryptoKey,
  type FlattenedJWSInput,
  type JSONWebKeySet,
  type JWSHeaderParameters,
  type KeyObject,
} from 'jose';
import { AUTH_LOGGER_CONTEXT } from './auth-internal.constants';
import type { ResolvedAuthOptions } from './auth-module-options';
import { JwksUnavailableError } from './auth.errors';
import { quoteUntrusted } from './untrusted-text';

/**
 * Finds the public key for a token's protected header (jose's `JWTVerifyGetKey` shape). The
 * module provides one as `AUTH_KEY_STORE` (the JWKS of `jwksUrl`, or the offline `keys`);
 * give your own through the `keyStore` option. Throw jose's `errors.JWKSNoMatchingKey` for a
 * key you do not have (401 `unknown_key`) and {@link JwksUnavailableError} when you cannot
 * tell right now (503 with `Retry-After`).
 *
 * @example
 * class SharedKeyStore implements KeyStore {
 *   constructor(private readonly redis: Redis) {}
 *   async getKey(header: JWSHeaderParameters) {
 *     const jwk = await this.redis.hget('jwks', header.kid ?? '');
 *     if (!jwk) throw new errors.JWKSNoMatchingKey();
 *     return importJWK(JSON.parse(jwk), header.alg) as Promise<CryptoKey>;
 *   }
 * }
 * AuthModule.forRoot({ issuer, keyStore: new SharedKeyStore(redis) });
 */
export interface KeyStore {
  getKey(header: JWSHeaderParameters, token: FlattenedJWSInput): Promise<CryptoKey | KeyObject>;
}

type LocalSet = ReturnType<typeof createLocalJWKSet>;

/**
 * Refetches an unknown `kid` may start at once, before the bucket runs dry. Three covers a
 * rotation right after a fetch, a second one soon after (or a JWKS replica that lags behind
 * the signer), and a stray foreign token, without giving a flood more than a handful.
 */
export const UNKNOWN_KID_BURST = 3;
/** Kids remembered as just proven unknown; the oldest is forgotten first. */
const PROVEN_UNKNOWN_MAX = 1_000;
/** Longer kids are not remembered (no real key has one), so memory stays bounded. */
const PROVEN_UNKNOWN_KID_MAX_LENGTH = 256;

/**
 * A token bucket: `capacity` takes at once, refilled continuously at one per `intervalMs`.
 * Hand-written: a few lines, and a library would add a dependency for no gain.
 */
class TokenBucket {
  private tokens: number;
  private refilledAt: number;

  constructor(
    private readonly capacity: number,
    private readonly intervalMs: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.refilledAt = now;
  }

  take(now: number): boolean {
    if (this.intervalMs === 0) return true;
    const refill = (now - this.refilledAt) / this.intervalMs;
    this.tokens = Math.min(this.capacity, this.tokens + Math.max(refill, 0));
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/**
 * Keys fetched from a JWKS URL. Built on jose's `createLocalJWKSet` for key selection
 * rather than on `createRemoteJWKSet`, because the latter (a) drops every cached key as soon
 * as `cacheMaxAge` passes and the refetch fails, so a JWKS outage breaks tokens whose key was
 * known, and (b) has no cooldown after a failed fetch, so random `kid`s during an outage fetch
 * the JWKS on every request.
 *
 * When the key set is fetched:
 * - on first use, and when it is older than `cacheMaxAgeMs` (at most once per `cooldownMs`;
 *   a failed refresh keeps the keys already known);
 * - when a token names a `kid` that is not in it. A key rotated in right after a fetch must
 *   work at once (a 401 for the next 30 s is what users hit after `issuer.rotate()` or a
 *   Better Auth rotation), yet random kids must not turn into a fetch each. So an unknown kid
 *   refetches only with a token from a bucket of {@link UNKNOWN_KID_BURST}, refilled at one
 *   per `cooldownMs`; concurrent requests share the fetch under way (single flight); and a
 *   kid that a fetch has just proven unknown is answered 401 without a fetch for `cooldownMs`
 *   (so one stale client repeating its token does not drain the bucket for everyone).
 *   Bound: over any window of T ms, unknown kids cause at most
 *   `UNKNOWN_KID_BURST + T / cooldownMs` fetches, however many requests carry them. During a
 *   sustained flood a genuine rotation waits for the next refill, at most `cooldownMs`.
 * - never while the last fetch failed less than `cooldownMs` ago: the key set is then
 *   reported unavailable (503 + Retry-After) for a kid it does not know.
 */
export class RemoteJwksKeyStore implements KeyStore {
  private readonly logger = new Logger(AUTH_LOGGER_CONTEXT);
  private local?: LocalSet;
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private attemptedAt = Number.NEGATIVE_INFINITY;
  private lastAttemptFailed = false;
  private pending?: Promise<void>;
  private readonly unknownKidFetches: TokenBucket;
  /** kid -> until when it is known to be unknown (insertion order = age). */
  private readonly provenUnknown = new Map<string, number>();
  /** Number of fetches started; exposed for tests and diagnostics. */
  fetches = 0;

  constructor(
    private readonly url: string,
    private readonly settings: ResolvedAuthOptions['jwks'],
    /** The clock, in ms; read on every call so that tests can move time. */
    private readonly now: () => number = () => Date.now(),
  ) {
    this.unknownKidFetches = new TokenBucket(UNKNOWN_KID_BURST, settings.cooldownMs, now());
  }

  async getKey(header: JWSHeaderParameters, token: FlattenedJWSInput) {
    if (!this.local) {
      await this.refresh('first use');
    } else if (this.now() >= this.fetchedAt + this.settings.cacheMaxAgeMs && !this.coolingDown()) {
      // Stale: try to refresh, but keep the known keys if the JWKS is down.
      await this.refresh('cache expired').catch(() => undefined);
    }
    try {
      return await (this.local as LocalSet)(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      return this.refetchForUnknownKid(header, token, error);
    }
  }

  /** The kid is not in the key set: refetch if the bounds above allow it, else refuse. */
  private async refetchForUnknownKid(
    header: JWSHeaderParameters,
    token: FlattenedJWSInput,
    notFound: errors.JWKSNoMatchingKey,
  ) {
    const kid: unknown = header.kid;
    // A JWK's kid is a string: no fetch can bring a key for a kid of another type.
    if (kid !== undefined && typeof kid !== 'string') throw notFound;
    const name = kid ?? '';
    if (this.isProvenUnknown(name)) throw notFound;
    if (this.pending) {
      // A fetch is under way (e.g. for this very rotation): use its result, start no other.
      await this.pending;
      return (this.local as LocalSet)(header, token);
    }
    if (this.lastAttemptFailed && this.coolingDown()) throw this.unavailable();
    if (!this.unknownKidFetches.take(this.now())) {
      throw this.lastAttemptFailed ? this.unavailable() : notFound;
    }
    await this.refresh(`unknown kid ${quoteUntrusted(kid)}`);
    try {
      return await (this.local as LocalSet)(header, token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey) this.rememberUnknown(name);
      throw error;
    }
  }

  /** Consulted only after a miss in the current key set, so a kid that a later fetch
   * brought in is found there first and never held back by this memory. */
  private isProvenUnknown(kid: string): boolean {
    const until = this.provenUnknown.get(kid);
    if (until === undefined) return false;
    if (this.now() < until) return true;
    this.provenUnknown.delete(kid);
    return false;
  }

  private rememberUnknown(kid: string): void {
    if (kid.length > PROVEN_UNKNOWN_KID_MAX_LENGTH || this.settings.cooldownMs === 0) return;
    this.provenUnknown.delete(kid);
    if (this.provenUnknown.size >= PROVEN_UNKNOWN_MAX) {
      this.provenUnknown.delete(this.provenUnknown.keys().next().value as string);
    }
    this.provenUnknown.set(kid, this.now() + this.settings.cooldownMs);
  }

  private coolingDown(): boolean {
    return this.now() < this.attemptedAt + this.settings.cooldownMs;
  }

  private unavailable(cause?: unknown): JwksUnavailableError {
    const waitMs = Math.max(this.attemptedAt + this.settings.cooldownMs - this.now(), 1000);
    return new JwksUnavailableError(
      `The signing keys (JWKS) at ${this.url} could not be fetched and the token's key is not cached; retry later.`,
      Math.ceil(waitMs / 1000),
      { cause },
    );
  }

  /** Fetches the key set once at a time; throws {@link JwksUnavailableError} on failure. */
  private refresh(why: string): Promise<void> {
    if (!this.local && this.lastAttemptFailed && this.coolingDown()) {
      return Promise.reject(this.unavailable());
    }
    this.pending ??= this.fetchOnce(why).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async fetchOnce(why: string): Promise<void> {
    this.attemptedAt = this.now();
    this.fetches++;
    this.logger.debug(`Fetching JWKS from ${this.url} (${why})`);
    try {
      const response = await fetch(this.url, {
        headers: { accept: 'application/json, application/jwk-set+json' },
        redirect: 'manual',
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      if (response.status !== 200) {
        throw new Error(`HTTP ${response.status} from the JWKS endpoint`);
      }
      const json = (await response.json()) as JSONWebKeySet;
      this.local = createLocalJWKSet(json);
      this.fetchedAt = this.now();
      this.lastAttemptFailed = false;
    } catch (cause) {
      this.lastAttemptFailed = true;
      const reason =
        cause instanceof Error && cause.name === 'TimeoutError'
          ? `timed out after ${this.settings.timeoutMs} ms`
          : cause instanceof Error
            ? cause.message
            : String(cause);
      this.logger.warn(`JWKS fetch from ${this.url} failed: ${reason}`);
      throw this.unavailable(cause);
    }
  }
}

/** Offline mode: a JWKS object given in the options. No network, ever. */
export class StaticJwksKeyStore implements KeyStore {
  private readonly local: LocalSet;

  constructor(jwks: JSONWebKeySet) {
    this.local = createLocalJWKSet(jwks);
  }

  getKey(header: JWSHeaderParameters, token: FlattenedJWSInput) {
    return this.local(header, token);
  }
}

/** Offline mode: one PEM (SPKI) public key, imported for the token's algorithm. */
export class PemKeyStore implements KeyStore {
  private readonly imported = new Map<string, Promise<CryptoKey>>();

  constructor(private readonly pem: string) {}

  getKey(header: JWSHeaderParameters) {
    const alg = header.alg as string;
    let key = this.imported.get(alg);
    if (!key) {
      key = importSPKI(this.pem, alg);
      this.imported.set(alg, key);
      key.catch(() => this.imported.delete(alg));
    }
    return key.catch((cause: unknown) => {
      throw new errors.JWKSNoMatchingKey(`the configured PEM key cannot verify ${alg} signatures`, {
        cause,
      });
    });
  }
}

/** Picks the key store the options ask for: the default of `AUTH_KEY_STORE`. */
export function createKeyStore(options: ResolvedAuthOptions): KeyStore {
  if (typeof options.keys === 'string') return new PemKeyStore(options.keys);
  if (options.keys) return new StaticJwksKeyStore(options.keys);
  return new RemoteJwksKeyStore(options.jwksUrl, options.jwks);
}
