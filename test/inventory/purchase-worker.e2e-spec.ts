import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import request from 'supertest';
import { AuditLog } from '@maskline/store';
import { QueueName } from '@maskline/jobs';
import { startTestApp, TestApp } from '../support/test-app';
import { waitForSettled } from './support/inventory-fixtures';

jest.setTimeout(180_000);

/** The purchase worker against the simulator's fault injection. */
describe('purchase worker: Twilio faults', () => {
  let t: TestApp;

  beforeAll(async () => {
    // a short client timeout so "Twilio answers too late" happens within the test
    t = await startTestApp({ env: { TWILIO_TIMEOUT_MS: '1000', MAX_PURCHASES_PER_DAY: '50' } });
  });
  afterEach(() => t.sim.clearFaults());
  afterAll(() => t?.close());

  async function purchase(body: Record<string, unknown> = {}): Promise<string> {
    const res = await request(t.url).post('/numbers/purchase').set(t.auth).send({ lifecycle: 'standby', area_code: '303', ...body }).expect(202);
    return res.body.number_inventory_id;
  }
  /** attempts the job ran, the successful one included */
  const attemptsOf = async (jobId: string) => (await t.app.get<Queue>(getQueueToken(QueueName.NumberPurchase)).getJob(jobId))!.attemptsMade;

  it('Twilio answers 500, then succeeds: the buy step is retried inside the attempt, one purchase', async () => {
    t.sim.injectFault('numbers.buy', { status: 500, code: 20500, message: 'Internal Server Error' });
    const before = t.sim.purchases.length;

    const id = await purchase();
    const ready = await waitForSettled(t, id);

    expect(ready).toMatchObject({ status: 'ready', error_code: null });
    expect(t.sim.purchases.length - before).toBe(1);
    expect(await attemptsOf(ready.job_id)).toBe(1); // the step retried itself: no attempt of the job was spent
  });

  it('Twilio times out after buying: the retry adopts the number by its token, still one purchase', async () => {
    t.sim.injectTimeoutAfterEffect('numbers.buy', { delayMs: 5_000 });
    const before = t.sim.purchases.length;

    const id = await purchase();
    const ready = await waitForSettled(t, id);

    expect(t.sim.purchases.length - before).toBe(1);
    expect(ready.phone_number).toBe(t.sim.purchases.at(-1)!.phoneNumber);
    expect(await attemptsOf(ready.job_id)).toBe(1); // the buy step looked the token up before buying again
    const [event] = (await t.app.get(AuditLog).listRecent(50, 'number_purchased')).filter((e) => e.numberId === id);
    expect(event.details).toMatchObject({ adopted: true });
  });

  it('21452 in 303 falls back to 720', async () => {
    t.sim.injectFault('numbers.buy', { status: 400, code: 21452, message: 'No phone numbers found in area code 303' });
    const before = t.sim.purchases.length;

    const ready = await waitForSettled(t, await purchase({ area_code: '303' }));

    expect(ready).toMatchObject({ status: 'ready', area_code: '303' });
    expect(ready.phone_number).toMatch(/^\+1720\d{7}$/);
    expect(t.sim.purchases.length - before).toBe(1);
  });

  it('an area code with nothing for sale falls back without buying there', async () => {
    t.sim.emptyAreaCode('303');
    try {
      const ready = await waitForSettled(t, await purchase({ area_code: '303' }));
      expect(ready.phone_number).toMatch(/^\+1720\d{7}$/);
    } finally {
      t.sim.setAvailableNumbers('303', 50);
    }
  });

  it('a number sold between search and buy (21422) is skipped for another one', async () => {
    t.sim.injectFault('numbers.buy', { status: 400, code: 21422, message: 'PhoneNumber is not available' });
    const ready = await waitForSettled(t, await purchase({ area_code: '303' }));
    expect(ready).toMatchObject({ status: 'ready' });
    expect(ready.phone_number).toMatch(/^\+1303\d{7}$/);
  });

  it('a permanent Twilio refusal marks the record failed at once with its code and message', async () => {
    t.sim.injectFault('numbers.buy', { status: 400, code: 21421, message: 'PhoneNumber is invalid' });
    const before = t.sim.purchases.length;

    const failed = await waitForSettled(t, await purchase());

    expect(failed).toMatchObject({ status: 'failed', error_code: '21421', phone_number: null });
    expect(failed.error_message).toMatch(/PhoneNumber is invalid/);
    expect(t.sim.purchases.length).toBe(before);
    expect(await attemptsOf(failed.job_id)).toBe(1);
    const events = (await t.app.get(AuditLog).listRecent(50, 'number_purchase_failed')).filter((e) => e.numberId === failed.number_inventory_id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ severity: 'error' });
  });
});

