import type { Task } from '@/lib/tasks';
import type { TaskListData } from './keys';

/**
 * Edits of the cached list, for optimistic updates and their rollback. Pure: each returns
 * a new list and leaves the old one as it was, as the query cache needs.
 */

function mapPages(data: TaskListData, edit: (items: Task[]) => Task[]): TaskListData {
  let changed = false;
  const pages = data.pages.map((page) => {
    const items = edit(page.items);
    if (items === page.items) return page;
    changed = true;
    return { ...page, items };
  });
  return changed ? { ...data, pages } : data;
}

/** The task with this id, wherever it is in the list. */
export function findTask(data: TaskListData | undefined, id: string): Task | undefined {
  for (const page of data?.pages ?? []) {
    const task = page.items.find((item) => item.id === id);
    if (task) return task;
  }
  return undefined;
}

/** `task` at the top of the list, where the API puts the newest one. */
export function addFirst(data: TaskListData, task: Task): TaskListData {
  if (data.pages.length === 0)
    return { pages: [{ items: [task], nextCursor: null }], pageParams: [null] };
  const [first, ...rest] = data.pages;
  return { ...data, pages: [{ ...first!, items: [task, ...first!.items] }, ...rest] };
}

/** The task `id` replaced by `task` (the API's answer), or changed by `edit`. */
export function updateTask(
  data: TaskListData,
  id: string,
  edit: Task | ((task: Task) => Task),
): TaskListData {
  return mapPages(data, (items) =>
    items.some((item) => item.id === id)
      ? items.map((item) =>
          item.id !== id ? item : typeof edit === 'function' ? edit(item) : edit,
        )
      : items,
  );
}

/** Where a removed task was, to put it back there if the removal fails. */
export interface RemovedTask {
  task: Task;
  page: number;
  index: number;
}

/** The list without task `id`, and where it was (undefined if it was not there). */
export function removeTask(
  data: TaskListData,
  id: string,
): { data: TaskListData; removed?: RemovedTask } {
  for (const [page, { items }] of data.pages.entries()) {
    const index = items.findIndex((item) => item.id === id);
    if (index === -1) continue;
    const pages = data.pages.map((each, at) =>
      at === page
        ? { ...each, items: [...items.slice(0, index), ...items.slice(index + 1)] }
        : each,
    );
    return { data: { ...data, pages }, removed: { task: items[index]!, page, index } };
  }
  return { data };
}

/** A removed task back where it was (at the end of its page if that page got shorter). */
export function restoreTask(data: TaskListData, removed: RemovedTask): TaskListData {
  if (findTask(data, removed.task.id)) return data;
  if (data.pages.length === 0) return addFirst(data, removed.task);
  const target = Math.min(removed.page, data.pages.length - 1);
  return {
    ...data,
    pages: data.pages.map((page, index) =>
      index === target
        ? {
            ...page,
            items: [
              ...page.items.slice(0, removed.index),
              removed.task,
              ...page.items.slice(removed.index),
            ],
          }
        : page,
    ),
  };
}
