'use client';

import type { Task } from '@/lib/tasks';
import { TaskRow } from './task-row';

export interface TaskListProps {
  tasks: Task[];
  busyIds: ReadonlySet<string>;
  /** Another page exists after the loaded ones. */
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  onToggle: (task: Task) => void;
  onRename: (task: Task, title: string) => void;
  onDelete: (task: Task) => void;
}

/** The loaded tasks, newest first, and "Load more" while the API has more pages. */
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
      <ul className="tasks" aria-label="Tasks">
        {tasks.map((task) => (
          <TaskRow
            key={task.id}
            task={task}
            busy={busyIds.has(task.id)}
            onToggle={() => onToggle(task)}
            onRename={(title) => onRename(task, title)}
            onDelete={() => onDelete(task)}
          />
        ))}
      </ul>
      {hasMore ? (
        <button
          type="button"
          className="button secondary"
          onClick={onLoadMore}
          disabled={loadingMore}
        >
          {loadingMore ? 'Loading…' : 'Load more'}
        </button>
      ) : null}
    </>
  );
}
