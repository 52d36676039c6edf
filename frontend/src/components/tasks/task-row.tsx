'use client';

import { useRef, useState, type FormEvent } from 'react';
import { TASK_TITLE_MAX, type Task } from '@/lib/tasks';
import { taskControlIds } from './focus';

export interface TaskRowProps {
  task: Task;
  /** A change of this task is in flight: its controls wait. */
  busy: boolean;
  onToggle: () => void;
  onRename: (title: string) => void;
  onDelete: () => void;
}

/**
 * One task: its checkbox and title, Edit and Delete; or, while editing, the title field.
 * Busy controls are `aria-disabled`, not `disabled`: a disabled control drops the keyboard
 * focus to the page body, so a task ticked with Space would lose its place while it saves.
 * The title is not the checkbox's `<label>`: clicking it to read it must not tick the task.
 */
export function TaskRow({ task, busy, onToggle, onRename, onDelete }: TaskRowProps) {
  const [editing, setEditing] = useState(false);
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
    if (!busy) run();
  };

  return (
    <li className={`task${task.completed ? ' done' : ''}`} aria-busy={busy}>
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
          <button type="submit" className="button primary small" disabled={busy}>
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
            checked={task.completed}
            aria-disabled={busy}
            aria-labelledby={ids.title}
            // While saving, the click (or Space) must not toggle the box even for a moment:
            // preventing it here is synchronous, where a re-render would come after.
            onClick={(event) => {
              if (busy) event.preventDefault();
            }}
            onChange={unlessBusy(onToggle)}
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
              aria-disabled={busy}
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
              aria-disabled={busy}
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
