import type { Client, ClientConfig, Notification } from 'pg';
import { AuthConfigurationError } from './auth-module-options';
import { RevocationChannel, withDefaults } from './revocation-channel';
import type { RevocationSink, RevocationSource, RevocationStatus } from './revocation.interface';

/**
 * Options of {@link PostgresRevocationSource}. Only `connectionString` is required.
 *
 * @example
 * new PostgresRevocationSource({ connectionString: process.env.DATABASE_URL!, onOutage: 'refuse' });
 */
export class PostgresRevocationOptions {
  /** The database the publisher writes to (Better Auth's). Required. */
  connectionString!: string;
  /** Extra `pg` client settings (ssl, timeouts...). Default: none. */
  client?: Omit<ClientConfig, 'connectionString'>;
  /** Table of revocations (see the README for its schema). Default: `auth_revocation`. */
  table?: string = 'auth_revocation';
  /** NOTIFY channel. Default: `auth_revocation`. */
  channel?: string = 'auth_revocation';
  /** Create the table (and its index) if it is missing, on start. Default: true. */
  createTable?: boolean = true;
  /**
   * While the LISTEN connection is down: `poll` reads the table every `pollIntervalMs`
   * (what a revocation then takes to arrive); `refuse` refuses every token issued before the
   * outage began (clients fetch a fresh one) until the channel is back and reloaded.
   * Default: `poll`.
   */
  onOutage?: 'poll' | 'refuse' = 'poll';
  /** Interval of the fallback poll, in ms. Default: 1 000. */
  pollIntervalMs?: number = 1_000;
  /** First delay before a reconnect, doubled after each failure up to `maxReconnectDelayMs`. Default: 500. */
  reconnectDelayMs?: number = 500;
  /** Longest delay between two reconnect attempts, in ms. Default: 10 000. */
  maxReconnectDelayMs?: number = 10_000;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** The table's DDL: the contract between the publisher (Better Auth's side) and this source. */
export function postgresRevocationTableSql(table = 'auth_revocation'): string {
  checkIdentifier('table', table);
  return `CREATE TABLE IF NOT EXISTS "${table}" (
  "id" bigserial PRIMARY KEY,
  "kind" text NOT NULL CHECK ("kind" IN ('session', 'user')),
  "subject" text NOT NULL,
  "revoked_at" timestamptz NOT NULL,
  "expires_at" timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS "${table}_revoked_at_idx" ON "${table}" ("revoked_at");`;
}

