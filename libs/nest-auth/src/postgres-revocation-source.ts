import { Logger } from '@nestjs/common';
import type { Client, ClientConfig, Notification } from 'pg';
import { AUTH_LOGGER_CONTEXT } from './auth-internal.constants';
import { AuthConfigurationError } from './auth-module-options';
import {
  parseRevocation,
  type RevocationSink,
  type RevocationSource,
  type RevocationStatus,
} from './revocation.interface';

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
  private readonly logger = new Logger(AUTH_LOGGER_CONTEXT);
  private sink?: RevocationSink;
  private listener?: Client;
  private state: RevocationStatus = { source: 'postgres', channel: 'starting', since: iso() };
  private stopped = false;
  private reconnectTimer?: NodeJS.Timeout;
  private pollTimer?: NodeJS.Timeout;
  private reconnectDelay: number;
  private polling = false;
  private pollFailed = false;

  constructor(options: PostgresRevocationOptions) {
    this.options = { ...new PostgresRevocationOptions(), ...definedOnly(options) } as never;
    if (typeof this.options.connectionString !== 'string' || !this.options.connectionString) {
      throw new AuthConfigurationError(
        'PostgresRevocationSource: connectionString is required (the Better Auth database).',
      );
    }
    checkIdentifier('table', this.options.table);
    checkIdentifier('channel', this.options.channel);
    if (this.options.onOutage !== 'poll' && this.options.onOutage !== 'refuse') {
      throw new AuthConfigurationError(
        `PostgresRevocationSource: onOutage must be "poll" or "refuse", got ${JSON.stringify(this.options.onOutage)}.`,
      );
    }
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
    this.sink = sink;
    this.stopped = false;
    try {
      await this.connect();
    } catch (error) {
      this.setState('down', error);
      throw new Error(
        `PostgresRevocationSource: could not load the revocations (${message(error)}); the API must not serve tokens it cannot check.`,
        { cause: error },
      );
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
    this.setState('stopped');
  }

  status(): RevocationStatus {
    return { ...this.state };
  }

  /** LISTEN, then load: a NOTIFY sent meanwhile is either in the load or delivered after. */
  private async connect(): Promise<void> {
    const { Client } = await import('pg');
    const client = new Client({
      ...this.options.client,
      connectionString: this.options.connectionString,
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('connection closed')));
    client.on('notification', (notification: Notification) => {
      if (notification.channel !== this.options.channel) return;
      const revocation = parseRevocation(notification.payload);
      if (revocation) this.sink?.add(revocation);
      else this.logger.warn('Ignored a malformed revocation notification');
    });
    try {
      await client.connect();
      if (this.options.createTable) await this.createTable(client);
      await client.query(`LISTEN "${this.options.channel}"`);
      const loaded = await this.load(client);
      if (this.stopped) throw new Error('stopped');
      this.listener = client;
      const wasDown = this.state.channel === 'down';
      this.setState('up');
      this.reconnectDelay = this.options.reconnectDelayMs;
      clearInterval(this.pollTimer);
      this.pollTimer = undefined;
      this.sink?.refuseIssuedBefore(undefined);
      if (wasDown) {
        this.logger.log(`Revocation channel (postgres) is back; reloaded ${loaded} revocations`);
      }
    } catch (error) {
      client.removeAllListeners('end');
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
      throw error;
    }
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
    const sink = this.sink!;
    const since = sink.now() - sink.retentionMs;
    const { rows } = await client.query<{ kind: string; subject: string; at: string }>(
      `SELECT "kind", "subject", floor(extract(epoch from "revoked_at") * 1000)::bigint AS "at"
         FROM "${this.options.table}" WHERE "revoked_at" > to_timestamp($1::double precision / 1000)`,
      [since],
    );
    for (const row of rows) {
      const revocation = parseRevocation({ kind: row.kind, id: row.subject, at: Number(row.at) });
      if (revocation) sink.add(revocation);
    }
    return rows.length;
  }

  private lost(client: Client, error: unknown): void {
    if (this.stopped || client !== this.listener) return;
    this.listener = undefined;
    client.removeAllListeners('notification');
    client.end().catch(() => undefined);
    this.setState('down', error);
    const { onOutage, pollIntervalMs } = this.options;
    this.logger.warn(
      `Revocation channel (postgres) is down (${message(error)}); ${
        onOutage === 'poll'
          ? `polling the table every ${pollIntervalMs} ms`
          : 'refusing tokens issued before the outage'
      } until it is back`,
    );
    if (onOutage === 'refuse') this.sink?.refuseIssuedBefore(this.sink.now());
    else this.startPolling();
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      this.connect().catch((error: unknown) => {
        this.state.lastError = message(error);
        this.reconnectDelay = Math.min(this.reconnectDelay * 2, this.options.maxReconnectDelayMs);
        this.scheduleReconnect();
      });
    }, this.reconnectDelay);
    this.reconnectTimer.unref?.();
  }

  private startPolling(): void {
    if (this.pollTimer) return;
    this.pollFailed = false;
    this.pollTimer = setInterval(() => void this.poll(), this.options.pollIntervalMs);
    this.pollTimer.unref?.();
  }

  /** One read of the table on a short-lived connection; one at a time. */
  private async poll(): Promise<void> {
    if (this.polling || this.stopped) return;
    this.polling = true;
    const { Client } = await import('pg');
    const client = new Client({
      ...this.options.client,
      connectionString: this.options.connectionString,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await this.load(client);
      if (this.pollFailed) this.logger.log('Revocation poll (postgres) reads the table again');
      this.pollFailed = false;
    } catch (error) {
      if (!this.pollFailed) {
        this.logger.warn(`Revocation poll (postgres) failed (${message(error)}); retrying`);
      }
      this.pollFailed = true;
    } finally {
      await client.end().catch(() => undefined);
      this.polling = false;
    }
  }

  private setState(channel: RevocationStatus['channel'], error?: unknown): void {
    this.state = {
      source: 'postgres',
      channel,
      since: iso(),
      ...(channel === 'down' ? { fallback: this.options.onOutage } : {}),
      ...(error !== undefined ? { lastError: message(error) } : {}),
    };
  }
}

/** An error as text for logs and health, never with a connection string in it. */
function message(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/postgres(ql)?:\/\/\S+/gi, 'postgres://…');
}

function iso(): string {
  return new Date().toISOString();
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value ?? {}).filter(([, v]) => v !== undefined && v !== null),
  ) as Partial<T>;
}
