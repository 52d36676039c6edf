import { Logger } from '@nestjs/common';
import { AUTH_LOGGER_CONTEXT } from './auth-internal.constants';
import { AuthConfigurationError } from './auth-module-options';
import {
  parseRevocation,
  type RevocationSink,
  type RevocationStatus,
} from './revocation.interface';

/** What differs between the pushed sources; the rest of their behaviour is below, once. */
export interface RevocationChannelOptions {
  /** `RevocationStatus.source` and the word in every log line: `postgres`, `redis`. */
  source: string;
  /** The class name errors start with, e.g. `PostgresRevocationSource`. */
  owner: string;
  onOutage: 'poll' | 'refuse';
  pollIntervalMs: number;
  /** The durable part the fallback poll reads, for the logs: `the table`, `the sorted set`. */
  store: string;
  /** Removes secrets (a connection URL) from an error's text before it is logged or reported. */
  redact: (text: string) => string;
  /** One read of the durable part during an outage (`onOutage: 'poll'`). */
  readStore: () => Promise<unknown>;
}

/**
 * The part every pushed {@link RevocationSource} shares, whatever carries the pushes (a
 * PostgreSQL LISTEN, a Redis subscription): its status, the revocations it hands to the sink,
 * and what an outage does (`poll` the durable part, or `refuse` older tokens) until the
 * channel is back and reloaded. Internal to nest-auth: each source holds one and says only
 * how to connect and read.
 */
export class RevocationChannel {
  readonly logger = new Logger(AUTH_LOGGER_CONTEXT);
  sink?: RevocationSink;
  stopped = false;
  private state: RevocationStatus;
  private pollTimer?: NodeJS.Timeout;
  private polling = false;
  private pollFailed = false;

  constructor(private readonly options: RevocationChannelOptions) {
    if (options.onOutage !== 'poll' && options.onOutage !== 'refuse') {
      throw new AuthConfigurationError(
        `${options.owner}: onOutage must be "poll" or "refuse", got ${JSON.stringify(options.onOutage)}.`,
      );
    }
    this.state = { source: options.source, channel: 'starting', since: iso() };
  }

  /** The channel's state now: `up`, `down`... */
  get current(): RevocationStatus['channel'] {
    return this.state.channel;
  }

  status(): RevocationStatus {
    return { ...this.state };
  }

  start(sink: RevocationSink): void {
    this.sink = sink;
    this.stopped = false;
  }

  /** The source could not load on start: down, and the error `start()` rejects with. */
  failedToStart(error: unknown): Error {
    this.setState('down', error);
    return new Error(
      `${this.options.owner}: could not load the revocations (${this.message(error)}); the API must not serve tokens it cannot check.`,
      { cause: error },
    );
  }

  stop(): void {
    this.stopped = true;
    this.stopPolling();
    this.setState('stopped');
  }

  /** A pushed revocation (NOTIFY payload, pub/sub message); malformed ones are logged and dropped. */
  received(payload: unknown): void {
    const revocation = parseRevocation(payload);
    if (revocation) this.sink?.add(revocation);
    else this.logger.warn(`Ignored a malformed revocation message (${this.options.source})`);
  }

  /** Hands the loaded entries of the durable part to the sink; returns how many were read. */
  addAll(entries: readonly unknown[]): number {
    const sink = this.sink!;
    for (const entry of entries) {
      const revocation = parseRevocation(entry);
      if (revocation) sink.add(revocation);
    }
    return entries.length;
  }

  /** The channel is up and loaded: pushes are trusted again, the outage's fallback ends. */
  up(loaded: number): void {
    const wasDown = this.state.channel === 'down';
    this.setState('up');
    this.stopPolling();
    this.sink?.refuseIssuedBefore(undefined);
    if (wasDown) {
      this.logger.log(
        `Revocation channel (${this.options.source}) is back; reloaded ${loaded} revocations`,
      );
    }
  }

  /** The channel is lost: say so, then poll the durable part or refuse older tokens. */
  down(error: unknown): void {
    this.setState('down', error);
    const { source, store, onOutage, pollIntervalMs } = this.options;
    this.logger.warn(
      `Revocation channel (${source}) is down (${this.message(error)}); ${
        onOutage === 'poll'
          ? `polling ${store} every ${pollIntervalMs} ms`
          : 'refusing tokens issued before the outage'
      } until it is back`,
    );
    if (onOutage === 'refuse') this.sink?.refuseIssuedBefore(this.sink.now());
    else this.startPolling();
  }

  /** A failed attempt to get the channel back, for `status().lastError`. */
  retryFailed(error: unknown): void {
    this.state.lastError = this.message(error);
  }

  /** An error as text for logs and health, never with a connection URL in it. */
  message(error: unknown): string {
    return this.options.redact(error instanceof Error ? error.message : String(error));
  }

  private startPolling(): void {
    if (this.pollTimer) return;
    this.pollFailed = false;
    this.pollTimer = setInterval(() => void this.poll(), this.options.pollIntervalMs);
    this.pollTimer.unref?.();
  }

  private stopPolling(): void {
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
  }

  /** One read of the durable part, one at a time; a failure is logged once until it reads again. */
  private async poll(): Promise<void> {
    if (this.polling || this.stopped) return;
    this.polling = true;
    const { source, store } = this.options;
    try {
      await this.options.readStore();
      if (this.pollFailed) this.logger.log(`Revocation poll (${source}) reads ${store} again`);
      this.pollFailed = false;
    } catch (error) {
      if (!this.pollFailed) {
        this.logger.warn(`Revocation poll (${source}) failed (${this.message(error)}); retrying`);
      }
      this.pollFailed = true;
    } finally {
      this.polling = false;
    }
  }

  private setState(channel: RevocationStatus['channel'], error?: unknown): void {
    this.state = {
      source: this.options.source,
      channel,
      since: iso(),
      ...(channel === 'down' ? { fallback: this.options.onOutage } : {}),
      ...(error !== undefined ? { lastError: this.message(error) } : {}),
    };
  }
}

/** The given options over the defaults: an `undefined` or `null` field keeps its default. */
export function withDefaults<T extends object>(defaults: T, given: Partial<T>): T {
  return {
    ...defaults,
    ...Object.fromEntries(
      Object.entries(given ?? {}).filter(([, v]) => v !== undefined && v !== null),
    ),
  } as T;
}

function iso(): string {
  return new Date().toISOString();
}