function checkIdentifier(name: string, value: unknown): string {
  if (typeof value !== 'string' || !IDENTIFIER.test(value)) {
    throw new AuthConfigurationError(
      `PostgresRevocationSource: ${name} must be a lower-case SQL identifier (a-z, 0-9, _), got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

/**
 * A {@link RevocationSource} on PostgreSQL: revocations are rows of a table (durable) and a
 * `NOTIFY` on a channel (push, within milliseconds). On start and after every reconnect it
 * LISTENs first, then loads the rows of the last token lifetime, so nothing committed in
 * between is missed. While the LISTEN connection is down, `status()` says so, a warning is
 * logged, and `onOutage` applies (`poll` the table, or `refuse` older tokens). Needs the
 * `pg` package (an optional peer dependency).
 *
 * @example
 * AuthModule.forRoot({
 *   issuer: 'http://localhost:3000',
 *   revocation: new PostgresRevocationSource({ connectionString: process.env.DATABASE_URL! }),
 * });
 */
export class PostgresRevocationSource implements RevocationSource {
  private readonly options: Required<Omit<PostgresRevocationOptions, 'client'>> &
    Pick<PostgresRevocationOptions, 'client'>;
  private readonly channel: RevocationChannel;
  private listener?: Client;
  private reconnectTimer?: NodeJS.Timeout;
  private reconnectDelay: number;

  constructor(options: PostgresRevocationOptions) {
    this.options = withDefaults(new PostgresRevocationOptions(), options) as never;
    if (typeof this.options.connectionString !== 'string' || !this.options.connectionString) {
      throw new AuthConfigurationError(
        'PostgresRevocationSource: connectionString is required (the Better Auth database).',
      );
    }
    checkIdentifier('table', this.options.table);
    checkIdentifier('channel', this.options.channel);
    this.channel = new RevocationChannel({
      source: 'postgres',
      owner: 'PostgresRevocationSource',
      onOutage: this.options.onOutage,
      pollIntervalMs: this.options.pollIntervalMs,
      store: 'the table',
      redact: (text) => text.replace(/postgres(ql)?:\/\/\S+/gi, 'postgres://…'),
      readStore: () => this.poll(),
    });
    for (const name of ['pollIntervalMs', 'reconnectDelayMs', 'maxReconnectDelayMs'] as const) {
      const value = this.options[name];
      if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
        throw new AuthConfigurationError(
          `PostgresRevocationSource: ${name} must be a positive number, got ${String(value)}.`,
        );
      }
    }
    this.reconnectDelay = this.options.reconnectDelayMs;
  }

  async start(sink: RevocationSink): Promise<void> {
    this.channel.start(sink);
    try {
      await this.connect();
    } catch (error) {
      throw this.channel.failedToStart(error);
    }
  }

  async stop(): Promise<void> {
    clearTimeout(this.reconnectTimer);
    this.channel.stop();
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
  }

  status(): RevocationStatus {
    return this.channel.status();
  }

  /** LISTEN, then load: a NOTIFY sent meanwhile is either in the load or delivered after. */
  private async connect(): Promise<void> {
    const client = await this.client();
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('connection closed')));
    client.on('notification', (notification: Notification) => {
      if (notification.channel === this.options.channel)
        this.channel.received(notification.payload);
    });
    try {
      await client.connect();
      if (this.options.createTable) await this.createTable(client);
      await client.query(`LISTEN "${this.options.channel}"`);
      const loaded = await this.load(client);
      if (this.channel.stopped) throw new Error('stopped');
      this.listener = client;
      this.reconnectDelay = this.options.reconnectDelayMs;
      this.channel.up(loaded);
    } catch (error) {
      client.removeAllListeners('end');
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
      throw error;
    }
  }

  private async client(): Promise<Client> {
    const { Client } = await import('pg');
    return new Client({ ...this.options.client, connectionString: this.options.connectionString });
  }

  private async createTable(client: Client): Promise<void> {
    try {
      await client.query(postgresRevocationTableSql(this.options.table));
    } catch (error) {
      // Two processes creating it at once: one wins, the other sees a duplicate.
      const code = (error as { code?: string }).code;
      if (code !== '23505' && code !== '42P07') throw error;
    }
  }

  /** Reads the revocations still able to refuse a token; returns how many. */
  private async load(client: Pick<Client, 'query'>): Promise<number> {
    const sink = this.channel.sink!;
    const since = sink.now() - sink.retentionMs;
    const { rows } = await client.query<{ kind: string; subject: string; at: string }>(
      `SELECT "kind", "subject", floor(extract(epoch from "revoked_at") * 1000)::bigint AS "at"
         FROM "${this.options.table}" WHERE "revoked_at" > to_timestamp($1::double precision / 1000)`,
      [since],
    );
    return this.channel.addAll(
      rows.map((row) => ({ kind: row.kind, id: row.subject, at: Number(row.at) })),
    );
  }

  private lost(client: Client, error: unknown): void {
    if (this.channel.stopped || client !== this.listener) return;
    this.listener = undefined;
    client.removeAllListeners('notification');
    client.end().catch(() => undefined);
    this.channel.down(error);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.channel.stopped) return;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      this.connect().catch((error: unknown) => {
        this.channel.retryFailed(error);
        this.reconnectDelay = Math.min(this.reconnectDelay * 2, this.options.maxReconnectDelayMs);
        this.scheduleReconnect();
      });
    }, this.reconnectDelay);
    this.reconnectTimer.unref?.();
  }

  /** The outage's fallback: one read of the table on a short-lived connection. */
  private async poll(): Promise<void> {
    const client = await this.client();
    client.on('error', () => undefined);
    try {
      await client.connect();
      await this.load(client);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
