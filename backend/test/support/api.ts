import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { JwksCacheOptions, SupportedAlgorithm } from '@authbridge/nest-auth';
import { TestIssuer, type ServedJwks } from '@authbridge/nest-auth/testing';
import { ConsoleLogger, type INestApplication, type LogLevel } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { loadConfig, type AppConfig } from '../../src/config';
import { migrateDatabase } from '../../src/database/run-migrations';
import { testDatabaseUrl } from './database';

export const ISSUER = 'http://localhost:3000';
export const ALLOWED_ORIGIN = 'https://app.example.com';

export interface TestApi {
  app: INestApplication;
  config: AppConfig;
  baseUrl: string;
  issuer: TestIssuer;
  /** The issuer's JWKS as served over HTTP (its fetch count, its up/down/hang mode). */
  jwks: ServedJwks;
  /** supertest agent bound to the listening server. */
  http: ReturnType<typeof request>;
  /** A valid token for `sub` (a fresh random id when omitted). */
  tokenFor(sub?: string, claims?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

export interface TestApiOptions {
  /** The issuer to trust; default a fresh EdDSA one. */
  issuer?: TestIssuer;
  /** nest-auth's JWKS fetch settings (timeout, cooldown); default nest-auth's own. */
  jwks?: JwksCacheOptions;
  /** Accepted signature algorithms (`config.auth.algorithms`); default nest-auth's (EdDSA). */
  algorithms?: SupportedAlgorithm[];
  /** Nest log levels; default errors only. */
  logger?: LogLevel[];
}

/**
 * The real AppModule and app setup (prefix, helmet, CORS, validation, docs), configured
 * through the same env schema as production: the issuer is the nest-auth test issuer,
 * its JWKS served over HTTP like Better Auth's (`AUTH_JWKS_URL` in `env` points elsewhere).
 */
export async function startTestApi(
  env: Record<string, string> = {},
  options: TestApiOptions = {},
): Promise<TestApi> {
  const issuer = options.issuer ?? (await TestIssuer.create({ issuer: ISSUER, audience: ISSUER }));
  const jwks = await issuer.serve();
  const config: AppConfig = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: testDatabaseUrl(),
    BETTER_AUTH_URL: ISSUER,
    AUTH_JWKS_URL: jwks.jwksUrl,
    CORS_ORIGINS: `${ISSUER},${ALLOWED_ORIGIN}`,
    ...env,
  });
  if (options.jwks) config.auth.jwks = options.jwks;
  if (options.algorithms) config.auth.algorithms = options.algorithms;
  await migrateDatabase(config);

  const builder = Test.createTestingModule({ imports: [AppModule.forRoot(config)] });
  // The testing module's own logger drops everything but errors, whatever the app asks for.
  if (options.logger) builder.setLogger(new ConsoleLogger({ logLevels: options.logger }));
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication({
    bodyParser: false,
    logger: options.logger ?? ['error'],
  });
  configureApp(app, config);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;

  return {
    app,
    config,
    baseUrl,
    issuer,
    jwks,
    http: request(baseUrl),
    tokenFor: async (sub = randomUUID(), claims = {}) => issuer.sign({ sub, ...claims }),
    close: async () => {
      await app.close();
      await jwks.close();
    },
  };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
