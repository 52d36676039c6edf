import type { InfiniteData } from '@tanstack/react-query';
import type { TaskPage, tasksApi } from '@/lib/tasks';

/**
 * The shapes every room of the task data shares: query keys, the cached list, the API.
 * Nothing here touches React or the browser, so a Server Component can import it too
 * (to prefetch or hand over the first page under the same key the board reads).
 */

/** The Tasks API of one user, as `tasksApi` builds it (browser or server axios client). */
export type TasksApi = ReturnType<typeof tasksApi>;

/** A page's `nextCursor` as the infinite query's page param; `null` is the first page. */
export type TaskCursor = string | null;

/** What the list query caches: the pages fetched so far, and the cursor of each. */
export type TaskListData = InfiniteData<TaskPage, TaskCursor>;

/**
 * Query and mutation keys, always under the user they belong to: no cache entry of one
 * user can ever be read under another's key, and everything of one user goes at once
 * with `taskKeys.all(userId)`.
 *
 * @example
 * queryClient.invalidateQueries({ queryKey: taskKeys.list(userId) });
 * useIsMutating({ mutationKey: taskKeys.all(userId) }); // any task change in flight
 */
export const taskKeys = {
  /** Every query and mutation of this user's tasks (a prefix). */
  all: (userId: string) => ['tasks', userId] as const,
  /** The keyset-paginated list, newest first (an infinite query over `TaskPage`s). */
  list: (userId: string) => ['tasks', userId, 'list'] as const,
  /** A change to this user's tasks: `create`, `toggle`, `rename`, `delete`. */
  change: (userId: string, kind: TaskChangeKind) => ['tasks', userId, 'change', kind] as const,
};

export type TaskChangeKind = 'create' | 'toggle' | 'rename' | 'delete';

/**
 * The list's cache entry holding just its first page: what a server that fetched that
 * page passes to the board (`firstPage`), or seeds with `queryClient.setQueryData`.
 *
 * @example
 * const page = await tasksApi(serverApi, userId).list();
 * queryClient.setQueryData(taskKeys.list(userId), firstPageData(page));
 */
export function firstPageData(page: TaskPage): TaskListData {
  return { pages: [page], pageParams: [null] };
}
