/** What `authClient.token()` (Better Auth's `jwtClient`) resolves to. */
export interface BetterAuthTokenResult {
  data: { token: string } | null;
  error: { status: number; statusText?: string; message?: string } | null;
}

/**
 * The part of a Better Auth client with the `jwtClient()` plugin this package uses.
 *
 * @example
 * const authClient: BetterAuthTokenClient = createAuthClient({ plugins: [jwtClient()] });
 */
export interface BetterAuthTokenClient {
  /**
   * `GET /api/auth/token`, called with no argument. Typed as taking any arguments because
   * Better Auth's own `token(data, options?)` has a required first parameter when the app
   * compiles with `strict: false` (what `create-next-app` can generate), and a zero-parameter
   * type here would then refuse the real client.
   */
  token(...args: never[]): Promise<BetterAuthTokenResult | { token: string }>;
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
    let result: BetterAuthTokenResult | { token: string };
    try {
      result = await authClient.token();
    } catch (thrown) {
      // A client made with `fetchOptions: { throw: true }` throws instead of returning `error`.
      if ((thrown as { status?: unknown } | null)?.status === 401) return null;
      throw thrown;
    }
    if ('token' in result) return result.token; // the `throw: true` shape: the data itself
    const { data, error } = result;
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
