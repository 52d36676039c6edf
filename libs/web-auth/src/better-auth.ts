/** What `authClient.token()` (Better Auth's `jwtClient`) resolves to. */
export interface BetterAuthTokenResult {
  data: { token: string } | null;
  error: { status: number; statusText?: string; message?: string } | null;
}

/** The part of a Better Auth client with the `jwtClient()` plugin this package uses. */
export interface BetterAuthTokenClient {
  token(): Promise<BetterAuthTokenResult>;
}

/** `GET /api/auth/token` failed for a reason other than "no session". */
export class TokenFetchError extends Error {
  override readonly name = 'TokenFetchError';
  constructor(
    message: string,
    /** HTTP status of the token endpoint. */
    readonly status: number,
  ) {
    super(message);
  }
}

/**
 * Adapts a Better Auth client (with `jwtClient()`) to {@link TokenManagerOptions.fetchToken}.
 *
 * Resolves the JWT, or `null` when there is no session (401). Throws on a network failure and on
 * any other error status (e.g. a 500), so a passing outage is not mistaken for a sign-out and is
 * not cached.
 *
 * @example
 * const authClient = createAuthClient({ plugins: [jwtClient()] });
 * const tokenManager = createTokenManager({ fetchToken: fromBetterAuthClient(authClient) });
 */
export function fromBetterAuthClient(
  authClient: BetterAuthTokenClient,
): () => Promise<string | null> {
  return async () => {
    const { data, error } = await authClient.token();
    if (error) {
      if (error.status === 401) return null;
      throw new TokenFetchError(
        `Could not get a token from Better Auth: ${error.status} ${error.message ?? error.statusText ?? ''}`.trim(),
        error.status,
      );
    }
    return data?.token ?? null;
  };
}
