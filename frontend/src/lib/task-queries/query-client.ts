import { QueryClient } from '@tanstack/react-query';

/**
 * A QueryClient with this app's defaults (one per browser tab; a new one per request if
 * a server ever prefetches with it):
 * - `retry: false`: a failed load shows its error and "Try again" at once instead of
 *   retrying three times out of sight (the API client already retries a 401 once);
 * - `refetchOnWindowFocus: false`: the list changes only when the user acts or asks;
 * - `staleTime: 30 s`: a first page handed over by the server is not fetched again the
 *   moment the board mounts.
 *
 * @example
 * const [client] = useState(createQueryClient);
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: false, refetchOnWindowFocus: false, staleTime: 30_000 },
    },
  });
}
