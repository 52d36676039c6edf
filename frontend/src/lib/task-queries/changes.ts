import { mutationOptions, type QueryClient } from '@tanstack/react-query';
import type { Task } from '@/lib/tasks';
import { addFirst, findTask, removeTask, restoreTask, updateTask, type RemovedTask } from './cache';
import { taskKeys, type TaskChangeKind, type TaskListData, type TasksApi } from './keys';

/**
 * The four changes to a user's tasks as mutation options, each optimistic: the list in
 * the cache changes at once, the API's answer replaces the guess, and a refusal undoes
 * exactly what that change did (not a snapshot of the whole list, which would also undo
 * other changes made meanwhile). When the last change in flight settles, the list is
 * fetched again, so the cache ends where the server is.
 *
 * Every change's variables carry the task `id`: the board marks that row busy while the
 * change is in flight (`useMutationState` on `taskKeys.all(userId)`).
 */

/** A new task; `id` is a draft id (`draftTaskId()`) the row carries until the API answers. */
export interface CreateTask {
  id: string;
  title: string;
}
export interface ToggleTask {
  id: string;
  completed: boolean;
}
export interface RenameTask {
  id: string;
  title: string;
}
export interface DeleteTask {
  id: string;
}

export interface TaskChangeOptions {
  /** Called once for every change the API refused, after it was undone. */
  onError?: (error: unknown, kind: TaskChangeKind) => void;
}

let drafts = 0;

/** An id for a task not created yet, unique in this page; never sent to the API. */
export function draftTaskId(): string {
  drafts += 1;
  return `draft-${drafts}`;
}

function draftTask({ id, title }: CreateTask): Task {
  const now = new Date().toISOString();
  return { id, title, description: null, completed: false, createdAt: now, updatedAt: now };
}

/** The list's cache entry of `userId`, changed by `edit` (nothing to change before it loaded). */
function editList(client: QueryClient, userId: string, edit: (data: TaskListData) => TaskListData) {
  client.setQueryData<TaskListData>(taskKeys.list(userId), (data) => data && edit(data));
}

/** A list fetch in flight would land on top of the guess: it is cancelled first. */
function holdList(client: QueryClient, userId: string) {
  return client.cancelQueries({ queryKey: taskKeys.list(userId) });
}

/**
 * Once the last change in flight settles, fetch the list again. Not after each one: a
 * fetch that lands while another change is in flight would wipe that change's guess.
 */
function settle(client: QueryClient, userId: string) {
  // The settling change still counts as in flight here.
  if (client.isMutating({ mutationKey: taskKeys.all(userId) }) === 1) {
    void client.invalidateQueries({ queryKey: taskKeys.list(userId) });
  }
}

/**
 * Mutation options for create, toggle, rename and delete of `userId`'s tasks through `api`.
 *
 * @example
 * const changes = taskChanges(api, userId, { onError: (error) => setAlert(taskErrorMessage(error)) });
 * const toggle = useMutation(changes.toggle);
 * toggle.mutate({ id: task.id, completed: !task.completed });
 */
export function taskChanges(api: TasksApi, userId: string, options: TaskChangeOptions = {}) {
  const report = (error: unknown, kind: TaskChangeKind) => options.onError?.(error, kind);

  return {
    create: mutationOptions({
      mutationKey: taskKeys.change(userId, 'create'),
      mutationFn: ({ title }: CreateTask) => api.create(title),
      onMutate: async (draft, { client }) => {
        await holdList(client, userId);
        editList(client, userId, (data) => addFirst(data, draftTask(draft)));
      },
      onSuccess: (task, { id }, _result, { client }) =>
        editList(client, userId, (data) => updateTask(data, id, task)),
      onError: (error, { id }, _result, { client }) => {
        editList(client, userId, (data) => removeTask(data, id).data);
        report(error, 'create');
      },
      onSettled: (_task, _error, _draft, _result, { client }) => settle(client, userId),
    }),

    toggle: mutationOptions({
      mutationKey: taskKeys.change(userId, 'toggle'),
      mutationFn: ({ id, completed }: ToggleTask) => api.update(id, { completed }),
      onMutate: async ({ id, completed }, { client }) => {
        await holdList(client, userId);
        editList(client, userId, (data) =>
          updateTask(data, id, (task) => ({ ...task, completed })),
        );
      },
      onSuccess: (task, { id }, _result, { client }) =>
        editList(client, userId, (data) => updateTask(data, id, task)),
      onError: (error, { id, completed }, _result, { client }) => {
        editList(client, userId, (data) =>
          updateTask(data, id, (task) =>
            task.completed === completed ? { ...task, completed: !completed } : task,
          ),
        );
        report(error, 'toggle');
      },
      onSettled: (_task, _error, _change, _result, { client }) => settle(client, userId),
    }),

    rename: mutationOptions({
      mutationKey: taskKeys.change(userId, 'rename'),
      mutationFn: ({ id, title }: RenameTask) => api.update(id, { title }),
      onMutate: async ({ id, title }, { client }): Promise<{ previous?: string }> => {
        await holdList(client, userId);
        const previous = findTask(client.getQueryData(taskKeys.list(userId)), id)?.title;
        editList(client, userId, (data) => updateTask(data, id, (task) => ({ ...task, title })));
        return { previous };
      },
      onSuccess: (task, { id }, _result, { client }) =>
        editList(client, userId, (data) => updateTask(data, id, task)),
      onError: (error, { id, title }, result, { client }) => {
        const previous = result?.previous;
        if (previous !== undefined) {
          editList(client, userId, (data) =>
            updateTask(data, id, (task) =>
              task.title === title ? { ...task, title: previous } : task,
            ),
          );
        }
        report(error, 'rename');
      },
      onSettled: (_task, _error, _change, _result, { client }) => settle(client, userId),
    }),

    remove: mutationOptions({
      mutationKey: taskKeys.change(userId, 'delete'),
      mutationFn: ({ id }: DeleteTask) => api.remove(id),
      onMutate: async ({ id }, { client }): Promise<{ removed?: RemovedTask }> => {
        await holdList(client, userId);
        let removed: RemovedTask | undefined;
        editList(client, userId, (data) => {
          const result = removeTask(data, id);
          removed = result.removed;
          return result.data;
        });
        return { removed };
      },
      onError: (error, _change, result, { client }) => {
        const removed = result?.removed;
        if (removed) editList(client, userId, (data) => restoreTask(data, removed));
        report(error, 'delete');
      },
      onSettled: (_nothing, _error, _change, _result, { client }) => settle(client, userId),
    }),
  };
}

export type TaskChanges = ReturnType<typeof taskChanges>;
