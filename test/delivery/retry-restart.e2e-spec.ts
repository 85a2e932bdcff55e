import type { ChildProcess } from 'node:child_process';
import { SIMULATOR_ACCOUNT_SID, SIMULATOR_AUTH_TOKEN } from '@maskline/config';
import { JobName, JobQueue, ProcessRoles } from '@maskline/jobs';
import { NumberRepository, SitterRepository } from '@maskline/store';
import { TwilioSimulator } from '@maskline/twilio-simulator';
import { createTestDatabase, TestDatabase } from '../../libs/store/src/sql/test/postgres-test-database';
import { phoneFor } from '../relay/support/relay-world';
import { deleteRedisPrefix, TEST_REDIS_URL, uniquePrefix } from '../support/redis-cleanup';
import { startWorkerProcess, stopProcess } from '../support/worker-process';
import { startTestApp, TEST_API_KEY, TestApp } from '../support/test-app';

jest.setTimeout(180_000);

/**
 * The retry of a temporary failure is a delayed job in Redis: the worker
 * process holding it is killed (SIGKILL) while it waits, a new worker process
 * starts, and the retry goes out exactly once.
 */
describe('a delivery retry survives a worker killed while it waits', () => {
  const prefix = uniquePrefix('dlv-kill');
  let db: TestDatabase;
  let sim: TwilioSimulator;
  let api: TestApp;
  const workers: ChildProcess[] = [];
  let workerEnv: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase();
    sim = new TwilioSimulator({ accountSid: SIMULATOR_ACCOUNT_SID, authToken: SIMULATOR_AUTH_TOKEN });
    const twilio = { TWILIO_ACCOUNT_SID: SIMULATOR_ACCOUNT_SID, TWILIO_AUTH_TOKEN: SIMULATOR_AUTH_TOKEN, TWILIO_BASE_URL: await sim.start() };
    // the retry waits 8 s: long enough to kill the worker that scheduled it before it fires
    const policy = { DELIVERY_RETRY_DELAY_SECONDS: '8' };
    api = await startTestApp({ prefix, roles: new ProcessRoles(true, false), env: { DATABASE_URL: db.url, ...twilio, ...policy } });
    workerEnv = {
      NODE_ENV: 'test',
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      DATABASE_URL: db.url,
      PUBLIC_BASE_URL: api.url,
      API_KEY: TEST_API_KEY,
      ADMIN_USERNAME: 'ops',
      ADMIN_PASSWORD: 'worker-test-password',
      JOB_LOCK_DURATION_MS: '2000',
      LOG_LEVEL: 'warn',
      ...twilio,
      ...policy,
    };
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => stopProcess(w)));
    await api?.close({ keepRedis: true });
    await sim?.stop();
    await deleteRedisPrefix(prefix);
    await db?.drop();
  });

  it('the new process sends the retry once', async () => {
    const smsUrl = `${api.url}/intercept`;
    const sitters = api.app.get(SitterRepository);
    const numbers = api.app.get(NumberRepository);
    const { sitter } = await sitters.upsertByPhone({ name: 'Restart Sitter', phone: phoneFor('sitter') });
    const reserved = sim.addOwnedNumber({ areaCode: '303', smsUrl }).phoneNumber;
    await sitters.setReservedNumber(sitter.id, reserved, 'active');
    const [record] = await numbers.createPending([{ lifecycle: 'pool', areaCode: '720' }]);
    const pool = sim.addOwnedNumber({ areaCode: '720', smsUrl });
    await numbers.markReady(record.id, { phoneNumber: pool.phoneNumber, twilioSid: pool.sid, purchasedAt: new Date() });
    // only the first message fails (30003, temporary); the retry is delivered
    sim.setDeliveryOutcome(sitter.phone, { status: 'undelivered', errorCode: 30003, times: 1 });

    const first = await startWorkerProcess(workerEnv);
    workers.push(first);
    await sim.sendInboundSms({ from: phoneFor('client'), to: reserved, body: 'survive the restart' });
    await sim.waitFor((s) => s.messages.some((m) => m.to === sitter.phone && m.status === 'undelivered'), 30_000);
    const original = sim.messages.find((m) => m.to === sitter.phone)!;

    const jobs = api.app.get(JobQueue);
    const retryJobId = `retry-${original.sid}`;
    const deadline = Date.now() + 30_000;
    while ((await (await jobs.find(JobName.DeliveryRetry, retryJobId))?.getState()) !== 'delayed') {
      if (Date.now() > deadline) throw new Error('the retry was never scheduled');
      await new Promise((r) => setTimeout(r, 50));
    }
    await stopProcess(first);
    expect(sim.messages.filter((m) => m.to === sitter.phone)).toHaveLength(1);

    workers.push(await startWorkerProcess(workerEnv));
    await sim.waitFor((s) => s.messages.filter((m) => m.to === sitter.phone).length === 2, 60_000);
    const retryJob = (await jobs.find(JobName.DeliveryRetry, retryJobId))!;
    for (const end = Date.now() + 30_000; (await retryJob.getState()) !== 'completed'; ) {
      if (Date.now() > end) throw new Error('the retry job did not complete');
      await new Promise((r) => setTimeout(r, 50));
    }
    await sim.waitFor((s) => s.messages.filter((m) => m.to === sitter.phone).every((m) => m.status !== 'queued' && m.status !== 'sent'), 10_000);

    const toSitter = sim.messages.filter((m) => m.to === sitter.phone);
    expect(toSitter).toHaveLength(2);
    expect(toSitter[1]).toMatchObject({ from: original.from, body: original.body, status: 'delivered' });
  });
});
