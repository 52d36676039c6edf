'use client';

import { useCallback, useMemo, useState } from 'react';
import { apiClient } from '@/lib/auth-client';
import { draftTaskId } from '@/lib/task-queries/changes';
import { taskErrorMessage } from '@/lib/task-queries/errors';
import {
  useBusyTaskIds,
  useSavingTasks,
  useTaskChanges,
  useTaskList,
  useTokenOwner,
} from '@/lib/task-queries/hooks';
import { tasksApi, type TaskPage } from '@/lib/tasks';
import { NewTaskForm } from './new-task-form';
import { TaskList } from './task-list';
import { TaskActionAlert, TaskListEmpty, TaskListError, TaskListLoading } from './task-states';

export interface TaskBoardProps {
  /** The Tasks API's base URL, from the server at request time (not baked into the build). */
  apiUrl: string;
  /** The signed-in user (the JWT's `sub`): whose tasks, and the key of their cache. */
  userId: string;
  /** The list's first page if the server already fetched it: shown at once, no fetch. */
  firstPage?: TaskPage;
}

/**
 * The signed-in user's tasks: add, toggle done, rename, delete, page through. Data comes
 * from TanStack Query (`lib/task-queries`); this component only wires it to the pieces.
 * Needs a `QueryProvider` above it.
 */
export function TaskBoard({ apiUrl, userId, firstPage }: TaskBoardProps) {
  const api = useMemo(() => tasksApi(apiClient(apiUrl), userId), [apiUrl, userId]);
  const tokenReady = useTokenOwner(userId);
  const list = useTaskList(api, userId, { firstPage, enabled: tokenReady });

  // The message of the last action that failed; a new action clears it.
  const [actionError, setActionError] = useState<string | null>(null);
  const onError = useCallback((error: unknown) => setActionError(taskErrorMessage(error)), []);
  const changes = useTaskChanges(api, userId, { onError });
  const busyIds = useBusyTaskIds(userId);
  const saving = useSavingTasks(userId);

  const tasks = list.data?.pages.flatMap((page) => page.items);

  return (
    // aria-busy while a change is not saved yet (the list already shows it).
    <div className="board" aria-busy={saving}>
      <NewTaskForm
        onCreate={async (title) => {
          setActionError(null);
          try {
            await changes.create.mutateAsync({ id: draftTaskId(), title });
            return true;
          } catch {
            return false; // reported by onError
          }
        }}
      />

      <TaskActionAlert message={actionError} />

      {!tasks ? (
        list.isError && !list.isFetching ? (
          <TaskListError
            message={taskErrorMessage(list.error)}
            onRetry={() => void list.refetch()}
          />
        ) : (
          <TaskListLoading />
        )
      ) : tasks.length === 0 ? (
        <TaskListEmpty />
      ) : (
        <TaskList
          tasks={tasks}
          busyIds={busyIds}
          hasMore={list.hasNextPage}
          loadingMore={list.isFetchingNextPage}
          onLoadMore={async () => {
            const result = await list.fetchNextPage();
            if (result.isFetchNextPageError) setActionError(taskErrorMessage(result.error));
          }}
          onToggle={(task) => {
            setActionError(null);
            changes.toggle.mutate({ id: task.id, completed: !task.completed });
          }}
          onRename={(task, title) => {
            setActionError(null);
            changes.rename.mutate({ id: task.id, title });
          }}
          onDelete={(task) => {
            setActionError(null);
            changes.remove.mutate({ id: task.id });
          }}
        />
      )}
    </div>
  );
}
