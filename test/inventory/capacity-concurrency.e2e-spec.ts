import request from 'supertest';
import { SIMULATOR_ACCOUNT_SID, SIMULATOR_AUTH_TOKEN } from '@maskline/config';
import { TwilioSimulator } from '@maskline/twilio-simulator';
import { createTestDatabase, TestDatabase } from '../../libs/store/src/sql/test/postgres-test-database';
import { deleteRedisPrefix, uniquePrefix } from '../support/redis-cleanup';
import { startTestApp, TestApp } from '../support/test-app';
import { poolRecords, seedPool, waitForSettled } from './support/inventory-fixtures';

jest.setTimeout(180_000);

/**
 * Two app instances (each with API and workers) on one Redis prefix, one
 * PostgreSQL database and one Twilio: 100 simultaneous checks split between
 * them must buy exactly one number.
 */
describe('check-and-replenish under concurrency across two instances', () => {
  const prefix = uniquePrefix('inv-conc');
  let db: TestDatabase;
  let sim: TwilioSimulator;
  let apps: TestApp[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    sim = new TwilioSimulator({ accountSid: SIMULATOR_ACCOUNT_SID, authToken: SIMULATOR_AUTH_TOKEN });
    const env = {
      DATABASE_URL: db.url,
      TWILIO_ACCOUNT_SID: SIMULATOR_ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: SIMULATOR_AUTH_TOKEN,
      TWILIO_BASE_URL: await sim.start(),
    };
    // one after the other: the first runs the migrations
    apps.push(await startTestApp({ prefix, env }));
    apps.push(await startTestApp({ prefix, env }));
  });

  afterAll(async () => {
    for (const app of apps) await app.close({ keepRedis: true });
    apps = [];
    await sim?.stop();
    await deleteRedisPrefix(prefix);
    await db?.drop();
  });

  it('100 simultaneous calls buy exactly one pool number', async () => {
    await seedPool(apps[0].app, 10, 9);

    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => request(apps[i % 2].url).post('/inventory/check-and-replenish').set(apps[i % 2].auth).send({ lifecycle: 'pool', area_code: '303' })),
    );

    expect(answers.map((a) => a.status)).toEqual(Array(100).fill(200));
    const purchased = answers.filter((a) => a.body.action === 'purchased');
    expect(purchased).toHaveLength(1);
    // the others saw the purchase pending, the cooldown taken, or (once it was ready) 9/11 below threshold
    for (const a of answers.filter((x) => x.body.action !== 'purchased')) {
      expect(a.body).toMatchObject({ action: 'none', reason: expect.stringMatching(/^(pending_exists|cooldown_active|below_threshold)$/) });
    }

    const ready = await waitForSettled(apps[1], purchased[0].body.number_inventory_id);
    expect(ready.status).toBe('ready');
    // give any straggler job time to show itself before counting
    await new Promise((r) => setTimeout(r, 1000));
    expect(sim.purchases).toHaveLength(1);
    expect(await poolRecords(apps[0].app)).toHaveLength(11);
  });
});
