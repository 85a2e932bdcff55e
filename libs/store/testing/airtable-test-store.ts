import { Test, TestingModule } from '@nestjs/testing';
import { AppConfig, ConfigModule, loadConfig } from '@maskline/config';
import { JobsModule, JobWorkerHost, ProcessRoles, QueueName } from '@maskline/jobs';
import { RedisModule, RedisService } from '@maskline/redis';
import { AirtableStoreModule } from '../src/airtable/airtable-store.module';
import { AirtableWriteQueue } from '../src/airtable/airtable-write-queue';
import type { StorePorts } from '../src/contract/store-ports';
import { AuditLog, ClientRepository, MessageLog, NumberRepository, SessionRepository, SitterRepository, StoreHealth } from '../src/ports';
import { FakeAirtableServer } from './fake-airtable-server';
import { masklineFakeTables } from './maskline-airtable-schema';
import { deleteRedisPrefix, TEST_REDIS_URL, uniquePrefix } from '../../../test/support/redis-cleanup';

export const TEST_BASE_ID = 'appMasklineTest01';
/** a Redis prefix of its own (REDIS_PREFIX and BullMQ prefix) */
export const testPrefix = () => uniquePrefix('t-airtable');

/** AppConfig for the airtable driver against the fake; env-style overrides win */
export function airtableTestConfig(fake: FakeAirtableServer, prefix: string, env: Record<string, string> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    STORE_DRIVER: 'airtable',
    AIRTABLE_API_KEY: fake.token,
    AIRTABLE_BASE_ID: TEST_BASE_ID,
    AIRTABLE_ENDPOINT_URL: fake.baseUrl,
    AIRTABLE_RATE_LIMIT_PAUSE_MS: '400',
    AIRTABLE_REQUEST_TIMEOUT_MS: '5000',
    ...env,
  });
}

/** one "process": a Nest context holding the airtable driver */
export interface AirtableTestInstance {
  module: TestingModule;
  ports: StorePorts;
  queue: AirtableWriteQueue;
  close(): Promise<void>;
}

/**
 * consumesWrites false: this instance only enqueues its writes, as an API
 * process does, and other processes land them (flush still waits for them)
 */
export async function openAirtableStore(config: AppConfig, opts: { consumesWrites?: boolean } = {}): Promise<AirtableTestInstance> {
  // by default the write-behind queue is consumed here too: the contract suite reads what the writes land
  const consumes = opts.consumesWrites ?? true;
  const jobs = JobsModule.forRoot(config, new ProcessRoles(!consumes, consumes), [QueueName.AirtableWrites]);
  const module = await Test.createTestingModule({ imports: [ConfigModule.forRoot(config), RedisModule, jobs, AirtableStoreModule] }).compile();
  // a failed start-up (schema check) must still release its connections; Nest's close()
  // refuses to run hooks after a failed init, so they are called here
  await module.init().catch(async (e) => {
    await module.get(JobWorkerHost).onModuleDestroy();
    await module.get(RedisService).onApplicationShutdown();
    throw e;
  });
  const queue = module.get(AirtableWriteQueue);
  const ports: StorePorts = {
    sitters: module.get(SitterRepository),
    clients: module.get(ClientRepository),
    numbers: module.get(NumberRepository),
    sessions: module.get(SessionRepository),
    messages: module.get(MessageLog),
    audit: module.get(AuditLog),
    health: module.get(StoreHealth),
    flush: () => queue.drain(),
  };
  return { module, ports, queue, close: () => module.close() };
}

/** a started fake base with Maskline's tables */
export async function startFakeAirtable(opts: { penaltyMs?: number; requestsPerSecond?: number } = {}): Promise<FakeAirtableServer> {
  return new FakeAirtableServer({ tables: masklineFakeTables(), penaltyMs: opts.penaltyMs ?? 300, requestsPerSecond: opts.requestsPerSecond }).start();
}

/**
 * Per-file fixture for driver specs: one fake base, any number of driver
 * instances ("processes"); instances close and the fake resets after each
 * test, Redis keys go after the file.
 */
export function airtableSpecFixture(fakeOptions: { penaltyMs?: number; requestsPerSecond?: number } = {}) {
  let fake: FakeAirtableServer | undefined;
  const prefixes: string[] = [];
  const open: AirtableTestInstance[] = [];

  beforeAll(async () => {
    fake = await startFakeAirtable(fakeOptions);
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((i) => i.close()));
    fake!.reset();
  });
  afterAll(async () => {
    await fake?.stop();
    await Promise.all(prefixes.map((p) => deleteRedisPrefix(p)));
  });

  const newPrefix = (): string => {
    const p = testPrefix();
    prefixes.push(p);
    return p;
  };

  return {
    get fake(): FakeAirtableServer {
      return fake!;
    },
    prefix: newPrefix,
    /** a driver instance; pass the same prefix to two instances to make them two processes of one deployment */
    async open(env: Record<string, string> = {}, prefix = newPrefix(), adjust?: (config: AppConfig) => void): Promise<AirtableTestInstance> {
      const config = airtableTestConfig(fake!, prefix, env);
      adjust?.(config);
      const instance = await openAirtableStore(config);
      open.push(instance);
      return instance;
    },
  };
}
