import { AUTH_REVOCATION_SOURCE, Public, type RevocationSource } from '@authbridge/nest-auth';
import { Controller, Get, Inject, Optional, ServiceUnavailableException } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** A database that has not answered within this time counts as down. */
const DATABASE_PROBE_TIMEOUT_MS = 2_000;

/**
 * The revocation channel as the source reports it. `down` does not fail the check: revocations
 * still arrive through the fallback (`poll`), or older tokens are refused (`refuse`).
 */
class RevocationHealth {
  @ApiProperty({ enum: ['postgres', 'redis', 'memory'] })
  source!: string;

  @ApiProperty({ enum: ['starting', 'up', 'down', 'stopped'] })
  channel!: 'starting' | 'up' | 'down' | 'stopped';

  @ApiProperty({ description: 'Since when (ISO 8601)' })
  since!: string;

  @ApiProperty({ enum: ['poll', 'refuse'], required: false })
  fallback?: 'poll' | 'refuse';
}

class HealthResponse {
  @ApiProperty({ enum: ['ok', 'error'] })
  status!: 'ok' | 'error';

  @ApiProperty({ enum: ['up', 'down'] })
  database!: 'up' | 'down';

  @ApiProperty({
    type: () => RevocationHealth,
    description: 'The revocation channel; absent when revocation is off (AUTH_REVOCATION=off)',
    required: false,
  })
  revocation?: RevocationHealth;
}

/** Public and JWKS-free, so start-up scripts and load balancers can poll it. */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Optional()
    @Inject(AUTH_REVOCATION_SOURCE)
    private readonly revocationSource?: RevocationSource,
  ) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Liveness and database state (no token needed)' })
  @ApiOkResponse({ type: HealthResponse })
  @ApiServiceUnavailableResponse({ type: HealthResponse })
  async check(): Promise<HealthResponse> {
    const revocation = this.revocation();
    if (await this.databaseAnswers()) return { status: 'ok', database: 'up', ...revocation };
    throw new ServiceUnavailableException({ status: 'error', database: 'down', ...revocation });
  }

  /** The channel's state, without its error text (that one is for the logs). */
  private revocation(): { revocation?: RevocationHealth } {
    if (!this.revocationSource) return {};
    const { source, channel, since, fallback } = this.revocationSource.status();
    return { revocation: { source, channel, since, ...(fallback ? { fallback } : {}) } };
  }

  private async databaseAnswers(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), DATABASE_PROBE_TIMEOUT_MS);
    });
    const probe = this.dataSource.query('SELECT 1').then(
      () => true,
      () => false,
    );
    try {
      return await Promise.race([probe, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
