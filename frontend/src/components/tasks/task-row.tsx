'use client';

import { useRef, useState, type FormEvent } from 'react';
import { TASK_TITLE_MAX, type Task } from '@/lib/tasks';

export interface TaskRowProps {
  task: Task;
  /** A change of this task is in flight: its controls wait. */
  busy: boolean;
  onToggle: () => void;
  onRename: (title: string) => void;
  onDelete: () => void;
}

/** One task: its checkbox and title, Edit and Delete; or, while editing, the title field. */
export function TaskRow({ task, busy, onToggle, onRename, onDelete }: TaskRowProps) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(task.title);
  const editButton = useRef<HTMLButtonElement>(null);
  const checkboxId = `task-${task.id}`;

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
            id={checkboxId}
            type="checkbox"
            checked={task.completed}
            disabled={busy}
            onChange={onToggle}
          />
          <label htmlFor={checkboxId} className="title">
            {task.title}
          </label>
          <div className="task-actions">
            <button
              ref={editButton}
              type="button"
              className="button secondary small"
              disabled={busy}
              onClick={() => {
                setDraft(task.title);
                setEditing(true);
              }}
              aria-label={`Edit “${task.title}”`}
            >
              Edit
            </button>
            <button
              type="button"
              className="button danger small"
              disabled={busy}
              onClick={onDelete}
              aria-label={`Delete “${task.title}”`}
            >
              Delete
            </button>
          </div>
        </>
      )}
    </li>
  );
}
