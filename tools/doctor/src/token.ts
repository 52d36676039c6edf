import 'reflect-metadata';
import {
  AuthModule,
  InMemoryRevocationSource,
  JwksUnavailableError,
  TokenRejectedError,
  TokenVerifier,
} from '@authbridge/nest-auth';
import { NestFactory } from '@nestjs/core';
import {
  decodeJwt,
  decodeProtectedHeader,
  type JWTPayload,
  type ProtectedHeaderParameters,
} from 'jose';
import { authModuleOptions } from '../../../backend/src/config/auth-options';
import type { AppConfig } from '../../../backend/src/config/env.schema';
import type { DoctorDeps } from './checks';

/** The verdict on one token, in one sentence. */
export interface TokenVerdict {
  accepted: boolean;
  /** nest-auth's reason code when refused (`token_expired`, `wrong_audience`...). */
  reason?: string;
  sentence: string;
  /** What the token says about itself, decoded without trusting it. */
  header?: ProtectedHeaderParameters;
  claims?: JWTPayload;
}

/** "3 min", "2 h", "5 days": a span a person reads at a glance. */
export function span(seconds: number): string {
  const s = Math.abs(Math.round(seconds));
  if (s < 90) return `${s} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  if (s < 48 * 3600) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} days`;
}

const show = (value: unknown) => (value === undefined ? 'missing' : JSON.stringify(value));

/**
 * Verifies `token` exactly as the API would (nest-auth's TokenVerifier under the API's own
 * AuthModule options, keys from the API's JWKS URL), and says why it is accepted or refused.
 * The token is decoded first without trust, only to word the sentence.
 */
export async function explainToken(
  token: string,
  api: AppConfig,
  deps: DoctorDeps,
): Promise<TokenVerdict> {
  const trimmed = token.trim().replace(/^Bearer\s+/i, '');
  let header: ProtectedHeaderParameters | undefined;
  let claims: JWTPayload | undefined;
  try {
    header = decodeProtectedHeader(trimmed);
    claims = decodeJwt(trimmed);
  } catch {
    /* the verifier names what is wrong */
  }
  const options = {
    ...authModuleOptions({
      ...api,
      auth: { ...api.auth, jwks: { timeoutMs: deps.timeoutMs, cooldownMs: 0, cacheMaxAgeMs: 0 } },
    }),
    // With revocation on, the API also refuses a token that outlives what it remembers: an
    // empty list applies that rule. Which sessions are revoked the doctor does not know.
    revocation: api.revocation.enabled ? new InMemoryRevocationSource() : undefined,
    globalGuard: false,
    verifiedTokenCache: false,
  };
  const app = await NestFactory.createApplicationContext(AuthModule.forRoot(options), {
    logger: false,
    abortOnError: false,
  });
  const nowSeconds = deps.now() / 1000;
  try {
    const user = await app.get(TokenVerifier).verify(trimmed);
    const exp = claims?.exp;
    const left = typeof exp === 'number' ? `; it expires in ${span(exp - nowSeconds)}` : '';
    return {
      accepted: true,
      header,
      claims,
      sentence: `Accepted: the API would let user ${JSON.stringify(user.id)} in${left}.`,
    };
  } catch (error) {
    if (error instanceof JwksUnavailableError) {
      return {
        accepted: false,
        reason: 'jwks_unavailable',
        header,
        claims,
        sentence: `Not judged: the API cannot fetch its keys from ${api.auth.jwksUrl}, so it answers 503 (start the web app or fix AUTH_JWKS_URL).`,
      };
    }
    if (!(error instanceof TokenRejectedError)) throw error;
    const sentence = await rejection(error, { header, claims, api, nowSeconds, deps });
    return { accepted: false, reason: error.reason, header, claims, sentence };
  } finally {
    await app.close();
  }
}

interface Context {
  header?: ProtectedHeaderParameters;
  claims?: JWTPayload;
  api: AppConfig;
  nowSeconds: number;
  deps: DoctorDeps;
}

