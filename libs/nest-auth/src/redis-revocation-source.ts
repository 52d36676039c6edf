import type { Redis, RedisOptions } from 'ioredis';
import { AuthConfigurationError } from './auth-module-options';
import { RevocationChannel, withDefaults } from './revocation-channel';
import type { RevocationSink, RevocationSource, RevocationStatus } from './revocation.interface';

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
  private readonly channel: RevocationChannel;
  private subscriber?: Redis;
  private commands?: Redis;

  constructor(options: RedisRevocationOptions) {
    this.options = withDefaults(new RedisRevocationOptions(), options) as never;
    if (typeof this.options.url !== 'string' || !/^rediss?:\/\//.test(this.options.url)) {
      throw new AuthConfigurationError(
        'RedisRevocationSource: url must be a redis:// or rediss:// URL.',
      );
    }
    this.channel = new RevocationChannel({
      source: 'redis',
      owner: 'RedisRevocationSource',
      onOutage: this.options.onOutage,
      pollIntervalMs: this.options.pollIntervalMs,
      store: 'the sorted set',
      redact: (text) => text.replace(/rediss?:\/\/\S+/gi, 'redis://…'),
      readStore: () => this.load(),
    });
  }

  async start(sink: RevocationSink): Promise<void> {
    this.channel.start(sink);
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
      if (channel === this.options.channel) this.channel.received(text);
    });
    this.subscriber.on('close', () => this.lost());
    this.subscriber.on('ready', () => {
      if (this.channel.current === 'down') void this.recover();
    });
    try {
      await this.subscriber.connect();
      await this.commands.connect();
      await this.subscriber.subscribe(this.options.channel);
      this.channel.up(await this.load());
    } catch (error) {
      await this.stop();
      throw this.channel.failedToStart(error);
    }
  }

  async stop(): Promise<void> {
    this.channel.stop();
    for (const client of [this.subscriber, this.commands]) client?.disconnect();
    this.subscriber = this.commands = undefined;
  }

  status(): RevocationStatus {
    return this.channel.status();
  }

  private async load(): Promise<number> {
    const sink = this.channel.sink!;
    const entries = await this.commands!.zrangebyscore(
      this.options.key,
      sink.now() - sink.retentionMs,
      '+inf',
    );
    return this.channel.addAll(entries);
  }

  private lost(): void {
    if (this.channel.stopped || this.channel.current !== 'up') return;
    this.channel.down(new Error('connection closed'));
  }

  /** After ioredis reconnected (it resubscribes by itself): read the set, then trust pushes. */
  private async recover(): Promise<void> {
    try {
      await this.subscriber!.subscribe(this.options.channel);
      const loaded = await this.load();
      if (!this.channel.stopped) this.channel.up(loaded);
    } catch (error) {
      this.channel.retryFailed(error);
      // the next 'ready' tries again
    }
  }
}
