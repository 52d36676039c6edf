// Publishing revocations from the Better Auth side, for @authbridge/nest-auth's
// PostgresRevocationSource / RedisRevocationSource. Structural types only: no dependency on
// pg, ioredis or better-auth, the app passes the clients it already has.

/**
 * A session (`kind: 'session'`, `id` = the session id, the tokens' `sid`) or every session a
 * user had so far (`kind: 'user'`, `id` = the user id, the tokens' `sub`). `at`: when, in ms
 * since the epoch, by this process's clock (the one that stamps the tokens' `iat`).
 *
 * @example
 * await publisher.publish({ kind: 'session', id: session.id, at: Date.now() });
 */
export interface RevocationMessage {
  kind: 'session' | 'user';
  id: string;
  at: number;
}

/**
 * Makes a revocation known to every API instance. Resolves once it is durable (a row, a
 * sorted-set entry); rejects when it is not, so the caller can refuse to go on.
 *
 * @example
 * const publisher: RevocationPublisher = createPostgresRevocationPublisher({ pool });
 */
export interface RevocationPublisher {
  publish(revocation: RevocationMessage): Promise<void>;
}

/** What {@link createPostgresRevocationPublisher} needs of a `pg` Pool or Client. */
export interface SqlQueryable {
  query(text: string, values?: unknown[]): Promise<unknown>;
}

/** What {@link createRedisRevocationPublisher} needs of an ioredis client. */
export interface RedisPublishing {
  multi(): RedisMulti;
}

/** The chainable MULTI of an ioredis client, as {@link RedisPublishing} uses it. */
export interface RedisMulti {
  zadd(key: string, score: number, member: string): RedisMulti;
  zremrangebyscore(key: string, min: string | number, max: string | number): RedisMulti;
  pexpire(key: string, milliseconds: number): RedisMulti;
  publish(channel: string, message: string): RedisMulti;
  exec(): Promise<Array<[Error | null, unknown]> | null>;
}

/** Token lifetime + clock tolerance, in seconds: how long a revocation matters (900 + 5). */
const DEFAULT_RETENTION_SECONDS = 905;
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The table the PostgreSQL publisher writes, as SQL (idempotent): run it where the Better
 * Auth schema is migrated. The same text as `postgresRevocationTableSql` of
 * @authbridge/nest-auth (a test pins that), which the API side can also run.
 *
 * @example
 * await pool.query(postgresRevocationTableSql());
 */
export function postgresRevocationTableSql(table = 'auth_revocation'): string {
  identifier('table', table);
  return `CREATE TABLE IF NOT EXISTS "${table}" (
  "id" bigserial PRIMARY KEY,
  "kind" text NOT NULL CHECK ("kind" IN ('session', 'user')),
  "subject" text NOT NULL,
  "revoked_at" timestamptz NOT NULL,
  "expires_at" timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS "${table}_revoked_at_idx" ON "${table}" ("revoked_at");`;
}

/**
 * Options of {@link createPostgresRevocationPublisher}.
 *
 * @example
 * createPostgresRevocationPublisher({ pool, table: 'auth_revocation', channel: 'auth_revocation' });
 */
export interface PostgresRevocationPublisherOptions {
  /** A `pg` Pool (or anything with `query(text, values)`) on the Better Auth database. */
  pool: SqlQueryable;
  /** Default: `auth_revocation` (same default as nest-auth's source). */
  table?: string;
  /** Default: `auth_revocation`. */
  channel?: string;
  /** How long a row matters (token lifetime + tolerance), in seconds. Default: 905. */
  retentionSeconds?: number;
}

/**
 * Publishes to PostgreSQL: one statement inserts the row (durable) and NOTIFYs the channel
 * (push). It is one transaction, so listeners hear of it only once the row is committed.
 * Rows older than the retention are deleted as new ones come.
 *
 * @example
 * const publisher = createPostgresRevocationPublisher({ pool: new Pool({ connectionString }) });
 * await publisher.publish({ kind: 'user', id: user.id, at: Date.now() });
 */
export function createPostgresRevocationPublisher(
  options: PostgresRevocationPublisherOptions,
): RevocationPublisher {
  const table = identifier('table', options.table ?? 'auth_revocation');
  const channel = identifier('channel', options.channel ?? 'auth_revocation');
  const retentionMs = (options.retentionSeconds ?? DEFAULT_RETENTION_SECONDS) * 1000;
  const insert = `WITH "inserted" AS (
      INSERT INTO "${table}" ("kind", "subject", "revoked_at", "expires_at")
      VALUES ($1, $2, to_timestamp($3::double precision / 1000), to_timestamp($4::double precision / 1000))
      RETURNING "id"
    ), "pruned" AS (
      DELETE FROM "${table}" WHERE "expires_at" < now() - interval '1 minute'
    )
    SELECT pg_notify($5, $6) FROM "inserted"`;
  return {
    async publish(revocation) {
      const message = checked(revocation);
      await options.pool.query(insert, [
        message.kind,
        message.id,
        message.at,
        message.at + retentionMs,
        channel,
        JSON.stringify(message),
      ]);
    },
  };
}

/**
 * Options of {@link createRedisRevocationPublisher}.
 *
 * @example
 * createRedisRevocationPublisher({ redis: new Redis(process.env.REDIS_URL!) });
 */
