import type { ChildProcess } from 'node:child_process';
import request from 'supertest';
import { SIMULATOR_ACCOUNT_SID, SIMULATOR_AUTH_TOKEN } from '@maskline/config';
import { TwilioSimulator } from '@maskline/twilio-simulator';
import { createTestDatabase, TestDatabase } from '../../libs/store/src/sql/test/postgres-test-database';
import { ProcessRoles } from '@maskline/jobs';
import { deleteRedisPrefix, TEST_REDIS_URL, uniquePrefix } from '../support/redis-cleanup';
import { startWorkerProcess, stopProcess } from '../support/worker-process';
import { startTestApp, TEST_API_KEY, TestApp } from '../support/test-app';
import { waitForSettled } from './support/inventory-fixtures';

jest.setTimeout(240_000);

/**
 * A worker process is killed with SIGKILL after Twilio bought the number but
 * before the record was updated. BullMQ hands the stalled job to another
 * worker, which adopts the number by its FriendlyName token: one purchase,
 * record ready.
 */
describe('purchase survives a worker killed mid-job (SIGKILL)', () => {
  const prefix = uniquePrefix('inv-kill');
  let db: TestDatabase;
  let sim: TwilioSimulator;
  let api: TestApp;
  const workers: ChildProcess[] = [];
  let workerEnv: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase();
    sim = new TwilioSimulator({ accountSid: SIMULATOR_ACCOUNT_SID, authToken: SIMULATOR_AUTH_TOKEN });
    const twilio = { TWILIO_ACCOUNT_SID: SIMULATOR_ACCOUNT_SID, TWILIO_AUTH_TOKEN: SIMULATOR_AUTH_TOKEN, TWILIO_BASE_URL: await sim.start() };
    // API only: every job runs in a spawned worker
    api = await startTestApp({ prefix, roles: new ProcessRoles(true, false), env: { DATABASE_URL: db.url, ...twilio } });
    workerEnv = {
      NODE_ENV: 'test',
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      DATABASE_URL: db.url,
      PUBLIC_BASE_URL: api.url,
      API_KEY: TEST_API_KEY,
      ADMIN_USERNAME: 'ops',
      ADMIN_PASSWORD: 'worker-test-password',
      // a dead worker's job comes back after about this long
      JOB_LOCK_DURATION_MS: '2000',
      LOG_LEVEL: 'warn',
      ...twilio,
    };
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => stopProcess(w, 'SIGKILL')));
    await api?.close({ keepRedis: true });
    await sim?.stop();
    await deleteRedisPrefix(prefix);
    await db?.drop();
  });

  it('the job is picked up again and the record ends ready with one purchase', async () => {
    const first = await startWorkerProcess(workerEnv);
    workers.push(first);
    // Twilio buys, then holds its answer: the worker is inside the job, after the buy
    sim.injectTimeoutAfterEffect('numbers.buy', { delayMs: 120_000 });

    const res = await request(api.url).post('/numbers/purchase').set(api.auth).send({ lifecycle: 'pool', area_code: '303' }).expect(202);
    await sim.waitFor((s) => s.purchases.length === 1, 60_000);
    await stopProcess(first, 'SIGKILL');
    expect((await request(api.url).get(`/numbers/${res.body.number_inventory_id}`).set(api.auth)).body.status).toBe('pending');

    workers.push(await startWorkerProcess(workerEnv));
    const ready = await waitForSettled(api, res.body.number_inventory_id, 90_000);

    expect(ready).toMatchObject({ status: 'ready', lifecycle: 'pool' });
    expect(sim.purchases).toHaveLength(1);
    expect(ready.phone_number).toBe(sim.purchases[0].phoneNumber);
    expect(sim.ownedNumbers.find((n) => n.phoneNumber === ready.phone_number)!.smsUrl).toBe(`${api.url}/intercept`);
  });
});
