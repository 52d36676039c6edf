import 'server-only';
import { getIP, isAPIError } from 'better-auth/api';
import { z } from 'zod';
import { authRateLimitRule, getAuth } from './auth';
import { AUTH_MESSAGES } from './auth-messages';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password-rules';
import { LIMITED_AUTH_PATHS, rateLimitKey, type LimitedAuthPath } from './rate-limit';

/**
 * What the sign-in and sign-up server actions do, outside Next's action plumbing:
 * validate, rate-limit, call `auth.api.*`, and turn Better Auth's errors into the
 * form's messages. `auth.api.*` skips Better Auth's HTTP limiter, so the limit is
 * applied here with the same store, rule and key as the HTTP path.
 */

export type AuthField = 'name' | 'email' | 'password';

export interface AuthFormState {
  /** A message for the whole form (wrong credentials, too many attempts...). */
  error?: string;
  fieldErrors?: Partial<Record<AuthField, string>>;
  /** What the user typed, minus the password, so a failed submit keeps it. */
  values?: { name?: string; email?: string };
}

export type AttemptResult = { ok: true } | { ok: false; state: AuthFormState };

const email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: AUTH_MESSAGES.emailInvalid }));

const signUpSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, { error: AUTH_MESSAGES.nameRequired })
    .max(100, { error: AUTH_MESSAGES.nameTooLong }),
  email,
  password: z
    .string()
    .min(PASSWORD_MIN_LENGTH, { error: AUTH_MESSAGES.passwordTooShort })
    .max(PASSWORD_MAX_LENGTH, { error: AUTH_MESSAGES.passwordTooLong }),
});

// Sign-in checks only presence: a rule a password does not meet is still "wrong password".
const signInSchema = z.object({
  email,
  password: z.string().min(1, { error: AUTH_MESSAGES.passwordRequired }),
});

function text(form: FormData, key: string): string {
  const value = form.get(key);
  return typeof value === 'string' ? value : '';
}

function fieldErrors(error: z.ZodError): AuthFormState['fieldErrors'] {
  const errors: AuthFormState['fieldErrors'] = {};
  for (const issue of error.issues) {
    const field = issue.path[0] as AuthField;
    errors[field] ??= issue.message;
  }
  return errors;
}

/**
 * Counts one attempt on `path` for the caller's IP in the store Better Auth's own limiter
 * uses. Returns the seconds to wait when over the limit, else null.
 */
export async function consumeAuthAttempt(
  path: LimitedAuthPath,
  requestHeaders: Headers,
): Promise<number | null> {
  const { options } = getAuth();
  // THE store Better Auth's HTTP limiter counts in, and the rule it applies to this path.
  const store = options.rateLimit!.customStorage!;
  const rule = authRateLimitRule();
  // Same IP resolution as the HTTP limiter (x-forwarded-for unless configured otherwise).
  const ip = getIP(requestHeaders, options) ?? 'no-trusted-ip';
  const { allowed, retryAfter } = await store.consume(rateLimitKey(ip, path), rule);
  return allowed ? null : (retryAfter ?? rule.window);
}

function unexpected(error: unknown, values: AuthFormState['values']): AttemptResult {
  console.error('[auth] unexpected error', error);
  return { ok: false, state: { error: AUTH_MESSAGES.unexpected, values } };
}

export async function signUpWithPassword(
  form: FormData,
  requestHeaders: Headers,
): Promise<AttemptResult> {
  const values = { name: text(form, 'name').trim(), email: text(form, 'email').trim() };
  const wait = await consumeAuthAttempt(LIMITED_AUTH_PATHS.signUpEmail, requestHeaders);
  if (wait !== null)
    return { ok: false, state: { error: AUTH_MESSAGES.tooManyAttempts(wait), values } };

  const parsed = signUpSchema.safeParse({ ...values, password: text(form, 'password') });
  if (!parsed.success)
    return { ok: false, state: { fieldErrors: fieldErrors(parsed.error), values } };

  try {
    await getAuth().api.signUpEmail({ body: parsed.data, headers: requestHeaders });
    return { ok: true };
  } catch (error) {
    if (!isAPIError(error)) return unexpected(error, values);
    switch (error.body?.code) {
      case 'USER_ALREADY_EXISTS':
      case 'USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL':
        return { ok: false, state: { fieldErrors: { email: AUTH_MESSAGES.emailTaken }, values } };
      case 'PASSWORD_TOO_SHORT':
        return {
          ok: false,
          state: { fieldErrors: { password: AUTH_MESSAGES.passwordTooShort }, values },
        };
      case 'PASSWORD_TOO_LONG':
        return {
          ok: false,
          state: { fieldErrors: { password: AUTH_MESSAGES.passwordTooLong }, values },
        };
      case 'INVALID_EMAIL':
        return { ok: false, state: { fieldErrors: { email: AUTH_MESSAGES.emailInvalid }, values } };
      default:
        return unexpected(error, values);
    }
  }
}

