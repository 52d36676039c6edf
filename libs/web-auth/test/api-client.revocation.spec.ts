import type { AxiosAdapter, AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { createApiClient, createTokenManager, isApiError, isRevokedSession } from '../src/index.js';
import { betterAuthLikeJwt } from './jwt.js';

// A revoked session (signed out on another tab or device, "sign out everywhere", a ban):
// the API answers 401 session_revoked / user_revoked. The client must clear its token and
// send the user to sign-in once, without refreshing, retrying, or looping as time passes.
// Fake timers: time is advanced by the test, never waited for.

type Answer = { status: number; data?: unknown; headers?: Record<string, string> };

function fakeApi(answer: (authorization: string | undefined) => Answer) {
  const seen: Array<string | undefined> = [];
  const adapter: AxiosAdapter = async (config: InternalAxiosRequestConfig) => {
    const authorization = config.headers.get('Authorization') as string | undefined;
    seen.push(authorization);
    const { status, data = {}, headers = {} } = answer(authorization);
    const response: AxiosResponse = { status, statusText: '', data, headers, config };
    if (status >= 400) {
      const { AxiosError } = await import('axios');
      throw new AxiosError('refused', 'ERR_BAD_REQUEST', config, null, response);
    }
    return response;
  };
  return { adapter, seen };
}

function setUp(answer: Answer) {
  let issued = 0;
  const fetchToken = jest.fn(async (): Promise<string | null> =>
    betterAuthLikeJwt(`user-${++issued}`, Math.floor(Date.now() / 1000)),
  );
  const tokenManager = createTokenManager({ fetchToken });
  const clear = jest.spyOn(tokenManager, 'clear');
  const onUnauthenticated = jest.fn();
  const api = fakeApi(() => answer);
  const http = createApiClient({
    baseURL: 'https://api.example.com',
    tokenManager,
    onUnauthenticated,
    axiosConfig: { adapter: api.adapter },
  });
  return { http, api, fetchToken, clear, onUnauthenticated };
}

describe('a 401 for a revoked session', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-11-23T20:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it.each([
    ['session_revoked', { code: 'session_revoked' }, {}],
    ['user_revoked', { code: 'user_revoked' }, {}],
    [
      'the challenge alone (unreadable body)',
      '',
      {
        'www-authenticate':
          'Bearer error="invalid_token", error_description="The session of the token was revoked"',
      },
    ],
  ])(
    '%s: clears the token, signs in once, no refresh, no retry, no loop',
    async (_n, data, headers) => {
      const { http, api, fetchToken, clear, onUnauthenticated } = setUp({
        status: 401,
        data,
        headers,
      });

      const error = await http.get('/tasks').catch((e: unknown) => e);
      expect(isApiError(error) && error.status).toBe(401);
      expect(api.seen).toHaveLength(1); // no retry
      expect(fetchToken).toHaveBeenCalledTimes(1); // the first token only: no refresh
      expect(clear).toHaveBeenCalledTimes(1);
      expect(onUnauthenticated).toHaveBeenCalledTimes(1);

      // Time passes: nothing retries by itself.
      await jest.advanceTimersByTimeAsync(15 * 60_000);
      expect(api.seen).toHaveLength(1);
      expect(onUnauthenticated).toHaveBeenCalledTimes(1);

      // Other requests of the same page: one sign-in redirect for the whole episode.
      await Promise.allSettled([http.get('/a'), http.get('/b')]);
      expect(onUnauthenticated).toHaveBeenCalledTimes(1);
      expect(api.seen).toHaveLength(3);
    },
  );

  it('the page refetching after it (the session is gone): nothing reaches the API', async () => {
    const { http, api, fetchToken, onUnauthenticated } = setUp({
      status: 401,
      data: { code: 'session_revoked' },
    });
    await http.post('/tasks', { title: 'x' }).catch(() => undefined);
    expect(api.seen).toHaveLength(1);
    // Better Auth has no session for the cookie any more: /api/auth/token answers 401.
    fetchToken.mockResolvedValue(null);

    const error = await http.get('/tasks').catch((e: unknown) => e);

    expect(isApiError(error) && [error.kind, error.code]).toEqual([
      'unauthenticated',
      'NO_SESSION',
    ]);
    expect(api.seen).toHaveLength(1); // no request without Authorization went out
    expect(fetchToken).toHaveBeenCalledTimes(2);
    expect(onUnauthenticated).toHaveBeenCalledTimes(1); // one sign-in for the episode
  });

  it('an ordinary 401 (token_expired) still refreshes and retries once', async () => {
    const { http, api, fetchToken, clear, onUnauthenticated } = setUp({
      status: 401,
      data: { code: 'token_expired' },
    });
    await http.get('/tasks').catch(() => undefined);
    expect(api.seen).toHaveLength(2);
    expect(fetchToken).toHaveBeenCalledTimes(2);
    expect(clear).not.toHaveBeenCalled();
    expect(onUnauthenticated).toHaveBeenCalledTimes(1);
  });

  it('isRevokedSession is false for other statuses and reasons', () => {
    expect(isRevokedSession(new Error('x'))).toBe(false);
  });
});