export interface RedisRevocationPublisherOptions {
  /** An ioredis client (not one in subscriber mode). */
  redis: RedisPublishing;
  /** Sorted set of revocations, scored by time. Default: `authbridge:revocations`. */
  key?: string;
  /** Pub/sub channel. Default: `authbridge:revocations`. */
  channel?: string;
  /** How long an entry matters, in seconds. Default: 905. */
  retentionSeconds?: number;
}

/**
 * Publishes to Redis: adds the revocation to a sorted set scored by its time (durable, read
 * by API instances on start and reconnect), trims what is older than the retention, and
 * PUBLISHes it, all in one MULTI.
 *
 * @example
 * const publisher = createRedisRevocationPublisher({ redis });
 */
export function createRedisRevocationPublisher(
  options: RedisRevocationPublisherOptions,
): RevocationPublisher {
  const key = options.key ?? 'authbridge:revocations';
  const channel = options.channel ?? 'authbridge:revocations';
  const retentionMs = (options.retentionSeconds ?? DEFAULT_RETENTION_SECONDS) * 1000;
  return {
    async publish(revocation) {
      const message = checked(revocation);
      const text = JSON.stringify(message);
      const results = await options.redis
        .multi()
        .zadd(key, message.at, text)
        .zremrangebyscore(key, '-inf', Date.now() - retentionMs)
        .pexpire(key, retentionMs * 2)
        .publish(channel, text)
        .exec();
      const failed = results?.find(([error]) => error);
      if (!results || failed) throw failed?.[0] ?? new Error('Redis MULTI was discarded');
    },
  };
}

/**
 * Publishes to each publisher in turn (e.g. PostgreSQL, then Redis); rejects if any fails.
 *
 * @example
 * const publisher = allRevocationPublishers([postgres, redis]);
 */
export function allRevocationPublishers(publishers: RevocationPublisher[]): RevocationPublisher {
  return {
    async publish(revocation) {
      for (const publisher of publishers) await publisher.publish(revocation);
    },
  };
}

interface SessionRow {
  id: string;
  userId: string;
}
interface UserRow {
  id: string;
  banned?: boolean | null;
}

/**
 * Options of {@link revocationPlugin}.
 *
 * @example
 * revocationPlugin({ publisher, onError: (error) => logger.error(error) });
 */
export interface RevocationPluginOptions {
  publisher: RevocationPublisher;
  /** Reports a failed publication that could not stop the operation (a ban). Default: console.error. */
  onError?: (error: unknown, revocation: RevocationMessage) => void;
  /** The clock of `at`. Default: `Date.now`. */
  now?: () => number;
}

/**
 * A Better Auth plugin that publishes revocations from Better Auth's database hooks, so every
 * way a session ends is covered without touching a route: sign-out, `revokeSession`,
 * `revokeSessions`, `revokeOtherSessions`, a password change with `revokeOtherSessions`, a
 * password reset, user deletion and the admin plugin's ban all delete session rows, and each
 * deleted row is published as a session revocation. User deletion and a ban also publish a
 * user revocation. A session revocation is published BEFORE the row goes: if it cannot be
 * made durable, the hook throws, the sign-out fails and the session stays (the user can
 * retry), rather than the session ending while its tokens still work at the API.
 *
 * @example
 * betterAuth({
 *   plugins: [jwt(), revocationPlugin({ publisher: createPostgresRevocationPublisher({ pool }) })],
 * });
 */
export function revocationPlugin(options: RevocationPluginOptions) {
  const now = options.now ?? (() => Date.now());
  const report =
    options.onError ??
    ((error: unknown, revocation: RevocationMessage) =>
      console.error(
        `[revocation] could not publish the revocation of ${revocation.kind} ${revocation.id}:`,
        error,
      ));
  const publish = (kind: RevocationMessage['kind'], id: string) =>
    options.publisher.publish({ kind, id, at: now() });
  return {
    id: 'authbridge-revocation',
    init() {
      return {
        options: {
          databaseHooks: {
            session: {
              delete: {
                before: async (session: SessionRow) => {
                  await publish('session', session.id);
                },
              },
            },
            user: {
              delete: {
                before: async (user: UserRow) => {
                  await publish('user', user.id);
                },
              },
              update: {
                after: async (user: UserRow) => {
                  if (user?.banned !== true) return;
                  const revocation: RevocationMessage = { kind: 'user', id: user.id, at: now() };
                  await options.publisher.publish(revocation).catch((error: unknown) => {
                    report(error, revocation);
                  });
                },
              },
            },
          },
        },
      };
    },
  };
}

function identifier(name: string, value: string): string {
  if (!IDENTIFIER.test(value)) {
    throw new Error(
      `Revocation publisher: ${name} must be a lower-case SQL identifier, got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

function checked(revocation: RevocationMessage): RevocationMessage {
  const { kind, id, at } = revocation;
  if ((kind !== 'session' && kind !== 'user') || typeof id !== 'string' || id.length === 0) {
    throw new Error('Revocation publisher: a revocation needs kind "session" | "user" and an id.');
  }
  if (typeof at !== 'number' || !Number.isFinite(at)) {
    throw new Error('Revocation publisher: "at" must be a time in ms since the epoch.');
  }
  return { kind, id, at };
}
