import { infiniteQueryOptions } from '@tanstack/react-query';
import type { TaskPage } from '@/lib/tasks';
import { firstPageData, taskKeys, type TaskCursor, type TasksApi } from './keys';

/**
 * The list of one user's tasks as an infinite query: page after page along the API's
 * keyset cursor (`nextCursor`), newest first. Plain options, no React: the board passes
 * them to `useInfiniteQuery`, a Server Component can pass the same ones to
 * `queryClient.prefetchInfiniteQuery` with the server API client.
 *
 * `firstPage`: a page the server already fetched; the board then shows it at once and
 * fetches nothing until it is stale.
 *
 * @example
 * const list = useInfiniteQuery(taskListOptions(api, userId));
 * const tasks = list.data?.pages.flatMap((page) => page.items);
 */
export function taskListOptions(api: TasksApi, userId: string, firstPage?: TaskPage) {
  return infiniteQueryOptions({
    queryKey: taskKeys.list(userId),
    queryFn: ({ pageParam }) => api.list(pageParam),
    initialPageParam: null as TaskCursor,
    // null (no more pages) stops paging; `hasNextPage` turns false.
    getNextPageParam: (last: TaskPage) => last.nextCursor,
    ...(firstPage ? { initialData: firstPageData(firstPage) } : {}),
  });
}
