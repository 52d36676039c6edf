import 'server-only';
import { authRateLimitRule, getAuth } from './better-auth';
import { clientAddress } from '../client-address';
import { rateLimitKey, ruleForPath, type LimitedAuthPath } from '../rate-limit';
import { AUTH_MESSAGES } from './messages';

/**
 * The rate limit of the server-action path. `auth.api.*` skips Better Auth's HTTP limiter,
 * so each attempt is counted here first, in the store that limiter uses, under the same
 * rule and key: a form attempt and an HTTP attempt share one bucket. (On email sign-in that
 * rule is only a flood ceiling: its failures are counted by `sign-in-guard-plugin.ts`.)
 */

/** Whether an attempt may go ahead: counted and allowed, over the limit, or from nobody known. */
export type AttemptDecision =
  | { allowed: true }
  | { allowed: false; reason: 'rate_limited'; retryAfter: number }
  | { allowed: false; reason: 'client_unknown' };

export type AttemptRefusal = Exclude<AttemptDecision, { allowed: true }>;

/**
 * Counts one attempt on `path` for the caller's address in the store Better Auth's own
 * limiter uses, under the same key (`<address>|<path>`). A caller whose address is
 * unknown is refused rather than counted in a bucket shared by every unknown caller,
 * where one attacker could use up everyone's attempts.
 *
 * @example
 * const decision = await consumeAuthAttempt(LIMITED_AUTH_PATHS.signInEmail, await headers());
 * if (!decision.allowed) return { error: refusalMessage(decision) };
 */
export async function consumeAuthAttempt(
  path: LimitedAuthPath,
  requestHeaders: Headers,
): Promise<AttemptDecision> {
  const address = clientAddress(requestHeaders);
  if (address === null) return { allowed: false, reason: 'client_unknown' };
  const { options } = getAuth();
  // THE store Better Auth's HTTP limiter counts in, and the rule it applies to this path.
  const store = options.rateLimit!.customStorage!;
  const rule = ruleForPath(path, authRateLimitRule());
  const { allowed, retryAfter } = await store.consume(rateLimitKey(address, path), rule);
  return allowed
    ? { allowed: true }
    : { allowed: false, reason: 'rate_limited', retryAfter: retryAfter ?? rule.window };
}

/** The form's message for a refused attempt. */
export function refusalMessage(refusal: AttemptRefusal): string {
  return refusal.reason === 'rate_limited'
    ? AUTH_MESSAGES.tooManyAttempts(refusal.retryAfter)
    : AUTH_MESSAGES.clientUnknown;
}
