import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { TestIssuer } from '@authbridge/nest-auth/testing';
import type { INestApplication } from '@nestjs/common';
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
  /** supertest agent bound to the listening server. */
  http: ReturnType<typeof request>;
  /** A valid token for `sub` (a fresh random id when omitted). */
  tokenFor(sub?: string, claims?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

/**
 * The real AppModule and app setup (prefix, helmet, CORS, validation, docs), configured
 * through the same env schema as production: the issuer is the nest-auth test issuer,
 * its JWKS served over HTTP like Better Auth's.
 */
export async function startTestApi(env: Record<string, string> = {}): Promise<TestApi> {
  const issuer = await TestIssuer.create({ issuer: ISSUER, audience: ISSUER });
  const jwks = await issuer.serve();
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: testDatabaseUrl(),
    BETTER_AUTH_URL: ISSUER,
    AUTH_JWKS_URL: jwks.jwksUrl,
    CORS_ORIGINS: `${ISSUER},${ALLOWED_ORIGIN}`,
    ...env,
  });
  await migrateDatabase(config);

  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot(config)],
  }).compile();
  const app = moduleRef.createNestApplication({ bodyParser: false, logger: ['error'] });
  configureApp(app, config);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;

  return {
    app,
    config,
    baseUrl,
    issuer,
    http: request(baseUrl),
    tokenFor: async (sub = randomUUID(), claims = {}) => issuer.sign({ sub, ...claims }),
    close: async () => {
      await app.close();
      await jwks.close();
    },
  };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
