'use client';

import { useEffect, useRef, useState, type FormEvent } from 'react';
import { readTaskDraft, saveTaskDraft } from '@/lib/task-queries/draft';
import { TASK_TITLE_MAX } from '@/lib/tasks';

interface NewTaskFormProps {
  /** Whose draft the field keeps (sessionStorage, per user). */
  userId: string;
  /** Adds the task (optimistically); resolves false if the API refused it. */
  onCreate: (title: string) => Promise<boolean>;
}

/**
 * The "New task" field. What is typed is kept as a draft (`lib/task-queries/draft.ts`), so
 * a session that ends while the user types does not cost them the text. The task shows in the list at once, so the field empties at once
 * for the next one; if the API refuses, the title comes back into the (still empty) field.
 */
export function NewTaskForm({ userId, onCreate }: NewTaskFormProps) {
  const [title, setTitleState] = useState('');
  const input = useRef<HTMLInputElement>(null);

  // What was typed before the session ended (and the sign-in page came between).
  useEffect(() => {
    const draft = readTaskDraft(userId);
    if (draft) setTitleState((typed) => typed || draft);
  }, [userId]);

  function setTitle(next: string | ((typed: string) => string)) {
    setTitleState((typed) => {
      const value = typeof next === 'function' ? next(typed) : next;
      saveTaskDraft(userId, value);
      return value;
    });
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = title.trim();
    if (!trimmed) return;
    setTitle('');
    input.current?.focus();
    if (!(await onCreate(trimmed))) setTitle((typed) => typed || trimmed);
  }

  return (
    <form className="new-task" onSubmit={submit}>
      <label htmlFor="new-task-title" className="visually-hidden">
        New task
      </label>
      <input
        id="new-task-title"
        ref={input}
        value={title}
        onChange={(event) => setTitle(event.target.value)}
        placeholder="What needs doing?"
        maxLength={TASK_TITLE_MAX}
        autoComplete="off"
        required
      />
      <button type="submit" className="button primary" disabled={!title.trim()}>
        Add task
      </button>
    </form>
  );
}
