import type { Task } from '@/lib/tasks';
import { createPendingDelete, UNDO_DELETE_MS, type Timers } from './pending-delete';

// Time is the test's: a hand-driven timer list, no real or fake global timers.
function manualTimers() {
  let now = 0;
  let next = 0;
  const due = new Map<number, { at: number; run: () => void }>();
  const timers: Timers = {
    set: (run, ms) => {
      next += 1;
      due.set(next, { at: now + ms, run });
      return next;
    },
    clear: (handle) => void due.delete(handle as number),
  };
  const advance = (ms: number) => {
    now += ms;
    for (const [id, timer] of [...due].sort((a, b) => a[1].at - b[1].at)) {
      if (timer.at <= now && due.delete(id)) timer.run();
    }
  };
  return { timers, advance, count: () => due.size };
}

const task = (id: string) => ({ id, title: `Task ${id}` }) as Task;

function setUp() {
  const clock = manualTimers();
  const sent: [string, boolean][] = [];
  let changes = 0;
  const pending = createPendingDelete({
    send: (t, leaving) => sent.push([t.id, leaving]),
    onChange: () => (changes += 1),
    timers: clock.timers,
  });
  return { clock, sent, pending, changes: () => changes };
}

describe('createPendingDelete', () => {
  it('sends nothing during the undo window, then the DELETE once', () => {
    const { clock, sent, pending } = setUp();
    pending.start(task('a'));
    expect(pending.current?.id).toBe('a');
    clock.advance(UNDO_DELETE_MS - 1);
    expect(sent).toEqual([]);
    clock.advance(1);
    expect(sent).toEqual([['a', false]]);
    expect(pending.current).toBeUndefined();
    clock.advance(UNDO_DELETE_MS * 2);
    expect(sent).toHaveLength(1);
  });

  it('undo gives the task back and nothing is ever sent', () => {
    const { clock, sent, pending, changes } = setUp();
    pending.start(task('a'));
    expect(pending.undo()?.id).toBe('a');
    expect(pending.current).toBeUndefined();
    expect(changes()).toBe(2);
    clock.advance(UNDO_DELETE_MS * 2);
    expect(sent).toEqual([]);
    expect(clock.count()).toBe(0);
    expect(pending.undo()).toBeUndefined();
  });

  it('a second delete sends the first at once and waits for its own', () => {
    const { clock, sent, pending } = setUp();
    pending.start(task('a'));
    clock.advance(1_000);
    pending.start(task('b'));
    expect(sent).toEqual([['a', false]]);
    expect(pending.undo()?.id).toBe('b');
    clock.advance(UNDO_DELETE_MS);
    expect(sent).toEqual([['a', false]]);
  });

  it('leaving the page sends the waiting delete now, marked as leaving', () => {
    const { clock, sent, pending } = setUp();
    pending.flush(true);
    expect(sent).toEqual([]);
    pending.start(task('a'));
    pending.flush(true);
    expect(sent).toEqual([['a', true]]);
    clock.advance(UNDO_DELETE_MS);
    expect(sent).toHaveLength(1);
  });
});
