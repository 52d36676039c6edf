import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import {
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
} from 'jose';
import type { AuthUser } from './auth-user.interface';
import {
  AUTH_LOGGER_CONTEXT,
  AUTH_RESOLVED_OPTIONS,
  AUTH_REVOCATION_LIST,
} from './auth-internal.constants';
import { AUTH_KEY_STORE } from './auth.constants';
import { JwksUnavailableError, TokenRejectedError, type TokenRejectionReason } from './auth.errors';
import type { ResolvedAuthOptions } from './auth-module-options';
import { createKeyStore, type KeyStore } from './jwks-key-store';
import { isCanonicalCompactJws } from './compact-jws';
import type { RevocationList } from './revocation-list';
import { isoTime, printableUntrusted, quoteUntrusted } from './untrusted-text';
import { VerifiedTokenCache } from './verified-token-cache';

/**
 * Verifies Better Auth JWTs with jose: signature against the JWKS (or the offline keys),
 * algorithm allow-list, `iss`, `aud`, `exp`/`nbf` with clock tolerance, required claims and
 * size. The one place where cryptography happens: the guard, the GraphQL and WebSocket
 * paths and the Passport strategy all call it. Inject it to authenticate custom contexts.
 * Keys come from the {@link KeyStore} provided as `AUTH_KEY_STORE`.
 *
 * With a `revocation` source, a token of a revoked session or user is refused
 * (`session_revoked`, `user_revoked`), whether it comes from the cache or not.
 *
 * Throws {@link TokenRejectedError} (401) or {@link JwksUnavailableError} (503).
 *
 * @example
 * @Injectable()
 * export class QueueAuth {
 *   constructor(private readonly verifier: TokenVerifier) {}
 *   userFor(message: { token: string }): Promise<AuthUser> {
 *     return this.verifier.verify(message.token);
 *   }
 * }
 */
@Injectable()
export class TokenVerifier {
  private readonly logger = new Logger(AUTH_LOGGER_CONTEXT);
  private readonly cache?: VerifiedTokenCache;
  /** jose's options and key resolver, built once rather than on every verification. */
  private readonly joseOptions: JWTVerifyOptions;
  private readonly getKey: JWTVerifyGetKey;

  constructor(
    @Inject(AUTH_RESOLVED_OPTIONS) private readonly options: ResolvedAuthOptions,
    @Inject(AUTH_KEY_STORE) private readonly keyStore: KeyStore = createKeyStore(options),
    @Optional()
    @Inject(AUTH_REVOCATION_LIST)
    private readonly revocations?: RevocationList,
  ) {
    if (options.verifiedTokenCache) {
      this.cache = new VerifiedTokenCache(options.verifiedTokenCache.maxEntries);
    }
    const { issuer, audience, algorithms, clockToleranceSeconds, requiredClaims } = options;
    this.joseOptions = {
      issuer,
      audience,
      algorithms,
      clockTolerance: clockToleranceSeconds,
      requiredClaims,
    };
    this.getKey = (header, input) => this.keyStore.getKey(header, input);
  }

  /**
   * Returns the caller a token vouches for, or throws why it does not
   * ({@link TokenRejectedError}, {@link JwksUnavailableError}).
   *
   * @example
   * const user = await verifier.verify(token);
   */
  async verify(token: string): Promise<AuthUser> {
    return this.verifyCached(token) ?? this.verifyUncached(token);
  }

  /**
   * The caller of a token verified before and still within its `exp`, with no cryptography
   * and no promise: what the guard uses on the path most requests take. `undefined` when the
   * token must be verified with {@link verify} (not seen yet, or the cache is off). Throws a
   * {@link TokenRejectedError} for a token refused before any parsing (empty, too large, not
   * canonical base64url).
   *
   * @example
   * const user = verifier.verifyCached(token) ?? (await verifier.verify(token));
   */
  verifyCached(token: string): AuthUser | undefined {
    if (typeof token !== 'string' || token.length === 0) {
      throw new TokenRejectedError('missing_token', 'No bearer token was sent.');
    }
    // Both checks come before any parsing or cryptography, and before anything enters the
    // cache, so a token has one spelling and one cache entry. A canonical token is pure ASCII,
    // so its length is its size in bytes; a longer string is refused without being read.
    if (token.length > this.options.maxTokenBytes) {
      throw new TokenRejectedError(
        'token_too_large',
        `The token is larger than ${this.options.maxTokenBytes} bytes (maxTokenBytes).`,
      );
    }
    // The cache holds only tokens that passed the check below, so a hit is one of them and
    // skips re-reading every character of it; a miss is checked before anything else.
    const user = this.cache?.get(token);
    if (!user && !isCanonicalCompactJws(token)) {
      throw new TokenRejectedError(
        'malformed_token',
        'The token is not a well-formed JWT: it must be three non-empty segments of canonical base64url (A-Z a-z 0-9 - _, no padding).',
      );
    }
    if (user && this.revocations) {
      const revoked = this.revocations.check(user.claims);
      if (revoked) throw revoked;
    }
    return user;
  }

