'use client';

import {
  useInfiniteQuery,
  useIsMutating,
  useMutation,
  useMutationState,
} from '@tanstack/react-query';
import { useEffect, useMemo, useReducer, useState } from 'react';
import { claimTokenFor } from '@/lib/auth-client';
import type { Task, TaskPage } from '@/lib/tasks';
import { taskChanges, type TaskChangeOptions } from './changes';
import { taskKeys, type TasksApi } from './keys';
import { taskListOptions } from './list';
import { createPendingDelete, type PendingDelete } from './pending-delete';

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

/**
 * The board's delete with undo (`createPendingDelete`): `send` runs when the undo window
 * ends, when another delete starts, and when the page is left: on unmount (a link to
 * another page of the app) and on `pagehide` (reload, closing the tab, another site),
 * where `leaving` is true so the request can be sent with `keepalive`.
 */
export function usePendingDelete(send: (task: Task, leaving: boolean) => void): PendingDelete {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  // The latest `send`, read when the timer fires (not the one of the first render).
  const [box] = useState(() => ({ send }));
  useEffect(() => {
    box.send = send;
  }, [box, send]);
  const [pending] = useState(() =>
    createPendingDelete({ send: (task, leaving) => box.send(task, leaving), onChange: rerender }),
  );
  useEffect(() => {
    const leave = () => pending.flush(true);
    window.addEventListener('pagehide', leave);
    return () => {
      window.removeEventListener('pagehide', leave);
      leave();
    };
  }, [pending]);
  return pending;
}
