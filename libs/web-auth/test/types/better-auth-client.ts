// The README's browser set-up, type-checked under `strict: false` (tsconfig.strict-false.json,
// as create-next-app may generate) and strict (tsconfig.json). With strict off, Better Auth's
// `token()` has a required argument, which a zero-parameter `BetterAuthTokenClient` refused.
import { createApiClient, createTokenManager, fromBetterAuthClient } from '../../src/index.js';
import { jwtClient } from 'better-auth/client/plugins';
import { createAuthClient } from 'better-auth/react';

export const authClient = createAuthClient({ plugins: [jwtClient()] });

export const tokenManager = createTokenManager({ fetchToken: fromBetterAuthClient(authClient) });

export const api = createApiClient({ baseURL: 'http://localhost:3001', tokenManager });

// A client that throws instead of returning `{ data, error }`.
const throwingClient = createAuthClient({ plugins: [jwtClient()], fetchOptions: { throw: true } });
export const fetchToken = fromBetterAuthClient(throwingClient);
