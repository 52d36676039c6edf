import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { AUTH_LOGGER_CONTEXT, AUTH_REVOCATION_LIST } from './auth-internal.constants';
import { AUTH_REVOCATION_SOURCE } from './auth.constants';
import type { RevocationList } from './revocation-list';
import type { RevocationSource } from './revocation.interface';

/**
 * Starts the revocation source when the module initialises and stops it on shutdown. Nest
 * awaits `onModuleInit` before `app.init()`/`listen()` resolve, so no protected route is
 * served before the source has loaded the revocations of the last token lifetime.
 */
@Injectable()
export class RevocationLifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(AUTH_LOGGER_CONTEXT);

  constructor(
    @Optional() @Inject(AUTH_REVOCATION_SOURCE) private readonly source?: RevocationSource,
    @Optional() @Inject(AUTH_REVOCATION_LIST) private readonly list?: RevocationList,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.source || !this.list) return;
    await this.source.start(this.list);
    const { source, channel } = this.source.status();
    this.logger.log(`Revocation source ${source} started (channel ${channel})`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.source?.stop();
  }
}
