/**
 * `@/lib/auth` is the app's Better Auth instance (`better-auth.ts`). The rest of this
 * folder is what the app does with it, one file per job, each imported by its own path:
 *
 * - `sign-up.ts`, `sign-in.ts`, `sign-out.ts`, `social.ts`: the attempts the server
 *   actions (`app/actions.ts`) run; `password-attempt.ts`: the steps both password
 *   attempts take (count, validate, call, explain); `unexpected.ts`: the catch-all;
 * - `password-reset.ts`, `email-verification.ts`: the account-lifecycle forms;
 *   `email-link-request.ts`: the steps of both "mail me a link" forms;
 *   `password-refusal.ts`: the words for a refused new password, on every form that sets one;
 * - `attempt-limit.ts`: the rate limit of those attempts (Better Auth's store and key);
 * - `schemas.ts`, `form-state.ts`, `messages.ts`, `password-rules.ts`, `notices.ts`: what
 *   the forms send, get back and say.
 */
export * from './better-auth';
