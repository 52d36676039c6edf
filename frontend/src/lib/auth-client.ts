'use client';

import { createApiClient, createTokenManager, fromBetterAuthClient } from '@authbridge/web-auth';
import { jwtClient } from 'better-auth/client/plugins';
import { createAuthClient } from 'better-auth/react';

/** Better Auth's browser client, on this app's own origin (cookies, /api/auth/token). */
export const authClient = createAuthClient({ plugins: [jwtClient()] });

/** The API's short-lived JWT, kept in memory only and refreshed before it expires. */
export const tokenManager = createTokenManager({ fetchToken: fromBetterAuthClient(authClient) });

const clients = new Map<string, ReturnType<typeof createApiClient>>();
let tokenOwner: string | undefined;

/**
 * The axios client for the Tasks API at `apiUrl` (given by the server at runtime, so one
 * build can talk to any API). It sends the Bearer token to that origin only. A cached
 * token of another user (signed out and in again without a page load) is dropped.
 */
export function apiClient(apiUrl: string, userId: string) {
  if (tokenOwner !== userId) {
    tokenManager.clear();
    tokenOwner = userId;
  }
  let client = clients.get(apiUrl);
  if (!client) {
    client = createApiClient({ baseURL: apiUrl, tokenManager, axiosConfig: { timeout: 15_000 } });
    clients.set(apiUrl, client);
  }
  return client;
}
