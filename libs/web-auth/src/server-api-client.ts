import axios, { type AxiosInstance, type CreateAxiosDefaults } from 'axios';
import { toApiError, tokenFetchError } from './api-error.js';
import { isRequestToOrigin, originOf } from './origin.js';

/**
 * Better Auth's `auth.api.getToken()` throws an `APIError` with `statusCode: 401` when the
 * request has no session; that is "no token", not a failure.
 */
function isUnauthorized(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { statusCode, status } = error as { statusCode?: unknown; status?: unknown };
  return statusCode === 401 || status === 401 || status === 'UNAUTHORIZED';
}

/** Options of {@link createServerApiClient}. */
export interface ServerApiClientOptions {
  /** The API's base URL as the Next.js server reaches it. Only its origin gets the token. */
  baseURL: string;
  /**
   * The JWT of the request being served, or `null` without a session (a throw with
   * `statusCode: 401`, as `auth.api.getToken()` does then, counts as `null`). Called on EVERY API
   * request (never cached here), so one module-level client is safe across users as long as
   * this reads the current request, e.g. `auth.api.getToken({ headers: await headers() })`.
   */
  getToken: () => Promise<string | null | undefined>;
  /**
   * Called before the ApiError of a 401 is thrown. It may throw instead, e.g. Next's
   * `redirect('/sign-in')`; that throw is passed through untouched. Default: none.
   */
  onUnauthenticated?: () => void;
  /** Any other axios defaults (timeout, headers...). `baseURL` above wins. */
  axiosConfig?: CreateAxiosDefaults;
}

/**
 * Creates an axios instance for Server Components, server actions and route handlers: it asks
 * `getToken` for the current request's JWT, sends it as `Authorization: Bearer` to the API origin
 * only, and rejects with the same {@link ApiError} as the browser client. No retry: the token was
 * minted for this very request.
 *
 * Framework-free: pass Next's `headers()` in through `getToken`; nothing here imports Next.
 *
 * @example
 * // src/lib/server-api.ts
 * import 'server-only';
 * import { headers } from 'next/headers';
 * import { createServerApiClient } from '@authbridge/web-auth/server';
 * import { auth } from './auth';
 *
 * export const serverApi = createServerApiClient({
 *   baseURL: process.env.API_URL!,
 *   getToken: async () => (await auth.api.getToken({ headers: await headers() })).token,
 * });
 */
export function createServerApiClient(options: ServerApiClientOptions): AxiosInstance {
  const { baseURL, getToken, onUnauthenticated, axiosConfig } = options;
  const apiOrigin = originOf(baseURL);
  const instance = axios.create({ ...axiosConfig, baseURL });

  instance.interceptors.request.use(async (config) => {
    if (!isRequestToOrigin(instance, config, apiOrigin)) return config;
    let token: string | null | undefined;
    try {
      token = await getToken();
    } catch (error) {
      if (!isUnauthorized(error)) throw tokenFetchError(error);
      token = null; // no session: let the API answer (public routes work for guests)
    }
    if (token) config.headers.set('Authorization', `Bearer ${token}`);
    else config.headers.delete('Authorization');
    return config;
  });

  instance.interceptors.response.use(undefined, (error: unknown) => {
    const apiError = toApiError(error);
    const config = axios.isAxiosError(error) ? error.config : undefined;
    if (
      apiError.kind === 'unauthenticated' &&
      onUnauthenticated &&
      config &&
      isRequestToOrigin(instance, config, apiOrigin)
    ) {
      onUnauthenticated();
    }
    throw apiError;
  });

  return instance;
}
