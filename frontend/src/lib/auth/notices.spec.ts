import { AUTH_MESSAGES } from './messages';
import { signInNotice, signInReason } from './notices';

describe('signInNotice', () => {
  it('says nothing without an error code', () => {
    expect(signInNotice(undefined, undefined)).toBeUndefined();
    expect(signInNotice('', '5')).toBeUndefined();
    expect(signInNotice(['rate_limited'], '5')).toBeUndefined();
  });

  it('turns codes into fixed words, never the URL text', () => {
    expect(signInNotice('client_unknown', undefined)).toBe(AUTH_MESSAGES.clientUnknown);
    expect(signInNotice('Call 555-0100 now', undefined)).toBe(AUTH_MESSAGES.socialFailed);
  });

  it('keeps the retry seconds between 1 and 3600, 10 when unreadable', () => {
    expect(signInNotice('rate_limited', '7')).toBe(AUTH_MESSAGES.tooManyAttempts(7));
    expect(signInNotice('rate_limited', '0')).toBe(AUTH_MESSAGES.tooManyAttempts(1));
    expect(signInNotice('rate_limited', '1e9')).toBe(AUTH_MESSAGES.tooManyAttempts(3600));
    expect(signInNotice('rate_limited', 'soon')).toBe(AUTH_MESSAGES.tooManyAttempts(10));
  });
});

describe('signInReason', () => {
  it('explains the redirect by code, and says nothing for anything else', () => {
    expect(signInReason('session_ended')).toBe('Your session ended, sign in again.');
    expect(signInReason('sign_in_required')).toBe(AUTH_MESSAGES.signInToContinue);
    expect(signInReason('You won a prize')).toBeUndefined();
    expect(signInReason(['session_ended'])).toBeUndefined();
    expect(signInReason(undefined)).toBeUndefined();
  });
});