  private async verifyUncached(token: string): Promise<AuthUser> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.getKey, this.joseOptions));
    } catch (error) {
      throw this.explain(error, token);
    }
    if (typeof payload.sub !== 'string' || payload.sub.length === 0) {
      throw new TokenRejectedError('invalid_claim', 'The "sub" claim must be a non-empty string.');
    }
    const { clockToleranceSeconds } = this.options;
    const nowSeconds = Date.now() / 1000;
    if (typeof payload.iat === 'number' && payload.iat > nowSeconds + clockToleranceSeconds) {
      throw new TokenRejectedError(
        'invalid_claim',
        `The token's "iat" (${isoTime(payload.iat)}) is in the future; check the issuer's clock.`,
      );
    }
    if (this.revocations) {
      const lifetime = (payload.exp as number) - (payload.iat ?? 0);
      if (typeof payload.iat !== 'number' || lifetime > this.options.maxTokenLifetimeSeconds) {
        throw new TokenRejectedError(
          'invalid_claim',
          `The token lives longer than ${this.options.maxTokenLifetimeSeconds} s (maxTokenLifetimeSeconds), beyond what revocation covers.`,
        );
      }
      const revoked = this.revocations.check(payload);
      if (revoked) throw revoked;
    }
    // Frozen: a cached user is shared by every request that presents the same token.
    const user = Object.freeze(toAuthUser(Object.freeze(payload), this.options.rolesClaim));
    this.cache?.set(token, user, ((payload.exp as number) + clockToleranceSeconds) * 1000);
    return user;
  }

  /** Turns a jose error into a rejection a developer can act on; anything else is rethrown. */
  private explain(error: unknown, token: string): unknown {
    if (error instanceof JwksUnavailableError) return error;
    const code = (error as { code?: string } | null)?.code;
    const claim = (error as { claim?: string }).claim;
    const reject = (reason: TokenRejectionReason, message: string) =>
      new TokenRejectedError(reason, message);
    const { issuer, audience, algorithms, clockToleranceSeconds: tolerance } = this.options;
    switch (code) {
      case errors.JWTExpired.code: {
        const exp = (error as errors.JWTExpired).payload.exp;
        return reject(
          'token_expired',
          `The token expired at ${isoTime(exp)} (clock tolerance ${tolerance} s); get a fresh one from /api/auth/token.`,
        );
      }
      case errors.JWTClaimValidationFailed.code: {
        const reason = (error as errors.JWTClaimValidationFailed).reason;
        const payload = (error as errors.JWTClaimValidationFailed).payload;
        if (reason === 'missing') {
          return reject('missing_claim', `The token has no "${claim}" claim, which is required.`);
        }
        if (claim === 'iss') {
          return reject(
            'wrong_issuer',
            `The token's issuer ${quoteUntrusted(payload.iss)} is not the expected ${JSON.stringify(issuer)}.`,
          );
        }
        if (claim === 'aud') {
          return reject(
            'wrong_audience',
            `The token's audience ${quoteUntrusted(payload.aud)} does not include ${JSON.stringify(audience)}.`,
          );
        }
        if (claim === 'nbf' && reason === 'check_failed') {
          return reject(
            'token_not_yet_valid',
            `The token is not valid before ${isoTime(payload.nbf)} (clock tolerance ${tolerance} s).`,
          );
        }
        return reject('invalid_claim', `The token's ${quoteUntrusted(claim)} claim is invalid.`);
      }
      case errors.JOSEAlgNotAllowed.code:
        return reject(
          'algorithm_not_allowed',
          `The token is signed with ${quoteUntrusted(safeHeader(token).alg)}, which is not among the accepted algorithms (${algorithms.join(', ')}).`,
        );
      case errors.JWKSNoMatchingKey.code:
      case errors.JWKSMultipleMatchingKeys.code:
        return reject(
          'unknown_key',
          `No signing key matches the token's kid ${quoteUntrusted(safeHeader(token).kid)}; it was not issued by ${issuer}, or with a key it no longer publishes.`,
        );
      case errors.JWSSignatureVerificationFailed.code:
        return reject('invalid_signature', 'The token signature is invalid.');
      case errors.JWSInvalid.code:
      case errors.JWTInvalid.code:
      case errors.JOSENotSupported.code:
      case errors.JWKInvalid.code:
        return reject(
          'malformed_token',
          `The token is not a well-formed signed JWT (${printableUntrusted((error as Error).message)}).`,
        );
      default:
        if (error instanceof TypeError && /Invalid (Compact JWS|JWS|JWT)/i.test(error.message)) {
          return reject('malformed_token', 'The token is not a well-formed signed JWT.');
        }
        this.logger.debug(
          `Unexpected verification error: ${printableUntrusted(String((error as Error)?.message))}`,
        );
        return error;
    }
  }
}

function safeHeader(token: string): Record<string, unknown> {
  try {
    return decodeProtectedHeader(token) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** The typed view of a verified token's claims. */
export function toAuthUser(claims: JWTPayload, rolesClaim = 'role'): AuthUser {
  const user: AuthUser = { id: claims.sub as string, claims };
  if (typeof claims.sid === 'string') user.sessionId = claims.sid;
  if (typeof claims.email === 'string') user.email = claims.email;
  if (typeof claims.name === 'string') user.name = claims.name;
  const role = claims[rolesClaim];
  if (typeof role === 'string') user.role = role;
  else if (Array.isArray(role) && role.every((r) => typeof r === 'string')) user.role = role;
  return user;
}
