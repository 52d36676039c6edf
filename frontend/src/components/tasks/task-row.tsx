'use client';

import { useEffect, useRef, useState, type FormEvent } from 'react';
import { TASK_TITLE_MAX, type Task } from '@/lib/tasks';
import { taskControlIds } from './focus';

export interface TaskRowProps {
  task: Task;
  /** A change of this task is in flight: its controls wait. */
  busy: boolean;
  /** Saves the task as done or not; settles once the save succeeded or failed. */
  onToggle: (completed: boolean) => Promise<unknown>;
  onRename: (title: string) => void;
  onDelete: () => void;
}

/**
 * One task: its checkbox and title, Edit and Delete; or, while editing, the title field.
 * Busy controls are `aria-disabled`, not `disabled`: a disabled control drops the keyboard
 * focus to the page body, so a task ticked with Space would lose its place while it saves.
 * The title is not the checkbox's `<label>`: clicking it to read it must not tick the task.
 * A ticked box shows its new state in the click's own render (`ticked`), not only once the
 * board's optimistic update renders, which on a loaded machine comes a moment later.
 */
export function TaskRow({ task, busy, onToggle, onRename, onDelete }: TaskRowProps) {
  const [editing, setEditing] = useState(false);
  // The state the user ticked, kept until the task itself shows it: the save settles first,
  // and the board's render of the saved task may come a moment after (TanStack Query
  // notifies on a timer), when dropping it at once would show the old state meanwhile.
  // On a failure the task's own state comes back at once.
  const [ticked, setTicked] = useState<{ completed: boolean; saved: boolean } | null>(null);
  const completed = ticked?.completed ?? task.completed;
  const saving = busy || (ticked !== null && !ticked.saved);
  // Once saved, the task's next state is the truth (the saved one, or a later change).
  useEffect(() => {
    setTicked((current) => (current?.saved ? null : current));
  }, [task.completed]);
  const [draft, setDraft] = useState(task.title);
  const editButton = useRef<HTMLButtonElement>(null);
  const ids = taskControlIds(task.id);

  function stopEditing() {
    setEditing(false);
    // Give keyboard users their place back.
    requestAnimationFrame(() => editButton.current?.focus());
  }

  function cancel() {
    setDraft(task.title);
    stopEditing();
  }

  function save(event: FormEvent) {
    event.preventDefault();
    const trimmed = draft.trim();
    if (trimmed && trimmed !== task.title) onRename(trimmed);
    stopEditing();
  }

  const unlessBusy = (run: () => void) => () => {
    if (!saving) run();
  };

  function toggle() {
    const next = !completed;
    setTicked({ completed: next, saved: false });
    void onToggle(next).then(
      // Saved: shown until the task itself changes (the effect above), no longer busy.
      () =>
        setTicked((current) =>
          current?.completed === next ? { completed: next, saved: true } : current,
        ),
      // A failure is reported by the board; the box falls back to the task's state.
      () => setTicked(null),
    );
  }

  return (
    <li className={`task${completed ? ' done' : ''}`} aria-busy={saving}>
      {editing ? (
        <form className="edit" onSubmit={save}>
          <label htmlFor={`edit-${task.id}`} className="visually-hidden">
            Title of “{task.title}”
          </label>
          <input
            id={`edit-${task.id}`}
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Escape') cancel();
            }}
            maxLength={TASK_TITLE_MAX}
            required
            autoFocus
          />
          <button type="submit" className="button primary small" disabled={saving}>
            Save
          </button>
          <button type="button" className="button secondary small" onClick={cancel}>
            Cancel
          </button>
        </form>
      ) : (
        <>
          <input
            id={ids.checkbox}
            type="checkbox"
            checked={completed}
            aria-disabled={saving}
            aria-labelledby={ids.title}
            // While saving, the click (or Space) must not toggle the box even for a moment:
            // preventing it here is synchronous, where a re-render would come after.
            onClick={(event) => {
              if (saving) event.preventDefault();
            }}
            onChange={unlessBusy(toggle)}
          />
          <span id={ids.title} className="title">
            {task.title}
          </span>
          <div className="task-actions">
            <button
              ref={editButton}
              id={ids.edit}
              type="button"
              className="button quiet small"
              aria-disabled={saving}
              onClick={unlessBusy(() => {
                setDraft(task.title);
                setEditing(true);
              })}
              aria-label={`Edit “${task.title}”`}
            >
              Edit
            </button>
            <button
              id={ids.remove}
              type="button"
              className="button quiet small icon"
              aria-disabled={saving}
              onClick={unlessBusy(onDelete)}
              aria-label={`Delete “${task.title}”`}
              title="Delete"
            >
              <TrashIcon />
            </button>
          </div>
        </>
      )}
    </li>
  );
}

function TrashIcon() {
  return (
    <svg
      aria-hidden="true"
      focusable="false"
      width="18"
      height="18"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      <path d="M3 6h18M8 6V4h8v2M19 6l-1 14H6L5 6M10 11v6M14 11v6" />
    </svg>
  );
}
