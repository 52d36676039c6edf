import type { Task } from '@/lib/tasks';
import { BOARD_IDS } from './focus';

/**
 * What the board shows instead of (or above) the list: loading, could not load, no tasks
 * yet, and the alert of a change the API refused. Words and roles are what the browser
 * test and screen readers find.
 */

export function TaskListLoading() {
  return (
    <p className="state" role="status">
      <span className="spinner" aria-hidden="true" /> Loading your tasks…
    </p>
  );
}

export function TaskListError({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <div className="state error" role="alert">
      <p>Could not load your tasks: {message}</p>
      <button id={BOARD_IDS.retry} type="button" className="button secondary" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}

export function TaskListEmpty() {
  return (
    <p id={BOARD_IDS.count} className="state empty" tabIndex={-1}>
      No tasks yet. Add your first one above.
    </p>
  );
}

/**
 * The toast of a delete that waits (`usePendingDelete`): what went, and "Undo". A status
 * region that is always there, so "Deleted …" is announced when it appears.
 */
export function UndoToast({ task, onUndo }: { task: Task | undefined; onUndo: () => void }) {
  return (
    <div className="toast-region" role="status">
      {task ? (
        <div className="toast">
          <span>Deleted “{task.title}”.</span>
          <button id={BOARD_IDS.undo} type="button" className="button link" onClick={onUndo}>
            Undo
          </button>
        </div>
      ) : null}
    </div>
  );
}

/** A live region that is always there, so a message put into it is announced. */
export function TaskActionAlert({ message }: { message: string | null }) {
  return (
    <div aria-live="polite" className="live">
      {message ? (
        <p className="alert" role="alert">
          {message}
        </p>
      ) : null}
    </div>
  );
}
