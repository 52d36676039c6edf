'use client';

import {
  useInfiniteQuery,
  useIsMutating,
  useMutation,
  useMutationState,
} from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { claimTokenFor } from '@/lib/auth-client';
import type { TaskPage } from '@/lib/tasks';
import { taskChanges, type TaskChangeOptions } from './changes';
import { taskKeys, type TasksApi } from './keys';
import { taskListOptions } from './list';

/** The React side of the task data: the list, the changes, what is in flight. */

/**
 * Makes `userId` the owner of the API token held in memory, dropping another user's
 * token (signed out and in as someone else without a page load, here or in another tab).
 * An effect, not work during render; true once it ran for this user, and the list waits
 * for that before its first fetch.
 */
export function useTokenOwner(userId: string): boolean {
  const [owner, setOwner] = useState<string | null>(null);
  useEffect(() => {
    claimTokenFor(userId);
    setOwner(userId);
  }, [userId]);
  return owner === userId;
}

/**
 * The user's task list (`taskListOptions`). `firstPage`: a page the server fetched, shown
 * without a fetch. `enabled`: false holds the first fetch back (see `useTokenOwner`).
 */
export function useTaskList(
  api: TasksApi,
  userId: string,
  { firstPage, enabled = true }: { firstPage?: TaskPage; enabled?: boolean } = {},
) {
  return useInfiniteQuery({ ...taskListOptions(api, userId, firstPage), enabled });
}

/** One mutation per kind of change (`taskChanges`), shared by every row. */
export function useTaskChanges(api: TasksApi, userId: string, options: TaskChangeOptions) {
  const { onError } = options;
  const changes = useMemo(() => taskChanges(api, userId, { onError }), [api, userId, onError]);
  return {
    create: useMutation(changes.create),
    toggle: useMutation(changes.toggle),
    rename: useMutation(changes.rename),
    remove: useMutation(changes.remove),
  };
}

/** Ids of the tasks with a change in flight (drafts included): their rows are busy. */
export function useBusyTaskIds(userId: string): ReadonlySet<string> {
  const ids = useMutationState({
    filters: { mutationKey: taskKeys.all(userId), status: 'pending' },
    select: (mutation) => (mutation.state.variables as { id?: string } | undefined)?.id,
  });
  const key = ids.join('\n');
  // One Set per distinct list of ids, not per render.
  return useMemo(() => new Set(key ? key.split('\n') : []), [key]);
}

/** True while any change of this user's tasks is in flight (not yet saved). */
export function useSavingTasks(userId: string): boolean {
  return useIsMutating({ mutationKey: taskKeys.all(userId) }) > 0;
}
