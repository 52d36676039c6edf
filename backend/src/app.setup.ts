import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import helmet from 'helmet';
import { DatabaseUnavailableFilter } from './common/database-unavailable.filter';
import {
  bodyParserErrorHandler,
  BODY_LIMIT,
  noStore,
  rejectDeepInput,
} from './common/http-hardening';
import { createValidationPipe } from './common/validation';
import type { AppConfig } from './config';

export const API_PREFIX = 'api';
export const DOCS_PATH = `${API_PREFIX}/docs`;

/**
 * Everything around the routes, shared by main.ts and the e2e tests so they test the real
 * thing. The app must be created with `{ bodyParser: false }`: the JSON parser is added
 * here with its limit and a JSON error answer.
 */
export function configureApp(app: INestApplication, config: AppConfig): void {
  const express = app as NestExpressApplication;
  express.disable('x-powered-by');
  express.setGlobalPrefix(API_PREFIX);
  express.use(
    helmet({
      // The API is often reached over plain http (localhost, a LAN address in development):
      // upgrading the docs page's assets to https would break it there.
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
    }),
  );
  express.enableCors({
    origin: config.corsOrigins,
    methods: ['GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    exposedHeaders: ['WWW-Authenticate'],
    credentials: false,
    maxAge: 600,
  });
  express.use(noStore(`/${DOCS_PATH}`));
  express.useBodyParser('json', { limit: BODY_LIMIT });
  express.use(bodyParserErrorHandler);
  express.use(rejectDeepInput);
  express.useGlobalPipes(createValidationPipe());
  express.useGlobalFilters(new DatabaseUnavailableFilter(express.getHttpAdapter()));
  setUpOpenApi(express);
}

/**
 * The API's OpenAPI document, from the routes and DTOs of `app` (the global prefix must be
 * set). The same function serves /api/docs and writes the committed backend/openapi.json
 * (src/openapi.ts), from which the web app's types are generated.
 */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('authbridge API')
      .setDescription(
        'Tasks of the signed-in user. Authenticate with the Better Auth JWT of the web app ' +
          '(`GET /api/auth/token` there): click Authorize and paste it. ' +
          'Lists use keyset (cursor) pagination: follow `nextCursor`.',
      )
      .setVersion('1.0')
      .addBearerAuth(
        { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Better Auth JWT' },
        'bearer',
      )
      .build(),
  );
}

function setUpOpenApi(app: INestApplication): void {
  SwaggerModule.setup(DOCS_PATH, app, createOpenApiDocument(app), {
    jsonDocumentUrl: `${DOCS_PATH}/openapi.json`,
    // No persistAuthorization: it would keep the pasted token in localStorage.
  });
}