async function rejection(error: TokenRejectedError, context: Context): Promise<string> {
  const { header, claims, api, nowSeconds } = context;
  const tolerance = 5;
  switch (error.reason) {
    case 'token_expired':
      return `Rejected: the token expired ${span(nowSeconds - (claims?.exp as number))} ago (exp ${iso(claims?.exp)}); the web app gets a fresh one from /api/auth/token, or the clocks of the two machines disagree.`;
    case 'token_not_yet_valid':
      return `Rejected: the token is not valid for another ${span((claims?.nbf as number) - nowSeconds)} (nbf ${iso(claims?.nbf)}, ${tolerance} s tolerance): the issuer's clock is ahead of the API's; sync both clocks (NTP).`;
    case 'wrong_issuer':
      return `Rejected: the issuer is ${show(claims?.iss)} but the API expects ${JSON.stringify(api.auth.issuer)}; give both apps the same BETTER_AUTH_URL.`;
    case 'wrong_audience':
      return `Rejected: the audience is ${show(claims?.aud)} but the API expects ${JSON.stringify(api.auth.audience)}; give both apps the same BETTER_AUTH_URL.`;
    case 'algorithm_not_allowed':
      return `Rejected: the algorithm ${show(header?.alg)} is not allowed; the API accepts only ${api.auth.algorithms.join(', ')} (AUTH_JWT_ALGORITHM must be the same in both apps).`;
    case 'unknown_key': {
      const kids = await publishedKids(context);
      return `Rejected: the kid ${show(header?.kid)} is not in the JWKS at ${api.auth.jwksUrl}${kids}; the token comes from another Better Auth instance or database, or its key was deleted.`;
    }
    case 'invalid_signature':
      return `Rejected: bad signature: the kid ${show(header?.kid)} is in the JWKS but the signature does not match it; the token was altered, or another instance signed it with a different key under the same kid.`;
    case 'missing_claim':
      if (api.revocation.enabled && claims && claims.sid === undefined) {
        return `Rejected: the token has no sid claim; the API requires it while revocation is on (AUTH_REVOCATION): the token was minted by something other than this web app (whose definePayload sets sid), or before the upgrade that added it; sign in again for a new token.`;
      }
      return `Rejected: ${lowerFirst(error.message)}`;
    case 'invalid_claim':
      if (typeof claims?.iat === 'number' && claims.iat > nowSeconds + tolerance) {
        return `Rejected: the token was issued ${span(claims.iat - nowSeconds)} in the future (iat ${iso(claims.iat)}): the issuer's clock is ahead of the API's; sync both clocks (NTP).`;
      }
      if (
        api.revocation.enabled &&
        typeof claims?.exp === 'number' &&
        typeof claims.iat === 'number' &&
        claims.exp - claims.iat > api.tokenLifetimeSeconds
      ) {
        return `Rejected: the token lives longer than the API accepts while revocation is on (exp - iat = ${span(claims.exp - claims.iat)}, AUTH_JWT_LIFETIME_SECONDS = ${api.tokenLifetimeSeconds} s): give both apps the same AUTH_JWT_LIFETIME_SECONDS.`;
      }
      return `Rejected: ${lowerFirst(error.message)}`;
    case 'token_too_large':
    case 'malformed_token':
    case 'missing_token':
    case 'malformed_header':
      return `Rejected: malformed: ${lowerFirst(error.message)} Pass the value of the Authorization header without "Bearer ".`;
    default:
      return `Rejected: ${lowerFirst(error.message)}`;
  }
}

async function publishedKids({ api, deps }: Context): Promise<string> {
  try {
    const response = await deps.fetch(api.auth.jwksUrl, {
      signal: AbortSignal.timeout(deps.timeoutMs),
    });
    const { keys } = (await response.json()) as { keys: { kid?: string }[] };
    return ` (it holds ${keys.map((k) => JSON.stringify(k.kid)).join(', ') || 'no key'})`;
  } catch {
    return '';
  }
}

function iso(seconds: unknown): string {
  return typeof seconds === 'number' ? new Date(seconds * 1000).toISOString() : 'missing';
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
