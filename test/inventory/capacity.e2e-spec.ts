import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import request from 'supertest';
import { AuditLog, InventoryNumber, NumberRepository } from '@maskline/store';
import { PoolExhaustionService } from '../../src/inventory/capacity/pool-exhaustion.service';
import { PoolNumberReadyListeners } from '../../src/inventory/purchase/pool-number-ready.listeners';
import { PoolCooldown } from '../../src/inventory/capacity/pool-cooldown';
import { POOL_CAPACITY_SCHEDULER, STANDBY_SCHEDULER } from '../../src/inventory/capacity/inventory-schedules';
import { JobName, QueueName } from '@maskline/jobs';
import { startTestApp, TestApp } from '../support/test-app';
import { hoursAgo, poolRecords, seedPool, waitForSettled } from './support/inventory-fixtures';

jest.setTimeout(120_000);

const COOLDOWN_MS = 72 * 3600_000;

/** Seed Zap 4's three test scenarios and the rules around them, end to end over HTTP. */
describe('pool capacity monitor: POST /inventory/check-and-replenish', () => {
  let t: TestApp;

  beforeEach(async () => void (t = await startTestApp()));
  afterEach(() => t?.close());

  const check = (body: Record<string, unknown> = {}) => request(t.url).post('/inventory/check-and-replenish').set(t.auth).send(body).expect(200);

  it('Test 1: 10 ready / 9 active (90 %) buys exactly one pool number, which becomes ready', async () => {
    await seedPool(t.app, 10, 9);
    const purchasesBefore = t.sim.purchases.length;

    const res = await check({ lifecycle: 'pool', area_code: '303', quantity: 1 });

    expect(res.body).toMatchObject({
      success: true,
      action: 'purchased',
      reason: null,
      utilization_rate: 0.9,
      threshold: 0.87,
      ready_pool_count: 10,
      active_sessions: 9,
      pending_pool_count: 0,
      status: 'pending',
    });
    expect(new Date(res.body.cooldown_until).getTime()).toBeGreaterThan(Date.now() + COOLDOWN_MS - 60_000);
    expect(res.body.number_inventory_ids).toEqual([res.body.number_inventory_id]);

    const ready = await waitForSettled(t, res.body.number_inventory_id);
    expect(ready).toMatchObject({ status: 'ready', lifecycle: 'pool' });
    expect(t.sim.purchases.length - purchasesBefore).toBe(1);
    expect(t.sim.purchases.at(-1)!.phoneNumber).toBe(ready.phone_number);

    const audit = await t.app.get(AuditLog).listRecent(10, 'pool_purchase');
    expect(audit).toHaveLength(1);
    expect(audit[0].details).toMatchObject({ trigger: 'api', utilization_rate: 0.9, ready_pool_count: 10, active_sessions: 9 });

    // the ready number lifts the pool to 11; a second check is now below the threshold anyway
    const again = await check();
    expect(again.body).toMatchObject({ action: 'none', reason: 'below_threshold', ready_pool_count: 11 });
  });

  it('Test 2: 20 ready / 10 active (50 %) buys nothing: below_threshold', async () => {
    await seedPool(t.app, 20, 10);

    const res = await check({ lifecycle: 'pool', area_code: '303', quantity: 1 });

    expect(res.body).toMatchObject({ success: true, action: 'none', reason: 'below_threshold', utilization_rate: 0.5, ready_pool_count: 20, active_sessions: 10, cooldown_until: null });
    expect(res.body.number_inventory_id).toBeUndefined();
    expect(t.sim.purchases).toHaveLength(0);
    expect(await poolRecords(t.app)).toHaveLength(20);
  });

  it('Test 3: threshold met but a pool purchase 24 h ago buys nothing: cooldown_active', async () => {
    await seedPool(t.app, 10, 9);
    await t.app.get(PoolCooldown).tryTake('seeded-purchase-24h-ago', COOLDOWN_MS, hoursAgo(24));

    const res = await check();

    expect(res.body).toMatchObject({ action: 'none', reason: 'cooldown_active', utilization_rate: 0.9 });
    // 72 h window started 24 h ago: about 48 h left
    const left = new Date(res.body.cooldown_until).getTime() - Date.now();
    expect(left).toBeGreaterThan(47.9 * 3600_000);
    expect(left).toBeLessThanOrEqual(48 * 3600_000);
    expect(t.sim.purchases).toHaveLength(0);
    expect(await poolRecords(t.app)).toHaveLength(10);
  });

  it('a purchase older than the cooldown no longer blocks', async () => {
    await seedPool(t.app, 10, 9);
    await t.app.get(PoolCooldown).tryTake('seeded-purchase-73h-ago', COOLDOWN_MS, hoursAgo(73));
    expect((await check()).body).toMatchObject({ action: 'purchased' });
  });

  it('a pending pool number blocks: pending_exists', async () => {
    await seedPool(t.app, 10, 9);
    const [pending] = await t.app.get(NumberRepository).createPending([{ lifecycle: 'pool', areaCode: '303' }]);

    const res = await check();

    expect(res.body).toMatchObject({ action: 'none', reason: 'pending_exists', pending_pool_count: 1, utilization_rate: 0.9 });
    expect((await poolRecords(t.app)).map((n) => n.id)).toContain(pending.id);
    expect(await poolRecords(t.app)).toHaveLength(11);
  });

  it('0 ready pool numbers count as 100 % utilization and buy', async () => {
    const res = await check();

    expect(res.body).toMatchObject({ action: 'purchased', utilization_rate: 1, ready_pool_count: 0, active_sessions: 0 });
    await waitForSettled(t, res.body.number_inventory_id);
    expect(t.sim.purchases).toHaveLength(1);
  });

  it('quantity and threshold in the body are honoured', async () => {
    await seedPool(t.app, 10, 5);
    expect((await check()).body).toMatchObject({ action: 'none', reason: 'below_threshold' });

    const res = await check({ threshold: 0.5, quantity: 2 });
    expect(res.body).toMatchObject({ action: 'purchased', utilization_rate: 0.5 });
    expect(res.body.number_inventory_ids).toHaveLength(2);
    const cooldown = await t.app.get(PoolCooldown).status();
    expect([...cooldown.holders].sort()).toEqual([...res.body.number_inventory_ids].sort());
  });

  it('bad input answers 400 naming the field', async () => {
    const res = await request(t.url).post('/inventory/check-and-replenish').set(t.auth).send({ lifecycle: 'standby', quantity: 0 }).expect(400);
    expect(Object.keys(res.body.details.fields).sort()).toEqual(['lifecycle', 'quantity']);
  });

  it('GET /inventory/health shows the same figures, standby counts and the cooldown, and acts on nothing', async () => {
    await seedPool(t.app, 10, 9);
    await t.app.get(NumberRepository).createPending([{ lifecycle: 'standby', areaCode: '303' }]);
    await t.app.get(PoolCooldown).tryTake('seeded', COOLDOWN_MS, hoursAgo(1));

    const res = await request(t.url).get('/inventory/health').set(t.auth).expect(200);

    expect(res.body).toMatchObject({
      success: true,
      utilization_rate: 0.9,
      threshold: 0.87,
      threshold_met: true,
      ready_pool_count: 10,
      active_sessions: 9,
      pending_pool_count: 0,
      cooldown_active: true,
      standby_ready_count: 0,
      standby_pending_count: 1,
    });
    expect(new Date(res.body.cooldown_until).getTime()).toBeGreaterThan(Date.now() + 70 * 3600_000);
    expect(t.sim.purchases).toHaveLength(0);
    expect(await poolRecords(t.app)).toHaveLength(10);
  });
});

