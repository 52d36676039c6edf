import axios, {
  type AxiosError,
  type AxiosInstance,
  type CreateAxiosDefaults,
  type InternalAxiosRequestConfig,
} from 'axios';
import { noSessionError, toApiError, tokenFetchError } from './api-error.js';
import { isRequestToOrigin, originOf } from './origin.js';
import type { TokenManager } from './token-manager.js';

/** Options of {@link createApiClient}. */
export interface ApiClientOptions {
  /** The API's base URL, e.g. `process.env.NEXT_PUBLIC_API_URL`. Its origin is the only one that gets the token. */
  baseURL: string;
  /**
   * Where tokens come from: {@link createTokenManager}. Its `clear()`, when present, is called
   * when the API says the session was revoked.
   */
  tokenManager: Pick<TokenManager, 'getToken' | 'refresh'> & Partial<Pick<TokenManager, 'clear'>>;
  /**
   * Called when the API still answers 401 after one token refresh and retry, or when there is no
   * session at all; once per episode (again only after a request has succeeded).
   * Default: go to `/sign-in?returnUrl=<current path>`.
   */
  onUnauthenticated?: () => void;
  /**
   * What a request to the API does when there is no session (the token manager returns `null`):
   * - `'refuse'` (default): it is not sent; `onUnauthenticated` is called and it rejects with an
   *   `unauthenticated` {@link ApiError}, code `NO_SESSION`. Right for pages behind sign-in: a
   *   page refetching after a revocation sends nothing the API could only refuse.
   * - `'send'`: it goes out without `Authorization`, for pages guests use too (the API's
   *   `@Public()` routes answer it; a guarded route's 401 then goes through `onUnauthenticated`).
   */
  withoutSession?: 'refuse' | 'send';
  /** Any other axios defaults (timeout, headers...). `baseURL` above wins. */
  axiosConfig?: CreateAxiosDefaults;
}

/** Per-request state this client keeps on the axios config. */
interface AuthState {
  /** The token sent, `null` if none was. */
  token: string | null;
  /** Set on the one retry after a 401. */
  retried: boolean;
}

const STATE = '__authbridgeWebAuth';

/** The reasons @authbridge/nest-auth gives when a token's session or user was revoked. */
export const REVOKED_REASONS = ['session_revoked', 'user_revoked'] as const;

/** Fixed `error_description`s of nest-auth's challenge for those reasons (RFC 6750). */
const REVOKED_CHALLENGES = [
  'The session of the token was revoked',
  'The sessions of the token user were revoked',
];

/**
 * Whether a 401 says the session (or every session of the user) was revoked: signed out
 * elsewhere, "sign out everywhere", a ban. No token refresh can help then: the body's `code`
 * (or, when the body is not readable, the `WWW-Authenticate` challenge) says so.
 *
 * @example
 * if (isRevokedSession(error)) tokenManager.clear();
 */
export function isRevokedSession(error: unknown): boolean {
  if (!axios.isAxiosError(error) || error.response?.status !== 401) return false;
  const code = (error.response.data as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') return (REVOKED_REASONS as readonly string[]).includes(code);
  const challenge = error.response.headers?.['www-authenticate'];
  return (
    typeof challenge === 'string' &&
    REVOKED_CHALLENGES.some((description) => challenge.includes(`"${description}"`))
  );
}
type ConfigWithState = InternalAxiosRequestConfig & { [STATE]?: AuthState };

/** The default `onUnauthenticated`: the sign-in page, coming back here afterwards. */
export function redirectToSignIn(signInPath = '/sign-in'): void {
  if (typeof window === 'undefined' || !window.location) return;
  const { pathname, search, hash } = window.location;
  if (pathname === signInPath) return; // already there: no redirect loop
  const returnUrl = `${pathname}${search}${hash}`;
  // Slashes stay readable (`?returnUrl=/tasks`); everything else is encoded.
  const encoded = encodeURIComponent(returnUrl).replace(/%2F/gi, '/');
  window.location.assign(`${signInPath}?returnUrl=${encoded}`);
}

/**
 * Creates the axios instance the browser calls the API with.
 *
 * - Adds `Authorization: Bearer <jwt>` only to requests whose resolved URL has the API's origin;
 *   an absolute or protocol-relative URL to anywhere else goes out without it.
 * - Without a session (the token manager returns `null`) a request to the API is not sent: it
 *   calls `onUnauthenticated` and rejects with an `unauthenticated` error, code `NO_SESSION`.
 * - On a 401 from the API: refreshes the token once and retries once; if that is still a 401
 *   (or there is no session any more), calls `onUnauthenticated` and rejects.
 * - On a 401 that says the session was revoked (`session_revoked`, `user_revoked`): clears the
 *   token manager, calls `onUnauthenticated` and rejects, with no refresh and no retry.
 * - Every rejection is an {@link ApiError}.
 *
 * @example
 * export const api = createApiClient({
 *   baseURL: process.env.NEXT_PUBLIC_API_URL!,
 *   tokenManager,
 * });
 * const { data } = await api.get<Task[]>('/tasks');
 */
export function createApiClient(options: ApiClientOptions): AxiosInstance {
  const {
    baseURL,
    tokenManager,
    onUnauthenticated = () => redirectToSignIn(),
    withoutSession = 'refuse',
    axiosConfig,
  } = options;
  const apiOrigin = originOf(baseURL);
  const instance = axios.create({ ...axiosConfig, baseURL });

  let notified = false;
  const notifyUnauthenticated = () => {
    if (notified) return;
    notified = true;
    onUnauthenticated();
  };

  instance.interceptors.request.use(async (config: ConfigWithState) => {
    if (!isRequestToOrigin(instance, config, apiOrigin)) {
      delete config[STATE];
      return config;
    }
    const state = config[STATE] ?? { token: null, retried: false };
    // The retry sends the token the refresh returned, even one the manager did not cache.
    let token = state.retried ? state.token : null;
    if (!token) {
      try {
        token = await tokenManager.getToken();
      } catch (error) {
        throw tokenFetchError(error);
      }
    }
    if (!token && withoutSession === 'refuse') {
      // No session (signed out, revoked, expired): the API could only refuse the request, and
      // a page refetching after a revocation would keep sending it. Straight to sign-in.
      notifyUnauthenticated();
      throw noSessionError();
    }
    state.token = token;
    config[STATE] = state;
    if (token) config.headers.set('Authorization', `Bearer ${token}`);
    else config.headers.delete('Authorization');
    return config;
  });

  instance.interceptors.response.use(
    (response) => {
      if ((response.config as ConfigWithState)[STATE]) notified = false;
      return response;
    },
    async (error: unknown) => {
      const config = axios.isAxiosError(error)
        ? (error.config as ConfigWithState | undefined)
        : undefined;
      const state = config?.[STATE];
      if (!config || !state || (error as AxiosError).response?.status !== 401) {
        throw toApiError(error);
      }
      if (isRevokedSession(error)) {
        // Signed out elsewhere: a refresh would at best fetch a token for a dead session.
        tokenManager.clear?.();
        notifyUnauthenticated();
        throw toApiError(error);
      }
      if (state.retried) {
        notifyUnauthenticated();
        throw toApiError(error);
      }
      let fresh: string | null;
      try {
        fresh = await tokenManager.refresh(state.token);
      } catch (refreshError) {
        throw tokenFetchError(refreshError);
      }
      if (!fresh) {
        notifyUnauthenticated();
        throw toApiError(error);
      }
      const retry: ConfigWithState = { ...config, [STATE]: { token: fresh, retried: true } };
      return instance.request(retry);
    },
  );

  return instance;
}