export async function signInWithPassword(
  form: FormData,
  requestHeaders: Headers,
): Promise<AttemptResult> {
  const values = { email: text(form, 'email').trim() };
  const wait = await consumeAuthAttempt(LIMITED_AUTH_PATHS.signInEmail, requestHeaders);
  if (wait !== null)
    return { ok: false, state: { error: AUTH_MESSAGES.tooManyAttempts(wait), values } };

  const parsed = signInSchema.safeParse({ email: values.email, password: text(form, 'password') });
  if (!parsed.success)
    return { ok: false, state: { fieldErrors: fieldErrors(parsed.error), values } };

  try {
    await getAuth().api.signInEmail({ body: parsed.data, headers: requestHeaders });
    return { ok: true };
  } catch (error) {
    if (!isAPIError(error)) return unexpected(error, values);
    // Unknown email and wrong password get the same words (and Better Auth the same code).
    if (error.status === 'UNAUTHORIZED' || error.body?.code === 'INVALID_EMAIL_OR_PASSWORD') {
      return { ok: false, state: { error: AUTH_MESSAGES.wrongCredentials, values } };
    }
    if (error.body?.code === 'INVALID_EMAIL') {
      return { ok: false, state: { fieldErrors: { email: AUTH_MESSAGES.emailInvalid }, values } };
    }
    return unexpected(error, values);
  }
}

export async function signOut(requestHeaders: Headers): Promise<void> {
  await getAuth().api.signOut({ headers: requestHeaders });
}

export type SocialProvider = 'google' | 'github';

/** The configured social providers, for the buttons (none unless id and secret are set). */
export function enabledSocialProviders(): SocialProvider[] {
  const providers = getAuth().options.socialProviders ?? {};
  return (['google', 'github'] as const).filter((id) => id in providers);
}

export type SocialSignInResult =
  { url: string } | { error: 'rate_limited'; retryAfter: number } | { error: 'social' };

/**
 * Starts a social sign-in: the provider's authorization URL to redirect to, or why not.
 * Limited like every other sign-in attempt.
 */
export async function startSocialSignIn(
  provider: SocialProvider,
  callbackURL: string,
  requestHeaders: Headers,
): Promise<SocialSignInResult> {
  if (!enabledSocialProviders().includes(provider)) return { error: 'social' };
  const wait = await consumeAuthAttempt(LIMITED_AUTH_PATHS.signInSocial, requestHeaders);
  if (wait !== null) return { error: 'rate_limited', retryAfter: wait };
  try {
    const result = await getAuth().api.signInSocial({
      // Better Auth appends its own ?error=<code> to this on a failed callback.
      body: { provider, callbackURL, errorCallbackURL: '/sign-in' },
      headers: requestHeaders,
    });
    if ('url' in result && typeof result.url === 'string') return { url: result.url };
  } catch (error) {
    console.error('[auth] social sign-in failed to start', error);
  }
  return { error: 'social' };
}

/**
 * The message for `/sign-in?error=<code>[&retry=<s>]`. Codes only, never text from the
 * URL, so a crafted link cannot put words of its choosing on the page.
 */
export function signInNotice(error: unknown, retry: unknown): string | undefined {
  if (typeof error !== 'string' || !error) return undefined;
  if (error === 'rate_limited') {
    const seconds = Number(retry);
    return AUTH_MESSAGES.tooManyAttempts(
      Number.isFinite(seconds) ? Math.min(Math.max(seconds, 1), 3600) : 10,
    );
  }
  return AUTH_MESSAGES.socialFailed;
}
