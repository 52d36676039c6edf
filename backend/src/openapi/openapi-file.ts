import fs from 'node:fs';
import path from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { AppModule } from '../app.module';
import { configureApp, createOpenApiDocument } from '../app.setup';
import { loadConfig } from '../config';

/**
 * backend/openapi.json: the API contract, committed. The web app generates its types from it
 * (frontend/src/lib/api-types.ts), and test/openapi.spec.ts fails when it differs from what
 * the code produces. The same path from src/openapi and dist/openapi.
 */
export const OPENAPI_FILE = path.resolve(__dirname, '../../openapi.json');

/**
 * The OpenAPI document without a database: Nest's preview mode builds the module graph and
 * reads the controllers' metadata but instantiates no provider, so TypeORM never connects
 * and the JWKS is never fetched. The placeholder configuration only satisfies the schema.
 */
export async function generateOpenApiDocument(): Promise<OpenAPIObject> {
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: 'postgres://openapi@127.0.0.1:9/never-connected',
    BETTER_AUTH_URL: 'http://localhost:3000',
  });
  const app = await NestFactory.create(AppModule.forRoot(config), {
    preview: true,
    abortOnError: false,
    bodyParser: false,
    logger: false,
  });
  try {
    configureApp(app, config);
    return createOpenApiDocument(app);
  } finally {
    await app.close();
  }
}

/** The file's text: two-space JSON and a final newline (Prettier leaves it alone). */
export function openApiFileText(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** The committed file's text, or undefined when it does not exist yet. */
export function committedOpenApiText(): string | undefined {
  return fs.existsSync(OPENAPI_FILE) ? fs.readFileSync(OPENAPI_FILE, 'utf8') : undefined;
}
