import { Logger } from '@nestjs/common';
import type { Redis, RedisOptions } from 'ioredis';
import { AUTH_LOGGER_CONTEXT } from './auth-internal.constants';
import { AuthConfigurationError } from './auth-module-options';
import {
  parseRevocation,
  type RevocationSink,
  type RevocationSource,
  type RevocationStatus,
} from './revocation.interface';

/**
 * Options of {@link RedisRevocationSource}. Only `url` is required.
 *
 * @example
 * new RedisRevocationSource({ url: process.env.REDIS_URL! });
 */
export class RedisRevocationOptions {
  /** `redis://` URL of the Redis the publisher writes to. Required. */
  url!: string;
  /** Extra ioredis settings (tls, username...). Default: none. */
  redis?: RedisOptions;
  /** Sorted set of revocations scored by time (the durable part). Default: `authbridge:revocations`. */
  key?: string = 'authbridge:revocations';
  /** Pub/sub channel. Default: `authbridge:revocations`. */
  channel?: string = 'authbridge:revocations';
  /** While the subscription is down: `poll` the sorted set, or `refuse` older tokens. Default: `poll`. */
  onOutage?: 'poll' | 'refuse' = 'poll';
  /** Interval of the fallback poll, in ms. Default: 1 000. */
  pollIntervalMs?: number = 1_000;
  /** Longest delay between two reconnect attempts, in ms (ioredis reconnects). Default: 5 000. */
  maxReconnectDelayMs?: number = 5_000;
}

/**
 * A {@link RevocationSource} on Redis: revocations are entries of a sorted set scored by
 * their time (durable, trimmed to the token lifetime by the publisher) and messages on a
 * pub/sub channel (push). On start and after every reconnect it subscribes first, then reads
 * the set, so nothing published in between is missed; while the subscription is down,
 * `status()` says so, a warning is logged, and `onOutage` applies. Needs `ioredis` (an
 * optional peer dependency).
 *
 * @example
 * AuthModule.forRoot({
 *   issuer: 'http://localhost:3000',
 *   revocation: new RedisRevocationSource({ url: process.env.REDIS_URL! }),
 * });
 */
export class RedisRevocationSource implements RevocationSource {
  private readonly options: Required<Omit<RedisRevocationOptions, 'redis'>> &
    Pick<RedisRevocationOptions, 'redis'>;
  private readonly logger = new Logger(AUTH_LOGGER_CONTEXT);
  private sink?: RevocationSink;
  private subscriber?: Redis;
  private commands?: Redis;
  private state: RevocationStatus = { source: 'redis', channel: 'starting', since: iso() };
  private pollTimer?: NodeJS.Timeout;
  private pollFailed = false;
  private stopped = false;

  constructor(options: RedisRevocationOptions) {
    this.options = {
      ...new RedisRevocationOptions(),
      ...Object.fromEntries(
        Object.entries(options ?? {}).filter(([, v]) => v !== undefined && v !== null),
      ),
    } as never;
    if (typeof this.options.url !== 'string' || !/^rediss?:\/\//.test(this.options.url)) {
      throw new AuthConfigurationError(
        'RedisRevocationSource: url must be a redis:// or rediss:// URL.',
      );
    }
    if (this.options.onOutage !== 'poll' && this.options.onOutage !== 'refuse') {
      throw new AuthConfigurationError(
        `RedisRevocationSource: onOutage must be "poll" or "refuse", got ${JSON.stringify(this.options.onOutage)}.`,
      );
    }
  }

  async start(sink: RevocationSink): Promise<void> {
    this.sink = sink;
    this.stopped = false;
    const { Redis } = await import('ioredis');
    const settings: RedisOptions = {
      ...this.options.redis,
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      retryStrategy: (times) => Math.min(times * 100, this.options.maxReconnectDelayMs),
    };
    this.subscriber = new Redis(this.options.url, settings);
    this.commands = new Redis(this.options.url, settings);
    for (const client of [this.subscriber, this.commands]) client.on('error', () => undefined);
    this.subscriber.on('message', (channel: string, text: string) => {
      if (channel !== this.options.channel) return;
      const revocation = parseRevocation(text);
      if (revocation) this.sink?.add(revocation);
      else this.logger.warn('Ignored a malformed revocation message');
    });
    this.subscriber.on('close', () => this.lost());
    this.subscriber.on('ready', () => {
      if (this.state.channel === 'down') void this.recover();
    });
    try {
      await this.subscriber.connect();
      await this.commands.connect();
      await this.subscriber.subscribe(this.options.channel);
      await this.load();
      this.setState('up');
    } catch (error) {
      await this.stop();
      this.setState('down', error);
      throw new Error(
        `RedisRevocationSource: could not load the revocations (${message(error)}); the API must not serve tokens it cannot check.`,
        { cause: error },
      );
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    for (const client of [this.subscriber, this.commands]) client?.disconnect();
    this.subscriber = this.commands = undefined;
    this.setState('stopped');
  }

  status(): RevocationStatus {
    return { ...this.state };
  }

  private async load(): Promise<number> {
    const sink = this.sink!;
    const entries = await this.commands!.zrangebyscore(
      this.options.key,
      sink.now() - sink.retentionMs,
      '+inf',
    );
    for (const text of entries) {
      const revocation = parseRevocation(text);
      if (revocation) sink.add(revocation);
    }
    return entries.length;
  }

  private lost(): void {
    if (this.stopped || this.state.channel !== 'up') return;
    this.setState('down', new Error('connection closed'));
    const { onOutage, pollIntervalMs } = this.options;
    this.logger.warn(
      `Revocation channel (redis) is down; ${
        onOutage === 'poll'
          ? `polling the sorted set every ${pollIntervalMs} ms`
          : 'refusing tokens issued before the outage'
      } until it is back`,
    );
    if (onOutage === 'refuse') {
      this.sink?.refuseIssuedBefore(this.sink.now());
      return;
    }
    this.pollTimer ??= setInterval(() => void this.poll(), pollIntervalMs);
    this.pollTimer.unref?.();
  }

  /** After ioredis reconnected (it resubscribes by itself): read the set, then trust pushes. */
  private async recover(): Promise<void> {
    try {
      await this.subscriber!.subscribe(this.options.channel);
      const loaded = await this.load();
      if (this.stopped) return;
      clearInterval(this.pollTimer);
      this.pollTimer = undefined;
      this.sink?.refuseIssuedBefore(undefined);
      this.setState('up');
      this.logger.log(`Revocation channel (redis) is back; reloaded ${loaded} revocations`);
    } catch (error) {
      this.state.lastError = message(error);
      // the next 'ready' tries again
    }
  }

  private async poll(): Promise<void> {
    try {
      await this.load();
      if (this.pollFailed) this.logger.log('Revocation poll (redis) reads the set again');
      this.pollFailed = false;
    } catch (error) {
      if (!this.pollFailed) {
        this.logger.warn(`Revocation poll (redis) failed (${message(error)}); retrying`);
      }
      this.pollFailed = true;
    }
  }

  private setState(channel: RevocationStatus['channel'], error?: unknown): void {
    this.state = {
      source: 'redis',
      channel,
      since: iso(),
      ...(channel === 'down' ? { fallback: this.options.onOutage } : {}),
      ...(error !== undefined ? { lastError: message(error) } : {}),
    };
  }
}

function message(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/rediss?:\/\/\S+/gi, 'redis://…');
}

function iso(): string {
  return new Date().toISOString();
}
