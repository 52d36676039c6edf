'use client';

import { isApiError } from '@authbridge/web-auth';
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { apiClient } from '@/lib/auth-client';
import { TASK_TITLE_MAX, tasksApi, type Task } from '@/lib/tasks';

type Load =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; tasks: Task[]; nextCursor: string | null };

function messageOf(error: unknown): string {
  return isApiError(error) ? error.message : 'Something went wrong. Please try again.';
}

/** The signed-in user's tasks: list, create, toggle done, rename, delete. */
export function TaskBoard({ apiUrl, userId }: { apiUrl: string; userId: string }) {
  const api = useMemo(() => tasksApi(apiClient(apiUrl, userId), userId), [apiUrl, userId]);
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [actionError, setActionError] = useState<string | null>(null);
  const [busyIds, setBusyIds] = useState<ReadonlySet<string>>(new Set());
  const [loadingMore, setLoadingMore] = useState(false);

  const fetchFirstPage = useCallback(async () => {
    setLoad({ status: 'loading' });
    try {
      const page = await api.list();
      setLoad({ status: 'ready', tasks: page.items, nextCursor: page.nextCursor });
    } catch (error) {
      setLoad({ status: 'error', message: messageOf(error) });
    }
  }, [api]);

  useEffect(() => {
    void fetchFirstPage();
  }, [fetchFirstPage]);

  const setTasks = (update: (tasks: Task[]) => Task[]) =>
    setLoad((current) =>
      current.status === 'ready' ? { ...current, tasks: update(current.tasks) } : current,
    );

  async function withBusy(id: string, work: () => Promise<void>) {
    setBusyIds((ids) => new Set(ids).add(id));
    setActionError(null);
    try {
      await work();
    } catch (error) {
      setActionError(messageOf(error));
    } finally {
      setBusyIds((ids) => {
        const next = new Set(ids);
        next.delete(id);
        return next;
      });
    }
  }

  async function loadMore() {
    if (load.status !== 'ready' || !load.nextCursor) return;
    setLoadingMore(true);
    try {
      const page = await api.list(load.nextCursor);
      setLoad({
        status: 'ready',
        tasks: [...load.tasks, ...page.items],
        nextCursor: page.nextCursor,
      });
    } catch (error) {
      setActionError(messageOf(error));
    } finally {
      setLoadingMore(false);
    }
  }

  return (
    <div className="board">
      <NewTaskForm
        onCreate={async (title) => {
          setActionError(null);
          try {
            const task = await api.create(title);
            setTasks((tasks) => [task, ...tasks]);
            return true;
          } catch (error) {
            setActionError(messageOf(error));
            return false;
          }
        }}
      />

      <div aria-live="polite" className="live">
        {actionError ? (
          <p className="alert" role="alert">
            {actionError}
          </p>
        ) : null}
      </div>

      {load.status === 'loading' ? (
        <p className="state" role="status">
          <span className="spinner" aria-hidden="true" /> Loading your tasks…
        </p>
      ) : load.status === 'error' ? (
        <div className="state error" role="alert">
          <p>Could not load your tasks: {load.message}</p>
          <button type="button" className="button secondary" onClick={() => void fetchFirstPage()}>
            Try again
          </button>
        </div>
      ) : load.tasks.length === 0 ? (
        <p className="state empty">No tasks yet. Add your first one above.</p>
      ) : (
        <>
          <ul className="tasks" aria-label="Tasks">
            {load.tasks.map((task) => (
              <TaskItem
                key={task.id}
                task={task}
                busy={busyIds.has(task.id)}
                onToggle={() => {
                  // Optimistic: the box flips at once and flips back if the API says no.
                  const completed = !task.completed;
                  const apply = (value: Task | boolean) =>
                    setTasks((tasks) =>
                      tasks.map((t) =>
                        t.id !== task.id
                          ? t
                          : typeof value === 'boolean'
                            ? { ...t, completed: value }
                            : value,
                      ),
                    );
                  apply(completed);
                  return withBusy(task.id, async () => {
                    try {
                      apply(await api.update(task.id, { completed }));
                    } catch (error) {
                      apply(!completed);
                      throw error;
                    }
                  });
                }}
                onRename={(title) =>
                  withBusy(task.id, async () => {
                    const updated = await api.update(task.id, { title });
                    setTasks((tasks) => tasks.map((t) => (t.id === task.id ? updated : t)));
                  })
                }
                onDelete={() =>
                  withBusy(task.id, async () => {
                    await api.remove(task.id);
                    setTasks((tasks) => tasks.filter((t) => t.id !== task.id));
                  })
                }
              />
            ))}
          </ul>
          {load.nextCursor ? (
            <button
              type="button"
              className="button secondary"
              onClick={() => void loadMore()}
              disabled={loadingMore}
            >
              {loadingMore ? 'Loading…' : 'Load more'}
            </button>
          ) : null}
        </>
      )}
    </div>
  );
}

function NewTaskForm({ onCreate }: { onCreate: (title: string) => Promise<boolean> }) {
  const [title, setTitle] = useState('');
  const [pending, setPending] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = title.trim();
    if (!trimmed) return;
    setPending(true);
    if (await onCreate(trimmed)) setTitle('');
    setPending(false);
    input.current?.focus();
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
      <button type="submit" className="button primary" disabled={pending || !title.trim()}>
        {pending ? 'Adding…' : 'Add task'}
      </button>
    </form>
  );
}

interface TaskItemProps {
  task: Task;
  busy: boolean;
  onToggle: () => Promise<void>;
  onRename: (title: string) => Promise<void>;
  onDelete: () => Promise<void>;
}

function TaskItem({ task, busy, onToggle, onRename, onDelete }: TaskItemProps) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(task.title);
  const editButton = useRef<HTMLButtonElement>(null);
  const checkboxId = `task-${task.id}`;

  function stopEditing() {
    setEditing(false);
    // Give keyboard users their place back.
    requestAnimationFrame(() => editButton.current?.focus());
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    const trimmed = draft.trim();
    if (trimmed && trimmed !== task.title) await onRename(trimmed);
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
              if (event.key === 'Escape') {
                setDraft(task.title);
                stopEditing();
              }
            }}
            maxLength={TASK_TITLE_MAX}
            required
            autoFocus
          />
          <button type="submit" className="button primary small" disabled={busy}>
            Save
          </button>
          <button
            type="button"
            className="button secondary small"
            onClick={() => {
              setDraft(task.title);
              stopEditing();
            }}
          >
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
            onChange={() => void onToggle()}
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
              onClick={() => void onDelete()}
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