describe('purchase worker: every area code empty', () => {
  let t: TestApp;
  beforeAll(async () => void (t = await startTestApp()));
  afterAll(() => t?.close());

  it('marks the record failed with 21452, frees the cooldown, and a retry buys once stock is back', async () => {
    t.sim.emptyAreaCode('303');
    t.sim.emptyAreaCode('720');

    const check = await request(t.url).post('/inventory/check-and-replenish').set(t.auth).send({}).expect(200);
    expect(check.body).toMatchObject({ action: 'purchased' });
    expect(check.body.cooldown_until).not.toBeNull();

    const failed = await waitForSettled(t, check.body.number_inventory_id);
    expect(failed).toMatchObject({ status: 'failed', error_code: '21452' });
    expect(failed.error_message).toMatch(/303, 720/);
    expect(t.sim.purchases).toHaveLength(0);
    const health = await request(t.url).get('/inventory/health').set(t.auth).expect(200);
    expect(health.body).toMatchObject({ cooldown_active: false, cooldown_until: null, pending_pool_count: 0 });

    // retry: only failed records, same record, bought once numbers are for sale again
    t.sim.setAvailableNumbers('720', 5);
    const retried = await request(t.url).post(`/numbers/${failed.number_inventory_id}/retry`).set(t.auth).send({}).expect(202);
    expect(retried.body).toMatchObject({ status: 'pending', number_inventory_id: failed.number_inventory_id, error_code: null });
    const ready = await waitForSettled(t, failed.number_inventory_id);
    expect(ready.phone_number).toMatch(/^\+1720\d{7}$/);
    expect(t.sim.purchases).toHaveLength(1);

    const again = await request(t.url).post(`/numbers/${failed.number_inventory_id}/retry`).set(t.auth).send({}).expect(409);
    expect(again.body.error).toMatch(/only a failed purchase can be retried/);
  });
});

describe('purchase worker: Proxy-service mode', () => {
  const serviceSid = 'KS' + 'a1'.repeat(16);
  let t: TestApp;
  beforeAll(async () => void (t = await startTestApp({ env: { RELAY_MODE: 'proxy', TWILIO_PROXY_SERVICE_SID: serviceSid } })));
  afterAll(() => t?.close());

  it('pool numbers join the Proxy service unreserved, reserved and standby numbers reserved; no SMS webhook is set', async () => {
    const pool = await request(t.url).post('/numbers/purchase').set(t.auth).send({ lifecycle: 'pool', area_code: '303' }).expect(202);
    const standby = await request(t.url).post('/numbers/purchase').set(t.auth).send({ lifecycle: 'standby', area_code: '303' }).expect(202);
    const readyPool = await waitForSettled(t, pool.body.number_inventory_id);
    const readyStandby = await waitForSettled(t, standby.body.number_inventory_id);

    const joined = t.sim.proxy.numbers.filter((n) => n.serviceSid === serviceSid);
    expect(joined.find((n) => n.phoneNumber === readyPool.phone_number)).toMatchObject({ isReserved: false });
    expect(joined.find((n) => n.phoneNumber === readyStandby.phone_number)).toMatchObject({ isReserved: true });
    expect(t.sim.ownedNumbers.find((n) => n.phoneNumber === readyPool.phone_number)!.smsUrl).toBeFalsy();
  });
});
