'use client';

import { createApiClient, createTokenManager, fromBetterAuthClient } from '@authbridge/web-auth';
import type { AxiosInstance } from 'axios';
import { jwtClient } from 'better-auth/client/plugins';
import { createAuthClient } from 'better-auth/react';
import { authPageUrl } from './auth-page-url';

/** Better Auth's browser client, on this app's own origin (cookies, /api/auth/token). */
export const authClient = createAuthClient({ plugins: [jwtClient()] });

/** The API's short-lived JWT, kept in memory only and refreshed before it expires. */
export const tokenManager = createTokenManager({ fetchToken: fromBetterAuthClient(authClient) });

/** The user the token in `tokenManager` belongs to, as far as this tab knows. */
let tokenOwner: string | undefined;

/**
 * Says whose pages are on screen now: a token cached for another user (signed out and in
 * as someone else without a page load, here or in another tab) is dropped, so the next
 * API call fetches this user's. Call it from an effect (`useTokenOwner`), never in render.
 */
export function claimTokenFor(userId: string): void {
  if (tokenOwner === userId) return;
  tokenManager.clear();
  tokenOwner = userId;
}

/** Forgets the token and its owner: the step at sign-out. */
export function forgetToken(): void {
  tokenManager.clear();
  tokenOwner = undefined;
}

/** No session (any more): sign in, and come back here after. Built by `authPageUrl`. */
function goToSignIn(): void {
  const { pathname, search, hash } = window.location;
  if (pathname === '/sign-in') return; // already there: no redirect loop
  window.location.assign(
    authPageUrl('/sign-in', {
      returnUrl: `${pathname}${search}${hash}`,
      reason: 'session_ended',
    }),
  );
}

const clients = new Map<string, AxiosInstance>();

/**
 * The axios client for the Tasks API at `apiUrl` (given by the server at runtime, so one
 * build can talk to any API); one per URL, created on first use. It sends the Bearer
 * token to that origin only. Whose token that is: `claimTokenFor`.
 */
export function apiClient(apiUrl: string): AxiosInstance {
  let client = clients.get(apiUrl);
  if (!client) {
    client = createApiClient({
      baseURL: apiUrl,
      tokenManager,
      onUnauthenticated: goToSignIn,
      axiosConfig: { timeout: 15_000 },
    });
    clients.set(apiUrl, client);
  }
  return client;
}
