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
import { AUTH_LOGGER_CONTEXT } from './auth.constants';
import type { ResolvedAuthOptions } from './auth-module-options';
import { JwksUnavailableError } from './auth.errors';

/** Finds the public key for a token's protected header (jose's `JWTVerifyGetKey` shape). */
export interface KeyStore {
  getKey(header: JWSHeaderParameters, token: FlattenedJWSInput): Promise<CryptoKey | KeyObject>;
}

type LocalSet = ReturnType<typeof createLocalJWKSet>;

/**
 * Keys fetched from a JWKS URL. Built on jose's `createLocalJWKSet` for key selection
 * rather than on `createRemoteJWKSet`, because the latter (a) drops every cached key as soon
 * as `cacheMaxAge` passes and the refetch fails, so a JWKS outage breaks tokens whose key was
 * known, and (b) has no cooldown after a failed fetch, so random `kid`s during an outage fetch
 * the JWKS on every request. Here: stale keys are kept when a refresh fails, every
 * token-triggered fetch is spaced by `cooldownMs`, and fetches are single-flight.
 */
export class RemoteJwksKeyStore implements KeyStore {
  private readonly logger = new Logger(AUTH_LOGGER_CONTEXT);
  private local?: LocalSet;
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private attemptedAt = Number.NEGATIVE_INFINITY;
  private lastAttemptFailed = false;
  private pending?: Promise<void>;
  /** Number of fetches started; exposed for tests and diagnostics. */
  fetches = 0;

  constructor(
    private readonly url: string,
    private readonly settings: ResolvedAuthOptions['jwks'],
    private readonly now: () => number = Date.now,
  ) {}

  async getKey(header: JWSHeaderParameters, token: FlattenedJWSInput) {
    if (!this.local) {
      await this.refresh('first use');
    } else if (this.now() >= this.fetchedAt + this.settings.cacheMaxAgeMs && !this.coolingDown()) {
      // Stale: try to refresh, but keep the known keys if the JWKS is down.
      await this.refresh('cache expired').catch(() => undefined);
    }
    const local = this.local as LocalSet;
    try {
      return await local(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      if (this.pending) {
        await this.pending; // a fetch is under way (e.g. for this very rotation): use its result
      } else if (this.coolingDown()) {
        if (this.lastAttemptFailed) throw this.unavailable();
        throw error;
      } else {
        await this.refresh(`unknown kid ${JSON.stringify(header.kid ?? null)}`);
      }
      return (this.local as LocalSet)(header, token);
    }
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

/** Picks the key store the options ask for. */
export function createKeyStore(options: ResolvedAuthOptions): KeyStore {
  if (typeof options.keys === 'string') return new PemKeyStore(options.keys);
  if (options.keys) return new StaticJwksKeyStore(options.keys);
  return new RemoteJwksKeyStore(options.jwksUrl, options.jwks);
}
