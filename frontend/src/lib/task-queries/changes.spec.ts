import { InfiniteQueryObserver, MutationObserver, type QueryClient } from '@tanstack/react-query';
import type { Task, TaskPage } from '@/lib/tasks';
import { taskChanges } from './changes';
import { firstPageData, taskKeys, type TaskListData, type TasksApi } from './keys';
import { taskListOptions } from './list';
import { createQueryClient } from './query-client';

// The optimistic changes against a real QueryClient and a scripted API: every API call
// waits until the test answers it, so each step (guess shown, answer applied, refusal
// undone) is looked at between the call and the answer. No timers anywhere.

type Method = keyof TasksApi;
interface Call {
  method: Method;
  args: unknown[];
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** A TasksApi whose every call is held until the test resolves or rejects it. */
function scriptedApi() {
  const calls: Call[] = [];
  const waiting: { method: Method; take: (call: Call) => void }[] = [];
  const method =
    (name: Method) =>
    (...args: unknown[]) =>
      new Promise((resolve, reject) => {
        const call = { method: name, args, resolve, reject };
        const waiter = waiting.findIndex((w) => w.method === name);
        if (waiter === -1) calls.push(call);
        else waiting.splice(waiter, 1)[0]!.take(call);
      });
  const api = {
    list: method('list'),
    create: method('create'),
    update: method('update'),
    remove: method('remove'),
  } as unknown as TasksApi;
  /** The next call of `name` (a change's guess is applied before its call). */
  const nextCall = (name: Method): Promise<Call> => {
    const index = calls.findIndex((call) => call.method === name);
    if (index !== -1) return Promise.resolve(calls.splice(index, 1)[0]!);
    return new Promise((take) => waiting.push({ method: name, take }));
  };
  /** Calls of `name` made and not yet taken by `nextCall`. */
  const pending = (name: Method) => calls.filter((call) => call.method === name).length;
  return { api, nextCall, pending };
}

const USER = 'user-1';
const task = (id: string, changes: Partial<Task> = {}): Task => ({
  id,
  title: `Task ${id}`,
  description: null,
  completed: false,
  createdAt: '2030-01-01T00:00:00.000Z',
  updatedAt: '2030-01-01T00:00:00.000Z',
  ...changes,
});
const page = (items: Task[], nextCursor: string | null = null): TaskPage => ({ items, nextCursor });

let client: QueryClient;
let stops: (() => void)[];

beforeEach(() => {
  client = createQueryClient();
  stops = [];
});
afterEach(() => {
  for (const stop of stops) stop();
  client.clear();
});

const listData = () => client.getQueryData<TaskListData>(taskKeys.list(USER));
const ids = () => listData()?.pages.flatMap((p) => p.items.map((item) => item.id));
const find = (id: string) =>
  listData()
    ?.pages.flatMap((p) => p.items)
    .find((t) => t.id === id);

/** A board's view of the list: an observer, so invalidation refetches it. */
function watchList(api: TasksApi, first?: TaskPage) {
  const observer = new InfiniteQueryObserver(client, taskListOptions(api, USER, first));
  stops.push(observer.subscribe(() => {}));
  return observer;
}

function run<V>(
  options: ReturnType<typeof taskChanges>[keyof ReturnType<typeof taskChanges>],
  variables: V,
) {
  const observer = new MutationObserver(client, options as never);
  return (observer.mutate(variables as never) as Promise<unknown>).then(
    () => 'saved',
    () => 'refused',
  );
}

describe('the task list query', () => {
  it('fetches the first page, then the next one by its cursor, until there is none', async () => {
    const { api, nextCall } = scriptedApi();
    const observer = watchList(api);
    const first = await nextCall('list');
    expect(first).toMatchObject({ method: 'list', args: [null] });
    first.resolve(page([task('a')], 'cursor-1'));
    await client.getQueryCache().find({ queryKey: taskKeys.list(USER) })!.promise;
    expect(observer.getCurrentResult().hasNextPage).toBe(true);

    const more = observer.fetchNextPage();
    const second = await nextCall('list');
    expect(second).toMatchObject({ method: 'list', args: ['cursor-1'] });
    second.resolve(page([task('b')], null));
    const result = await more;
    expect(result.data?.pages.flatMap((p) => p.items.map((t) => t.id))).toEqual(['a', 'b']);
    expect(result.hasNextPage).toBe(false);
  });

  it('shows a first page handed over by the server without fetching it again', async () => {
    const { api, pending } = scriptedApi();
    const observer = watchList(api, page([task('from-server')], 'c1'));
    expect(observer.getCurrentResult()).toMatchObject({ status: 'success', hasNextPage: true });
    expect(ids()).toEqual(['from-server']);
    expect(pending('list')).toBe(0);
  });

  it('keeps each user under their own key', () => {
    expect(taskKeys.list('a')).not.toEqual(taskKeys.list('b'));
    client.setQueryData(taskKeys.list('a'), firstPageData(page([task('mine')])));
    expect(client.getQueryData(taskKeys.list('b'))).toBeUndefined();
  });
});

describe('optimistic changes', () => {
  function seeded(items: Task[]) {
    const script = scriptedApi();
    watchList(script.api, page(items));
    const changes = taskChanges(script.api, USER, { onError: (_e, kind) => errors.push(kind) });
    const errors: string[] = [];
    return { ...script, changes, errors };
  }

  it('create: a draft at the top at once, replaced by the task the API made', async () => {
    const { changes, nextCall } = seeded([task('old')]);
    const done = run(changes.create, { id: 'draft-x', title: 'New one' });
    const call = await nextCall('create');
    expect(call).toMatchObject({ method: 'create', args: ['New one'] });
    expect(ids()).toEqual(['draft-x', 'old']);
    expect(find('draft-x')).toMatchObject({ title: 'New one', completed: false });

    call.resolve(task('real', { title: 'New one' }));
    expect(await done).toBe('saved');
    expect(ids()).toEqual(['real', 'old']);
  });

  it('create: refused, the draft goes and the error is reported', async () => {
    const { changes, nextCall, errors } = seeded([task('old')]);
    const done = run(changes.create, { id: 'draft-x', title: 'New one' });
    (await nextCall('create')).reject(new Error('no'));
    expect(await done).toBe('refused');
    expect(ids()).toEqual(['old']);
    expect(errors).toEqual(['create']);
  });

  it('toggle: flips at once, takes the API answer, flips back if refused', async () => {
    const { changes, nextCall, errors } = seeded([task('a'), task('b')]);
    const saved = run(changes.toggle, { id: 'a', completed: true });
    const call = await nextCall('update');
    expect(call).toMatchObject({ method: 'update', args: ['a', { completed: true }] });
    expect(find('a')?.completed).toBe(true);
    call.resolve(task('a', { completed: true, updatedAt: '2030-01-02T00:00:00.000Z' }));
    expect(await saved).toBe('saved');
    expect(find('a')).toMatchObject({ completed: true, updatedAt: '2030-01-02T00:00:00.000Z' });

    const refused = run(changes.toggle, { id: 'b', completed: true });
    const second = await nextCall('update');
    expect(find('b')?.completed).toBe(true);
    second.reject(new Error('no'));
    expect(await refused).toBe('refused');
    expect(find('b')?.completed).toBe(false);
    expect(errors).toEqual(['toggle']);
  });

  /** Tasks a and b, both toggled, both calls held. */
  async function twoToggles() {
    const script = seeded([task('a'), task('b')]);
    const first = run(script.changes.toggle, { id: 'a', completed: true });
    const callA = await script.nextCall('update');
    const second = run(script.changes.toggle, { id: 'b', completed: true });
    const callB = await script.nextCall('update');
    return { ...script, first, callA, second, callB };
  }

  it('a refusal undoes only its own change, not one made meanwhile', async () => {
    const { first, callA, second, callB } = await twoToggles();
    callB.resolve(task('b', { completed: true }));
    await second;
    callA.reject(new Error('no'));
    await first;
    expect(find('a')?.completed).toBe(false);
    expect(find('b')?.completed).toBe(true);
  });

  it('rename: the new title at once, the old one back if refused', async () => {
    const { changes, nextCall, errors } = seeded([task('a', { title: 'Old title' })]);
    const done = run(changes.rename, { id: 'a', title: 'New title' });
    const call = await nextCall('update');
    expect(call).toMatchObject({ method: 'update', args: ['a', { title: 'New title' }] });
    expect(find('a')?.title).toBe('New title');
    call.reject(new Error('no'));
    expect(await done).toBe('refused');
    expect(find('a')?.title).toBe('Old title');
    expect(errors).toEqual(['rename']);
  });

  it('delete: gone at once, back in its place if refused', async () => {
    const { changes, nextCall, errors } = seeded([task('a'), task('b'), task('c')]);
    const done = run(changes.remove, { id: 'b' });
    const call = await nextCall('remove');
    expect(call).toMatchObject({ method: 'remove', args: ['b'] });
    expect(ids()).toEqual(['a', 'c']);
    call.reject(new Error('no'));
    expect(await done).toBe('refused');
    expect(ids()).toEqual(['a', 'b', 'c']);
    expect(errors).toEqual(['delete']);
  });

  it('fetches the list again once, when the last change in flight settles', async () => {
    const { first, callA, second, callB, nextCall, pending } = await twoToggles();
    callA.resolve(task('a', { completed: true }));
    await first;
    expect(pending('list')).toBe(0); // not yet: b is still in flight
    callB.resolve(task('b', { completed: true }));
    await second;
    const refetch = await nextCall('list');
    expect(refetch).toMatchObject({ method: 'list', args: [null] });
    refetch.resolve(page([task('a', { completed: true }), task('b', { completed: true })]));
  });

  it('a list fetch in flight cannot land on top of a guess', async () => {
    const { api, nextCall } = scriptedApi();
    const observer = watchList(api, page([task('a')], 'c1'));
    const changes = taskChanges(api, USER);
    void observer.fetchNextPage();
    const more = await nextCall('list');
    expect(more).toMatchObject({ method: 'list', args: ['c1'] });
    const toggled = run(changes.toggle, { id: 'a', completed: true });
    const update = await nextCall('update');
    // The page arrives after the guess: it was cancelled, so it does not overwrite it.
    more.resolve(page([task('b')], null));
    expect(find('a')?.completed).toBe(true);
    update.resolve(task('a', { completed: true }));
    await toggled;
    expect(find('a')?.completed).toBe(true);
  });
});
