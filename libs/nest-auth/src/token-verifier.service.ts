import { Inject, Injectable, Logger } from '@nestjs/common';
import { decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import type { AuthUser } from './auth-user.interface';
import { AUTH_LOGGER_CONTEXT } from './auth.constants';
import { TokenRejectedError, type TokenRejectionReason } from './auth.errors';
import type { ResolvedAuthOptions } from './auth-module-options';
import { AUTH_RESOLVED_OPTIONS } from './auth.module-definition';
import { createKeyStore, type KeyStore } from './jwks-key-store';
import { VerifiedTokenCache } from './verified-token-cache';

/**
 * Verifies Better Auth JWTs with jose: signature against the JWKS (or the offline keys),
 * algorithm allow-list, `iss`, `aud`, `exp`/`nbf` with clock tolerance, required claims and
 * size. The one place where cryptography happens: the guard, the GraphQL and WebSocket
 * paths and the Passport strategy all call it. Inject it to authenticate custom contexts.
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
  private readonly keyStore: KeyStore;
  private readonly cache?: VerifiedTokenCache;

  constructor(@Inject(AUTH_RESOLVED_OPTIONS) private readonly options: ResolvedAuthOptions) {
    this.keyStore = createKeyStore(options);
    if (options.verifiedTokenCache) {
      this.cache = new VerifiedTokenCache(options.verifiedTokenCache.maxEntries);
    }
  }

  /** Returns the caller a token vouches for, or throws why it does not. */
  async verify(token: string): Promise<AuthUser> {
    if (typeof token !== 'string' || token.length === 0) {
      throw new TokenRejectedError('missing_token', 'No bearer token was sent.');
    }
    if (Buffer.byteLength(token, 'utf8') > this.options.maxTokenBytes) {
      throw new TokenRejectedError(
        'token_too_large',
        `The token is larger than ${this.options.maxTokenBytes} bytes (maxTokenBytes).`,
      );
    }
    const cached = this.cache?.get(token);
    if (cached) return cached;

    const { issuer, audience, algorithms, clockToleranceSeconds, requiredClaims } = this.options;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(
        token,
        (header, input) => this.keyStore.getKey(header, input),
        { issuer, audience, algorithms, clockTolerance: clockToleranceSeconds, requiredClaims },
      ));
    } catch (error) {
      throw this.explain(error, token);
    }
    if (typeof payload.sub !== 'string' || payload.sub.length === 0) {
      throw new TokenRejectedError('invalid_claim', 'The "sub" claim must be a non-empty string.');
    }
    const nowSeconds = Date.now() / 1000;
    if (typeof payload.iat === 'number' && payload.iat > nowSeconds + clockToleranceSeconds) {
      throw new TokenRejectedError(
        'invalid_claim',
        `The token's "iat" (${new Date(payload.iat * 1000).toISOString()}) is in the future; check the issuer's clock.`,
      );
    }
    // Frozen: a cached user is shared by every request that presents the same token.
    const user = Object.freeze(toAuthUser(Object.freeze(payload), this.options.rolesClaim));
    this.cache?.set(token, user, ((payload.exp as number) + clockToleranceSeconds) * 1000);
    return user;
  }

  /** Turns a jose error into a rejection a developer can act on; anything else is rethrown. */
  private explain(error: unknown, token: string): unknown {
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
          `The token expired at ${typeof exp === 'number' ? new Date(exp * 1000).toISOString() : 'an unknown time'} (clock tolerance ${tolerance} s); get a fresh one from /api/auth/token.`,
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
            `The token's issuer ${JSON.stringify(payload.iss)} is not the expected ${JSON.stringify(issuer)}.`,
          );
        }
        if (claim === 'aud') {
          return reject(
            'wrong_audience',
            `The token's audience ${JSON.stringify(payload.aud)} does not include ${JSON.stringify(audience)}.`,
          );
        }
        if (claim === 'nbf') {
          return reject(
            'token_not_yet_valid',
            `The token is not valid before ${new Date((payload.nbf as number) * 1000).toISOString()} (clock tolerance ${tolerance} s).`,
          );
        }
        return reject('invalid_claim', `The token's "${claim}" claim is invalid.`);
      }
      case errors.JOSEAlgNotAllowed.code:
        return reject(
          'algorithm_not_allowed',
          `The token is signed with ${JSON.stringify(safeAlg(token))}, which is not among the accepted algorithms (${algorithms.join(', ')}).`,
        );
      case errors.JWKSNoMatchingKey.code:
      case errors.JWKSMultipleMatchingKeys.code:
        return reject(
          'unknown_key',
          `No signing key matches the token's kid ${JSON.stringify(safeKid(token))}; it was not issued by ${issuer}, or with a key it no longer publishes.`,
        );
      case errors.JWSSignatureVerificationFailed.code:
        return reject('invalid_signature', 'The token signature is invalid.');
      case errors.JWSInvalid.code:
      case errors.JWTInvalid.code:
      case errors.JOSENotSupported.code:
      case errors.JWKInvalid.code:
        return reject(
          'malformed_token',
          `The token is not a well-formed signed JWT (${(error as Error).message}).`,
        );
      default:
        if (error instanceof TypeError && /Invalid (Compact JWS|JWS|JWT)/i.test(error.message)) {
          return reject('malformed_token', 'The token is not a well-formed signed JWT.');
        }
        if ((error as Error)?.name === 'JwksUnavailableError') return error;
        this.logger.debug(`Unexpected verification error: ${(error as Error)?.message}`);
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
const safeAlg = (token: string) => safeHeader(token).alg ?? null;
const safeKid = (token: string) => safeHeader(token).kid ?? null;

/** The typed view of a verified token's claims. */
export function toAuthUser(claims: JWTPayload, rolesClaim = 'role'): AuthUser {
  const user: AuthUser = { id: claims.sub as string, claims };
  if (typeof claims.email === 'string') user.email = claims.email;
  if (typeof claims.name === 'string') user.name = claims.name;
  const role = claims[rolesClaim];
  if (typeof role === 'string') user.role = role;
  else if (Array.isArray(role) && role.every((r) => typeof r === 'string')) user.role = role;
  return user;
}
