'use client';

import { useCallback, useMemo, useState } from 'react';
import { apiClient } from '@/lib/auth-client';
import { draftTaskId } from '@/lib/task-queries/changes';
import { taskErrorMessage } from '@/lib/task-queries/errors';
import {
  useBusyTaskIds,
  usePendingDelete,
  useSavingTasks,
  useTaskChanges,
  useTaskList,
  useTokenOwner,
} from '@/lib/task-queries/hooks';
import { tasksApi, type Task, type TaskPage } from '@/lib/tasks';
import { BOARD_IDS, taskControlIds, useFocusAfterRender } from './focus';
import { NewTaskForm } from './new-task-form';
import { TaskList } from './task-list';
import {
  TaskActionAlert,
  TaskListEmpty,
  TaskListError,
  TaskListLoading,
  UndoToast,
} from './task-states';

export interface TaskBoardProps {
  /** The Tasks API's base URL, from the server at request time (not baked into the build). */
  apiUrl: string;
  /** The signed-in user (the JWT's `sub`): whose tasks, and the key of their cache. */
  userId: string;
  /** The list's first page if the server already fetched it: shown at once, no fetch. */
  firstPage?: TaskPage;
}

/**
 * The signed-in user's tasks: add, toggle done, rename, delete (with undo), page through.
 * Data comes from TanStack Query (`lib/task-queries`); this component only wires it to the
 * pieces, and puts the keyboard focus somewhere sensible after every action whose button
 * goes away. Needs a `QueryProvider` above it.
 */
export function TaskBoard({ apiUrl, userId, firstPage }: TaskBoardProps) {
  const api = useMemo(() => tasksApi(apiClient(apiUrl), userId), [apiUrl, userId]);
  const tokenReady = useTokenOwner(userId);
  const list = useTaskList(api, userId, { firstPage, enabled: tokenReady });
  const focusFirst = useFocusAfterRender();

  // The message of the last action that failed; a new action clears it.
  const [actionError, setActionError] = useState<string | null>(null);
  const onError = useCallback((error: unknown) => setActionError(taskErrorMessage(error)), []);
  const changes = useTaskChanges(api, userId, { onError });
  const busyIds = useBusyTaskIds(userId);
  const saving = useSavingTasks(userId);

  // A deleted task stays hidden from its click until its DELETE settled (or was undone).
  const [sending, setSending] = useState<ReadonlySet<string>>(() => new Set());
  const { remove } = changes;
  const sendDelete = useCallback(
    (task: Task, leaving: boolean) => {
      if (leaving) {
        // The page is going: no one is left to show an error or an undo.
        void api.remove(task.id, { keepalive: true }).catch(() => undefined);
        return;
      }
      setSending((ids) => new Set(ids).add(task.id));
      remove.mutate(
        { id: task.id },
        {
          onSettled: () =>
            setSending((ids) => {
              const rest = new Set(ids);
              rest.delete(task.id);
              return rest;
            }),
        },
      );
    },
    [api, remove],
  );
  const pendingDelete = usePendingDelete(sendDelete);

  const loaded = list.data?.pages.flatMap((page) => page.items);
  const hidden = pendingDelete.current?.id;
  const tasks = loaded?.filter((task) => task.id !== hidden && !sending.has(task.id));

  return (
    // aria-busy while a change is not saved yet (the list already shows it).
    <div className="board" aria-busy={saving}>
      <NewTaskForm
        userId={userId}
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

      <UndoToast
        task={pendingDelete.current}
        onUndo={() => {
          const task = pendingDelete.undo();
          if (task) focusFirst([taskControlIds(task.id).remove, BOARD_IDS.newTask]);
        }}
      />

      {!tasks ? (
        list.isError && !list.isFetching ? (
          <TaskListError
            message={taskErrorMessage(list.error)}
            onRetry={() => {
              // The button goes while loading: the focus goes to what replaces it.
              focusFirst([BOARD_IDS.count, BOARD_IDS.retry]);
              void list.refetch();
            }}
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
            const shown = tasks.length;
            const result = await list.fetchNextPage();
            if (result.isFetchNextPageError) {
              setActionError(taskErrorMessage(result.error));
              return;
            }
            // The last page: "Load more" goes, so the focus goes to the first task it brought.
            if (!result.hasNextPage) {
              const first = result.data?.pages
                .flatMap((page) => page.items)
                .filter((task) => task.id !== pendingDelete.current?.id)[shown];
              focusFirst([...(first ? [taskControlIds(first.id).checkbox] : []), BOARD_IDS.count]);
            }
          }}
          onToggle={(task, completed) => {
            setActionError(null);
            return changes.toggle.mutateAsync({ id: task.id, completed });
          }}
          onRename={(task, title) => {
            setActionError(null);
            changes.rename.mutate({ id: task.id, title });
          }}
          onDelete={(task) => {
            setActionError(null);
            // The focus goes to the next task (or the one before, or the new-task field).
            const at = tasks.indexOf(task);
            const neighbour = tasks[at + 1] ?? tasks[at - 1];
            pendingDelete.start(task);
            focusFirst([
              ...(neighbour ? [taskControlIds(neighbour.id).checkbox] : []),
              BOARD_IDS.newTask,
            ]);
          }}
        />
      )}
    </div>
  );
}
