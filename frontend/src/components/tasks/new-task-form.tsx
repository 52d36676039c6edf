'use client';

import { useRef, useState, type FormEvent } from 'react';
import { TASK_TITLE_MAX } from '@/lib/tasks';

interface NewTaskFormProps {
  /** Adds the task (optimistically); resolves false if the API refused it. */
  onCreate: (title: string) => Promise<boolean>;
}

/**
 * The "New task" field. The task shows in the list at once, so the field empties at once
 * for the next one; if the API refuses, the title comes back into the (still empty) field.
 */
export function NewTaskForm({ onCreate }: NewTaskFormProps) {
  const [title, setTitle] = useState('');
  const input = useRef<HTMLInputElement>(null);

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
