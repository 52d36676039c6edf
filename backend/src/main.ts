import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { trackInFlightResponses } from './common/graceful-shutdown';
import { exitOnInvalidEnvironment, loadConfig, loadRootEnv } from './config';
import { migrateDatabase } from './database/run-migrations';

/** After SIGTERM, in-flight requests get this long to finish before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

async function bootstrap() {
  loadRootEnv();
  const config = exitOnInvalidEnvironment(() => loadConfig());

  const applied = await migrateDatabase(config);
  if (applied.length) console.log(`Applied migration(s): ${applied.join(', ')}`);

  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bodyParser: false,
    // LOG_LEVEL=debug adds nest-auth's reason for every refused token (never the token).
    logger: config.logLevels,
  });
  configureApp(app, config);

  // On a signal Nest closes the HTTP server (in-flight requests finish), then the pool.
  const responses = trackInFlightResponses(app.getHttpServer());
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      responses.drain();
      setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
    });
  }
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });

  await app.listen(config.port, config.host);
  console.log(`API listening on http://localhost:${config.port}`);
}

bootstrap().catch((error: Error) => {
  console.error(`API failed to start: ${error.message}`);
  process.exit(1);
});
