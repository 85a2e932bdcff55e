import { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createRedisConnection, describeRedis } from '@maskline/redis';
import { Logger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AppConfig, ConfigError, loadConfig } from '@maskline/config';
import { TwilioSimulator } from '@maskline/twilio-simulator';
import { AppModule } from './app.module';
import { HttpExceptionFilter, sendError } from './common/http/http-exception.filter';
import { createValidationPipe } from './common/http/validation.pipe';
import { registerIdempotencyRecorder } from './common/idempotency/idempotency.recorder';
import { IdempotencyStore } from './common/idempotency/idempotency.store';
import { Metrics } from '@maskline/metrics';
import { registerHttpMetrics } from './metrics/metrics.service';
import { DOCS_JSON_PATH, DOCS_PATH, setupSwagger } from './ops/swagger';
import { ProcessRoles } from '@maskline/jobs';
import { BULL_BOARD_ROUTE } from './queues/queues.module';

export interface CreateAppOptions {
  config: AppConfig;
  roles?: ProcessRoles;
  logStream?: DestinationStream;
  extraModules?: Type[];
}

/** Builds the HTTP app (not listening yet). Tests and every entrypoint go through here. */
export async function createHttpApp({ config, roles = new ProcessRoles(true, true), logStream, extraModules }: CreateAppOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: 1024 * 1024,
    trustProxy: true,
    // a malformed URL or an over-long :id never reaches Nest: answer it in the one error shape too
    frameworkErrors: (error: Error, _request: FastifyRequest, reply: FastifyReply) => sendError(reply, error),
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot({ config, roles, logStream, extraModules }), adapter, { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  // callers send JSON or forms; anything else is a 415, not a string body the DTO checks would call malformed
  app.getHttpAdapter().getInstance().removeContentTypeParser('text/plain');
  app.useGlobalFilters(new HttpExceptionFilter());
  app.useGlobalPipes(createValidationPipe());
  registerIdempotencyRecorder(app.getHttpAdapter().getInstance(), app.get(IdempotencyStore));
  registerHttpMetrics(app.getHttpAdapter().getInstance(), app.get(Metrics));
  app.enableShutdownHooks();
  setupSwagger(app, config.http.publicBaseUrl);
  return app;
}

/** One line, then exit: how start-up failures reach an operator. */
function fail(message: string): never {
  process.stderr.write(`maskline: ${message}\n`);
  process.exit(1);
}

async function assertRedisAnswers(settings: AppConfig['redis']): Promise<void> {
  const probe = createRedisConnection(settings, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: 2000, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
  } catch (err) {
    fail(
      `Redis is not answering at ${describeRedis(settings)} (${(err as Error).message}). ` +
        'Start one with `redis-server --daemonize yes` (or `docker compose up -d redis`), or set REDIS_URL (or REDIS_SENTINELS).',
    );
  } finally {
    probe.disconnect();
  }
}

function printBanner(config: AppConfig, roles: ProcessRoles, simulatorUrl?: string): void {
  const base = config.http.publicBaseUrl;
  const lines = [
    `Maskline is up (${[roles.api && 'api', roles.workers && 'workers'].filter(Boolean).join(' + ')}; store: ${config.store.driver}; twilio: ${config.twilio.simulated ? 'built-in simulator' : 'account'})`,
  ];
  if (roles.api) {
    lines.push(`  Swagger UI:  ${base}/${DOCS_PATH}   (OpenAPI JSON: ${base}/${DOCS_JSON_PATH})`);
    lines.push(`  Dashboard:   ${base}/admin   (admin login; Prometheus text at ${base}/metrics)`);
    lines.push(`  Bull Board:  ${base}${BULL_BOARD_ROUTE}`);
    lines.push(`  Health:      ${base}/health`);
  }
  if (simulatorUrl) {
    lines.push(`  Twilio simulator: ${simulatorUrl}/_sim/state   (POST ${simulatorUrl}/_sim/inbound-sms {from,to,body} to text the app)`);
  }
  if (config.auth.generated) {
    lines.push(`  Generated for this run (set API_KEY / ADMIN_USERNAME / ADMIN_PASSWORD to fix them):`);
    lines.push(`    API key:     ${config.auth.apiKey}`);
    lines.push(`    Admin login: ${config.auth.adminUsername} / ${config.auth.adminPassword}`);
  }
  process.stdout.write(lines.join('\n') + '\n');
}

/** Entry point body shared by main.ts, api.main.ts and worker.main.ts. */
export async function runService(roles: ProcessRoles): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
  // PGlite is one process's folder, and outreach lives in SQL whatever STORE_DRIVER says
  if (!(roles.api && roles.workers) && !config.store.databaseUrl) {
    fail('DATABASE_URL is required when the API and the workers run as separate processes (they share one PostgreSQL; PGlite serves a single process), whatever STORE_DRIVER says');
  }
  await assertRedisAnswers(config.redis);
  let simulatorUrl: string | undefined;
  try {
    if (roles.api) {
      const app = await createHttpApp({ config, roles });
      await app.listen({ port: config.http.port, host: config.http.host });
      if (config.twilio.simulated) simulatorUrl = app.get(TwilioSimulator).baseUrl;
    } else {
      const ctx = await NestFactory.createApplicationContext(AppModule.forRoot({ config, roles }), { bufferLogs: true, abortOnError: false });
      ctx.useLogger(ctx.get(Logger));
      ctx.enableShutdownHooks();
      await ctx.init();
    }
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    fail(`start-up failed: ${(err as Error).message}`);
  }
  printBanner(config, roles, simulatorUrl);
}
