import 'server-only';
import { getAuth } from './better-auth';
import { authPageUrl } from '../auth-page-url';
import { LIMITED_AUTH_PATHS } from '../rate-limit';
import { consumeAuthAttempt } from './attempt-limit';

/** Sign-in with Google or GitHub: which are on, and the start of the provider's flow. */

export type SocialProvider = 'google' | 'github';

/** The configured social providers, for the buttons (none unless id and secret are set). */
export function enabledSocialProviders(): SocialProvider[] {
  const providers = getAuth().options.socialProviders ?? {};
  return (['google', 'github'] as const).filter((id) => id in providers);
}

export type SocialSignInResult =
  | { url: string }
  | { error: 'rate_limited'; retryAfter: number }
  | { error: 'client_unknown' }
  | { error: 'social' };

/**
 * Starts a social sign-in: the provider's authorization URL to redirect to, or why not
 * (a code for `signInNotice`). Limited like every other sign-in attempt.
 *
 * @example
 * const result = await startSocialSignIn('github', '/dashboard', await headers());
 * if ('url' in result) redirect(result.url);
 */
export async function startSocialSignIn(
  provider: SocialProvider,
  callbackURL: string,
  requestHeaders: Headers,
): Promise<SocialSignInResult> {
  if (!enabledSocialProviders().includes(provider)) return { error: 'social' };
  const decision = await consumeAuthAttempt(LIMITED_AUTH_PATHS.signInSocial, requestHeaders);
  if (!decision.allowed) {
    return decision.reason === 'rate_limited'
      ? { error: 'rate_limited', retryAfter: decision.retryAfter }
      : { error: 'client_unknown' };
  }
  try {
    const result = await getAuth().api.signInSocial({
      // On a failed callback Better Auth appends its own &error=<code> to this: back to
      // sign-in, still on the way to where the visitor was going.
      body: {
        provider,
        callbackURL,
        errorCallbackURL: authPageUrl('/sign-in', { returnUrl: callbackURL }),
      },
      headers: requestHeaders,
    });
    if ('url' in result && typeof result.url === 'string') return { url: result.url };
  } catch (error) {
    console.error('[auth] social sign-in failed to start', error);
  }
  return { error: 'social' };
}
