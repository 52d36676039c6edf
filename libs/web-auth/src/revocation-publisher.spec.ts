import {
  allRevocationPublishers,
  createPostgresRevocationPublisher,
  createRedisRevocationPublisher,
  revocationPlugin,
  type RedisMulti,
  type RevocationMessage,
} from './revocation-publisher.js';

describe('createPostgresRevocationPublisher', () => {
  it('inserts the row and NOTIFYs in one statement, with the publisher clock', async () => {
    const query = jest.fn(async () => ({}));
    const publisher = createPostgresRevocationPublisher({ pool: { query }, retentionSeconds: 10 });
    await publisher.publish({ kind: 'session', id: 's1', at: 1_000 });
    expect(query).toHaveBeenCalledTimes(1);
    const [sql, values] = query.mock.calls[0] as unknown as [string, unknown[]];
    expect(sql).toMatch(/INSERT INTO "auth_revocation"/);
    expect(sql).toMatch(/pg_notify\(\$5, \$6\) FROM "inserted"/);
    expect(values).toEqual([
      'session',
      's1',
      1_000,
      11_000,
      'auth_revocation',
      JSON.stringify({ kind: 'session', id: 's1', at: 1_000 }),
    ]);
  });

  it('rejects when the database does, and refuses bad input or identifiers', async () => {
    const failing = createPostgresRevocationPublisher({
      pool: { query: async () => Promise.reject(new Error('down')) },
    });
    await expect(failing.publish({ kind: 'user', id: 'u', at: 1 })).rejects.toThrow('down');
    const ok = createPostgresRevocationPublisher({ pool: { query: async () => ({}) } });
    await expect(ok.publish({ kind: 'all' as never, id: 'u', at: 1 })).rejects.toThrow(/kind/);
    await expect(ok.publish({ kind: 'user', id: 'u', at: NaN })).rejects.toThrow(/"at"/);
    expect(() =>
      createPostgresRevocationPublisher({ pool: { query: async () => ({}) }, table: 'x"; --' }),
    ).toThrow(/table must be a lower-case SQL identifier/);
  });
});

describe('createRedisRevocationPublisher', () => {
  function fakeRedis(result: Array<[Error | null, unknown]> | null) {
    const calls: unknown[][] = [];
    const multi: RedisMulti = {
      zadd: (...args) => (calls.push(['zadd', ...args]), multi),
      zremrangebyscore: (...args) => (calls.push(['zremrangebyscore', ...args]), multi),
      pexpire: (...args) => (calls.push(['pexpire', ...args]), multi),
      publish: (...args) => (calls.push(['publish', ...args]), multi),
      exec: async () => result,
    };
    return { redis: { multi: () => multi }, calls };
  }

  it('adds to the sorted set by time and publishes, in one MULTI', async () => {
    const { redis, calls } = fakeRedis([]);
    await createRedisRevocationPublisher({ redis }).publish({ kind: 'user', id: 'u1', at: 5 });
    const text = JSON.stringify({ kind: 'user', id: 'u1', at: 5 });
    expect(calls[0]).toEqual(['zadd', 'authbridge:revocations', 5, text]);
    expect(calls[3]).toEqual(['publish', 'authbridge:revocations', text]);
  });

  it('rejects when a command failed or the MULTI was discarded', async () => {
    const failed = fakeRedis([[new Error('OOM'), null]]);
    await expect(
      createRedisRevocationPublisher(failed).publish({ kind: 'user', id: 'u', at: 1 }),
    ).rejects.toThrow('OOM');
    const discarded = fakeRedis(null);
    await expect(
      createRedisRevocationPublisher(discarded).publish({ kind: 'user', id: 'u', at: 1 }),
    ).rejects.toThrow(/discarded/);
  });
});

describe('revocationPlugin (Better Auth database hooks)', () => {
  function hooksWith(publish: (r: RevocationMessage) => Promise<void>) {
    const onError = jest.fn();
    const plugin = revocationPlugin({ publisher: { publish }, onError, now: () => 42 });
    return { hooks: plugin.init().options.databaseHooks, onError };
  }

  it('publishes a session before its row is deleted, and fails the deletion if it cannot', async () => {
    const published: RevocationMessage[] = [];
    const { hooks } = hooksWith(async (r) => void published.push(r));
    await hooks.session.delete.before({ id: 's1', userId: 'u1' });
    expect(published).toEqual([{ kind: 'session', id: 's1', at: 42 }]);

    const down = hooksWith(async () => Promise.reject(new Error('db down')));
    await expect(down.hooks.session.delete.before({ id: 's1', userId: 'u1' })).rejects.toThrow(
      'db down',
    );
  });

  it('publishes a user on deletion, and on a ban (reported, not thrown, if it fails)', async () => {
    const published: RevocationMessage[] = [];
    const { hooks } = hooksWith(async (r) => void published.push(r));
    await hooks.user.delete.before({ id: 'u1' });
    await hooks.user.update.after({ id: 'u2', banned: true });
    await hooks.user.update.after({ id: 'u3', banned: false });
    expect(published).toEqual([
      { kind: 'user', id: 'u1', at: 42 },
      { kind: 'user', id: 'u2', at: 42 },
    ]);
    const down = hooksWith(async () => Promise.reject(new Error('db down')));
    await down.hooks.user.update.after({ id: 'u2', banned: true });
    expect(down.onError).toHaveBeenCalledWith(expect.any(Error), {
      kind: 'user',
      id: 'u2',
      at: 42,
    });
  });

  it('allRevocationPublishers publishes to each, and rejects if one fails', async () => {
    const a = jest.fn(async () => undefined);
    const b = jest.fn(async () => Promise.reject(new Error('redis down')));
    await expect(
      allRevocationPublishers([{ publish: a }, { publish: b }]).publish({
        kind: 'user',
        id: 'u',
        at: 1,
      }),
    ).rejects.toThrow('redis down');
    expect(a).toHaveBeenCalledTimes(1);
  });
});
