import type { Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig, loadConfig } from '@maskline/config';
import { TwilioSimulator } from '@maskline/twilio-simulator';
import { createHttpApp } from '../../src/bootstrap';
import { ProcessRoles } from '@maskline/jobs';
import { freePort } from './free-port';
import { LogCapture } from './log-capture';
import { deleteRedisPrefix, TEST_REDIS_URL, uniquePrefix } from './redis-cleanup';

export const TEST_API_KEY = 'test-api-key-0123456789abcdef';
export const TEST_ADMIN = { username: 'ops', password: 'admin-password-123' };

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  /** base URL the app listens on (also PUBLIC_BASE_URL) */
  url: string;
  sim: TwilioSimulator;
  logs: LogCapture;
  prefix: string;
  /** header pair for Zapier routes */
  auth: { 'x-api-key': string };
  close(opts?: { keepRedis?: boolean }): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  roles?: ProcessRoles;
  /** share a Redis prefix with another app (two "processes") */
  prefix?: string;
  extraModules?: Type[];
}

/**
 * The real HTTP app on a loopback port, with real Redis (own prefix), the
 * embedded store in memory and the built-in Twilio simulator.
 */
export async function startTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const port = await freePort();
  const prefix = opts.prefix ?? uniquePrefix();
  const url = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_BASE_URL: url,
    API_KEY: TEST_API_KEY,
    ADMIN_USERNAME: TEST_ADMIN.username,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    DATA_DIR: 'memory://',
    LOG_LEVEL: 'info',
    ...opts.env,
  });
  const logs = new LogCapture();
  const app = await createHttpApp({ config, roles: opts.roles, logStream: logs, extraModules: opts.extraModules });
  await app.listen({ port, host: '127.0.0.1' });
  const sim = config.twilio.simulated ? app.get(TwilioSimulator) : (undefined as unknown as TwilioSimulator);
  return {
    app,
    config,
    url,
    sim,
    logs,
    prefix,
    auth: { 'x-api-key': TEST_API_KEY },
    async close({ keepRedis = false } = {}) {
      await app.close();
      if (!keepRedis) await deleteRedisPrefix(prefix);
    },
  };
}

export function basicAuth(username = TEST_ADMIN.username, password = TEST_ADMIN.password): string {
  return 'Basic ' + Buffer.from(`${username}:${password}`).toString('base64');
}