describe('capacity check on a schedule (BullMQ job scheduler)', () => {
  it('two instances register one scheduler each for the check and the standby keeper; a scheduled run performs the check', async () => {
    const first = await startTestApp({ env: { CAPACITY_CHECK_EVERY_HOURS: '48' } });
    try {
      // a second instance on the same Redis upserts the same schedulers (its own store: it only registers here)
      const second = await startTestApp({ prefix: first.prefix, env: { CAPACITY_CHECK_EVERY_HOURS: '48' } });
      await second.close({ keepRedis: true });
      const queue = first.app.get<Queue>(getQueueToken(QueueName.InventorySchedule));
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers.map((s) => s.key).sort()).toEqual([POOL_CAPACITY_SCHEDULER, STANDBY_SCHEDULER].sort());
      const capacity = schedulers.find((s) => s.key === POOL_CAPACITY_SCHEDULER)!;
      expect(capacity.every).toBe(48 * 3600_000);
      // the first run waits one interval: a fresh install must not buy before it is stocked
      expect(Number(capacity.next)).toBeGreaterThan(Date.now() + 47 * 3600_000);
      expect(first.sim.purchases).toHaveLength(0);

      // what the scheduler enqueues when it fires: the same check, run by a worker
      await queue.add(JobName.PoolCapacityCheck, {});
      await first.sim.waitFor((s) => s.purchases.length === 1, 20_000);
      const [bought] = await poolRecords(first.app);
      await waitForSettled(first, bought.id);
      const audit = await first.app.get(AuditLog).listRecent(10, 'pool_purchase');
      expect(audit[0].details).toMatchObject({ trigger: 'schedule' });
    } finally {
      await first.close();
    }
  });
});

describe('pool exhaustion purchase (for the relay)', () => {
  let t: TestApp;
  beforeEach(async () => void (t = await startTestApp()));
  afterEach(() => t?.close());

  it('buys at once despite low utilization and the cooldown, deduplicated against a pending pool purchase, and announces the ready number', async () => {
    await seedPool(t.app, 20, 1);
    await t.app.get(PoolCooldown).tryTake('recent-purchase', COOLDOWN_MS, hoursAgo(1));
    const heard: InventoryNumber[] = [];
    const unsubscribe = t.app.get(PoolNumberReadyListeners).subscribe((n) => void heard.push(n));
    const exhaustion = t.app.get(PoolExhaustionService);
    // the first purchase stays pending while the others ask
    t.sim.injectLatency('numbers.buy', 1500, 1);

    const results = await Promise.all([exhaustion.requestPurchase({}), exhaustion.requestPurchase({}), exhaustion.requestPurchase({})]);

    const queued = results.filter((r) => r.outcome === 'queued');
    expect(queued).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'already_pending')).toHaveLength(2);
    const numberId = (queued[0] as { number: InventoryNumber }).number.id;
    const ready = await waitForSettled(t, numberId);
    expect(t.sim.purchases).toHaveLength(1);
    expect(heard.map((n) => n.id)).toEqual([numberId]);
    expect(heard[0]).toMatchObject({ status: 'ready', lifecycle: 'pool', phoneNumber: ready.phone_number });
    // the utilization-driven cooldown is untouched
    expect((await t.app.get(PoolCooldown).status()).holders).toEqual([]);
    unsubscribe();
  });
});
