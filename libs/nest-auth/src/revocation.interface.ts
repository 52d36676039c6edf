/**
 * One revocation: a session (`kind: 'session'`, `id` = the tokens' `sid`) or every session a
 * user had so far (`kind: 'user'`, `id` = the tokens' `sub`: tokens issued at or before `at`
 * are refused). `at` is when it happened, in milliseconds since the epoch.
 *
 * @example
 * const revocation: Revocation = { kind: 'session', id: session.id, at: Date.now() };
 */
export interface Revocation {
  kind: 'session' | 'user';
  id: string;
  at: number;
}

/**
 * Where a {@link RevocationSource} puts what it learns: the API instance's in-memory list.
 * Kept for `retentionMs` (the longest token lifetime plus the clock tolerance), after which
 * every token it could refuse has expired anyway.
 *
 * @example
 * async start(sink: RevocationSink) {
 *   for (const row of await loadSince(sink.now() - sink.retentionMs)) sink.add(row);
 * }
 */
export interface RevocationSink {
  /** How far back a source must load on start and after a reconnect, in milliseconds. */
  readonly retentionMs: number;
  /** The clock the list judges with (injectable, so tests control time). */
  now(): number;
  /** Records a revocation; older than `retentionMs` is ignored, a repeat is harmless. */
  add(revocation: Revocation): void;
  /**
   * Refuses every token issued at or before `at` (ms) until called with `undefined`: the
   * `refuse` answer to an outage of the channel (see {@link RevocationStatus}).
   */
  refuseIssuedBefore(at: number | undefined): void;
}

/**
 * What a {@link RevocationSource} reports about its channel, for a health endpoint and logs.
 *
 * @example
 * const { channel, fallback } = source.status(); // 'down', 'poll'
 */
export interface RevocationStatus {
  /** Which implementation: `memory`, `postgres`, `redis`. */
  source: string;
  /**
   * `up`: pushes arrive; `down`: the channel is lost and `fallback` is in force;
   * `starting` before the first load; `stopped` after shutdown.
   */
  channel: 'starting' | 'up' | 'down' | 'stopped';
  /** Since when (ISO 8601) the channel is in this state. */
  since: string;
  /** While `down`: `poll` (the durable store is read periodically) or `refuse` (older tokens are refused). */
  fallback?: 'poll' | 'refuse';
  /** The last connection error, as a message (never a connection string). */
  lastError?: string;
}

/**
 * Feeds an API instance with the revocations made anywhere (sign-out, "sign out everywhere",
 * ban...). Given to {@link AuthModule} as the `revocation` option; the module awaits
 * `start()` before the application serves anything, so a source must load every revocation
 * of the last `sink.retentionMs` before its `start()` resolves, and again after each
 * reconnect. Implementations: {@link InMemoryRevocationSource} (tests, one process),
 * {@link PostgresRevocationSource} (LISTEN/NOTIFY + a table), {@link RedisRevocationSource}
 * (pub/sub + a sorted set). Provided as `AUTH_REVOCATION_SOURCE`.
 *
 * @example
 * class MyRevocationSource implements RevocationSource {
 *   async start(sink: RevocationSink) { this.bus.on('revoked', (r) => sink.add(r)); }
 *   async stop() {}
 *   status(): RevocationStatus { return { source: 'bus', channel: 'up', since: this.since }; }
 * }
 */
export interface RevocationSource {
  start(sink: RevocationSink): Promise<void>;
  stop(): Promise<void>;
  status(): RevocationStatus;
}

/** A revocation from untrusted JSON (a NOTIFY payload, a Redis message), or `undefined`. */
export function parseRevocation(value: unknown): Revocation | undefined {
  let data = value;
  if (typeof value === 'string') {
    try {
      data = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  const { kind, id, at } = (data ?? {}) as Record<string, unknown>;
  if (kind !== 'session' && kind !== 'user') return undefined;
  if (typeof id !== 'string' || id.length === 0 || id.length > 512) return undefined;
  const atMs = typeof at === 'number' ? at : typeof at === 'string' ? Date.parse(at) : NaN;
  if (!Number.isFinite(atMs)) return undefined;
  return { kind, id, at: atMs };
}
