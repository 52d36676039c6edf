'use client';

import type { Task } from '@/lib/tasks';
import { BOARD_IDS } from './focus';
import { TaskRow } from './task-row';

export interface TaskListProps {
  tasks: Task[];
  busyIds: ReadonlySet<string>;
  /** Another page exists after the loaded ones. */
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  onToggle: (task: Task, completed: boolean) => Promise<unknown>;
  onRename: (task: Task, title: string) => void;
  onDelete: (task: Task) => void;
}

/** "3 tasks, 1 done", and whether more are still on the server. */
export function taskCountText(tasks: Task[], hasMore: boolean): string {
  const done = tasks.filter((task) => task.completed).length;
  const count = `${tasks.length} ${tasks.length === 1 ? 'task' : 'tasks'}${hasMore ? ' shown' : ''}`;
  return `${count}, ${done} done${hasMore ? ' (more to load)' : ''}`;
}

/** The loaded tasks, newest first, their count, and "Load more" while the API has more pages. */
export function TaskList({
  tasks,
  busyIds,
  hasMore,
  loadingMore,
  onLoadMore,
  onToggle,
  onRename,
  onDelete,
}: TaskListProps) {
  return (
    <>
      <h2 id={BOARD_IDS.count} className="task-count" tabIndex={-1}>
        {taskCountText(tasks, hasMore)}
      </h2>
      <ul className="tasks" aria-labelledby={BOARD_IDS.count}>
        {tasks.map((task) => (
          <TaskRow
            key={task.id}
            task={task}
            busy={busyIds.has(task.id)}
            onToggle={(completed) => onToggle(task, completed)}
            onRename={(title) => onRename(task, title)}
            onDelete={() => onDelete(task)}
          />
        ))}
      </ul>
      {hasMore ? (
        // aria-disabled, not disabled: the button keeps the focus while the page loads.
        <button
          type="button"
          className="button secondary"
          onClick={() => {
            if (!loadingMore) onLoadMore();
          }}
          aria-disabled={loadingMore}
        >
          {loadingMore ? 'Loading…' : 'Load more'}
        </button>
      ) : null}
    </>
  );
}
