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
      <button type="button" className="button secondary" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}

export function TaskListEmpty() {
  return <p className="state empty">No tasks yet. Add your first one above.</p>;
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
