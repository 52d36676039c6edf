import { socialSignInAction } from '@/app/actions';
import { enabledSocialProviders, type SocialProvider } from '@/lib/auth/social';

const LABELS: Record<SocialProvider, string> = { google: 'Google', github: 'GitHub' };

/** One button per configured provider; nothing at all when none is configured. */
export function SocialButtons({ returnUrl }: { returnUrl: string }) {
  const providers = enabledSocialProviders();
  if (providers.length === 0) return null;
  return (
    <div className="social">
      <p className="divider">
        <span>or</span>
      </p>
      {providers.map((provider) => (
        <form key={provider} action={socialSignInAction}>
          <input type="hidden" name="provider" value={provider} />
          <input type="hidden" name="returnUrl" value={returnUrl} />
          <button type="submit" className="button secondary wide">
            {`Continue with ${LABELS[provider]}`}
          </button>
        </form>
      ))}
    </div>
  );
}
