import 'server-only';
import { isAPIError, type APIError } from 'better-auth/api';
import type { z } from 'zod';
import type { LimitedAuthPath } from '../rate-limit';
import { consumeAuthAttempt, refusalMessage } from './attempt-limit';
import type { AttemptResult, AuthFormState } from './form-state';
import { fieldErrors } from './schemas';
import { unexpectedFailure } from './unexpected';

export interface PasswordAttempt<Body> {
  /** The limited path this attempt counts on (the same bucket as the HTTP route). */
  path: LimitedAuthPath;
  requestHeaders: Headers;
  /** What the form gets back to show again (never the password). */
  values: AuthFormState['values'];
  schema: z.ZodType<Body>;
  /** The fields to validate, password included. */
  input: unknown;
  /** The `auth.api.*` call with the validated body. */
  call: (body: Body) => Promise<unknown>;
  /** The form's answer to one of Better Auth's refusals; undefined for an unexpected one. */
  explain: (error: APIError) => AttemptResult | undefined;
}

/**
 * The steps every email-and-password attempt takes, in this order: count it (refused over
 * the limit or from an unknown address, before any work), validate, call Better Auth, and
 * turn its refusal into the form's words. `sign-in.ts` and `sign-up.ts` each say only
 * their schema, their call and their messages.
 *
 * @example
 * return runPasswordAttempt({ path, requestHeaders, values, schema: signInSchema, input,
 *   call: (body) => getAuth().api.signInEmail({ body, headers: requestHeaders }),
 *   explain: (error) => undefined });
 */
export async function runPasswordAttempt<Body>(
  attempt: PasswordAttempt<Body>,
): Promise<AttemptResult> {
  const { values } = attempt;
  const decision = await consumeAuthAttempt(attempt.path, attempt.requestHeaders);
  if (!decision.allowed) {
    const retryAfter = decision.reason === 'rate_limited' ? decision.retryAfter : undefined;
    return { ok: false, state: { error: refusalMessage(decision), retryAfter, values } };
  }

  const parsed = attempt.schema.safeParse(attempt.input);
  if (!parsed.success)
    return { ok: false, state: { fieldErrors: fieldErrors(parsed.error), values } };

  try {
    await attempt.call(parsed.data);
    return { ok: true };
  } catch (error) {
    if (!isAPIError(error)) return unexpectedFailure(error, values);
    return attempt.explain(error) ?? unexpectedFailure(error, values);
  }
}
