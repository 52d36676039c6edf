import type { Task } from '@/lib/tasks';

/**
 * A delete that waits: the task leaves the list at once, "Undo" can bring it back for
 * `delayMs`, and only then is the DELETE sent. One at a time: a second delete sends the
 * first one's at once (the toast only ever offers the latest), and `flush()` sends the
 * waiting one now (the page is being left). Free of React and of real timers: the timer
 * functions are injected, so tests drive time themselves.
 */

/** How long "Undo" is offered before the DELETE goes out. */
export const UNDO_DELETE_MS = 5_000;

export interface Timers {
  set: (run: () => void, ms: number) => unknown;
  clear: (handle: unknown) => void;
}

const realTimers: Timers = {
  set: (run, ms) => setTimeout(run, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface PendingDeleteOptions {
  /** Sends the DELETE of `task`; `leaving` is true when the page is going away. */
  send: (task: Task, leaving: boolean) => void;
  /** Called whenever the waiting task changes (start, undo, sent). */
  onChange: () => void;
  delayMs?: number;
  timers?: Timers;
}

export interface PendingDelete {
  /** The task waiting to be deleted, if any (hidden from the list meanwhile). */
  readonly current: Task | undefined;
  /** Starts the wait for `task`; a task already waiting is sent at once. */
  start(task: Task): void;
  /** Cancels the waiting delete: returns the task to show again (undefined if none). */
  undo(): Task | undefined;
  /** Sends the waiting delete now (`leaving`: the page is going away). */
  flush(leaving?: boolean): void;
}

/**
 * @example
 * const pending = createPendingDelete({ send: (task) => remove.mutate({ id: task.id }), onChange: rerender });
 * pending.start(task); // hidden now, sent in 5 s
 * pending.undo();      // back, nothing sent
 */
export function createPendingDelete(options: PendingDeleteOptions): PendingDelete {
  const timers = options.timers ?? realTimers;
  const delayMs = options.delayMs ?? UNDO_DELETE_MS;
  let waiting: { task: Task; timer: unknown } | undefined;

  function take() {
    const taken = waiting;
    if (taken) timers.clear(taken.timer);
    waiting = undefined;
    return taken?.task;
  }

  function flush(leaving = false) {
    const task = take();
    if (!task) return;
    options.send(task, leaving);
    options.onChange();
  }

  return {
    get current() {
      return waiting?.task;
    },
    start(task) {
      const before = take();
      if (before) options.send(before, false);
      waiting = { task, timer: timers.set(() => flush(false), delayMs) };
      options.onChange();
    },
    undo() {
      const task = take();
      if (task) options.onChange();
      return task;
    },
    flush,
  };
}
