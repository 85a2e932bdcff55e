import request from 'supertest';
import { AuditLog, NumberRepository, SitterRepository } from '@maskline/store';
import { basicAuth, startTestApp, TestApp } from '../support/test-app';
import { storeOf, waitForSettled } from './support/inventory-fixtures';
import { addSitter } from '../../libs/store/src/contract/fixtures';

jest.setTimeout(120_000);

describe('POST /numbers/purchase (purchase pipeline over HTTP, simulator)', () => {
  let t: TestApp;

  beforeAll(async () => void (t = await startTestApp({ env: { MAX_PURCHASES_PER_DAY: '60' } })));
  afterAll(() => t?.close());

  it('answers 202 at once with pending records, then the worker buys, configures and marks each ready', async () => {
    const res = await request(t.url).post('/numbers/purchase').set(t.auth).send({ lifecycle: 'pool', area_code: '303', quantity: 2, reason: 'Initial stock' }).expect(202);

    expect(res.body).toMatchObject({ success: true, quantity: 2, status: 'pending', phone_number: null });
    expect(res.body.numbers).toHaveLength(2);
    for (const n of res.body.numbers) {
      expect(n).toMatchObject({ status: 'pending', phone_number: null, lifecycle: 'pool', area_code: '303', purchase_reason: 'Initial stock' });
      expect(n.job_id).toBe(`purchase-${n.number_inventory_id}`);
    }
    expect(res.body.number_inventory_id).toBe(res.body.numbers[0].number_inventory_id);

    const settled = await Promise.all(res.body.numbers.map((n: any) => waitForSettled(t, n.number_inventory_id)));
    for (const n of settled) {
      expect(n).toMatchObject({ status: 'ready', lifecycle: 'pool', error_code: null });
      expect(n.phone_number).toMatch(/^\+1303\d{7}$/);
      expect(n.twilio_sid).toMatch(/^PN[0-9a-f]{32}$/);
      expect(new Date(n.purchased_at).getTime()).not.toBeNaN();
    }
    const bought = t.sim.purchases.filter((p) => settled.some((n) => n.phone_number === p.phoneNumber));
    expect(bought).toHaveLength(2);
    // the relay's webhook is on each number, and FriendlyName names the record
    for (const n of settled) {
      const owned = t.sim.ownedNumbers.find((o) => o.phoneNumber === n.phone_number)!;
      expect(owned.smsUrl).toBe(`${t.url}/intercept`);
      const record = await t.app.get(NumberRepository).findById(n.number_inventory_id);
      expect(owned.friendlyName).toBe(record!.purchaseToken);
    }
    const audit = await t.app.get(AuditLog).listRecent(50, 'number_purchased');
    expect(audit.filter((e) => settled.some((n) => n.number_inventory_id === e.numberId))).toHaveLength(2);
  });

  it('a reserved purchase for a sitter attaches the number and activates the sitter', async () => {
    const sitter = await addSitter(storeOf(t.app), 'Reserved Rita');
    const res = await request(t.url).post('/numbers/purchase').set(t.auth).send({ lifecycle: 'reserved', area_code: '720', sitter_id: sitter.id }).expect(202);
    const ready = await waitForSettled(t, res.body.number_inventory_id);

    expect(ready).toMatchObject({ status: 'ready', lifecycle: 'reserved', sitter_id: sitter.id });
    const after = await t.app.get(SitterRepository).findById(sitter.id);
    expect(after).toMatchObject({ status: 'active', reservedNumber: ready.phone_number });
  });

  it('refuses a second reserved number for a sitter (409), writing nothing', async () => {
    const sitter = await addSitter(storeOf(t.app), 'Twice Tom');
    await request(t.url).post('/numbers/purchase').set(t.auth).send({ lifecycle: 'reserved', area_code: '303', sitter_id: sitter.id }).expect(202);
    const before = (await t.app.get(NumberRepository).listRecent(500)).length;

    const res = await request(t.url).post('/numbers/purchase').set(t.auth).send({ lifecycle: 'reserved', area_code: '303', sitter_id: sitter.id }).expect(409);
    expect(res.body).toMatchObject({ success: false });
    expect(res.body.error).toMatch(/already has a reserved number/);
    expect((await t.app.get(NumberRepository).listRecent(500)).length).toBe(before);
  });

  it('replays an Idempotency-Key without creating records', async () => {
    const body = { lifecycle: 'standby', area_code: '303', quantity: 1 };
    const first = await request(t.url).post('/numbers/purchase').set(t.auth).set('Idempotency-Key', 'purchase-once-1').send(body).expect(202);
    const before = (await t.app.get(NumberRepository).listRecent(500)).length;

    const again = await request(t.url).post('/numbers/purchase').set(t.auth).set('Idempotency-Key', 'purchase-once-1').send(body);
    expect(again.status).toBe(202);
    expect(again.body.number_inventory_id).toBe(first.body.number_inventory_id);
    expect((await t.app.get(NumberRepository).listRecent(500)).length).toBe(before);
    await waitForSettled(t, first.body.number_inventory_id);
  });

  describe('bad input: 400 naming the field, nothing written', () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['quantity 0', { lifecycle: 'pool', area_code: '303', quantity: 0 }, 'quantity'],
      ['quantity 51', { lifecycle: 'pool', area_code: '303', quantity: 51 }, 'quantity'],
      ['lifecycle "gold"', { lifecycle: 'gold', area_code: '303' }, 'lifecycle'],
      ['area_code "12"', { lifecycle: 'pool', area_code: '12' }, 'area_code'],
      ['missing area_code', { lifecycle: 'pool' }, 'area_code'],
      ['sitter_id on a pool purchase', { lifecycle: 'pool', area_code: '303', sitter_id: 'x' }, 'sitter_id'],
    ];
    it.each(cases)('%s', async (_label, body, field) => {
      const before = (await t.app.get(NumberRepository).listRecent(500)).length;
      const res = await request(t.url).post('/numbers/purchase').set(t.auth).send(body).expect(400);
      expect(res.body.success).toBe(false);
      expect(Object.keys(res.body.details.fields)).toContain(field);
      expect(res.body.error).toContain(field);
      expect((await t.app.get(NumberRepository).listRecent(500)).length).toBe(before);
    });

    it('a form body is validated the same way', async () => {
      const res = await request(t.url).post('/numbers/purchase').set(t.auth).type('form').send('lifecycle=pool&area_code=303&quantity=51').expect(400);
      expect(res.body.details.fields.quantity).toBeDefined();
    });

    it('an unknown sitter is 404 and writes nothing', async () => {
      const before = (await t.app.get(NumberRepository).listRecent(500)).length;
      await request(t.url).post('/numbers/purchase').set(t.auth).send({ lifecycle: 'reserved', area_code: '303', sitter_id: '00000000-0000-4000-8000-000000000000' }).expect(404);
      expect((await t.app.get(NumberRepository).listRecent(500)).length).toBe(before);
    });
  });

  describe('auth', () => {
    it.each([
      ['post', '/numbers/purchase'],
      ['post', '/numbers/standby-replenish'],
      ['post', '/inventory/check-and-replenish'],
      ['get', '/inventory/health'],
      ['get', '/numbers/00000000-0000-4000-8000-000000000000'],
      ['post', '/numbers/00000000-0000-4000-8000-000000000000/retry'],
      ['post', '/attach-number'],
      ['post', '/detach-number'],
      ['post', '/sitters'],
      ['get', '/sitters/00000000-0000-4000-8000-000000000000'],
    ])('%s %s answers 401 without the API key', async (method, path) => {
      const res = await (request(t.url) as any)[method](path).send({}).expect(401);
      expect(res.body.success).toBe(false);
    });

    it('GET /numbers/debug needs the admin credentials and is absent from /docs-json', async () => {
      await request(t.url).get('/numbers/debug').expect(401);
      await request(t.url).get('/numbers/debug').set(t.auth).expect(401);
      const debug = await request(t.url).get('/numbers/debug').set('authorization', basicAuth()).expect(200);
      expect(debug.body.inventory.pool.ready).toBeGreaterThanOrEqual(2);
      expect(debug.body.queues['number-purchase']).toBeDefined();
      for (const n of debug.body.recent_numbers) if (n.phone) expect(n.phone).toMatch(/^\*\*\*\d{4}$/);

      const docs = await request(t.url).get('/docs-json').expect(200);
      expect(Object.keys(docs.body.paths)).not.toContain('/numbers/debug');
      expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(['/numbers/purchase', '/inventory/check-and-replenish', '/inventory/health', '/attach-number', '/sitters']));
    });
  });

  it('GET /numbers/:id answers 404 for an unknown id', async () => {
    const res = await request(t.url).get('/numbers/not-a-number').set(t.auth).expect(404);
    expect(res.body.success).toBe(false);
  });
});

describe('daily purchase cap (MAX_PURCHASES_PER_DAY)', () => {
  let t: TestApp;
  beforeAll(async () => void (t = await startTestApp({ env: { MAX_PURCHASES_PER_DAY: '3' } })));
  afterAll(() => t?.close());

  it('accepts up to the cap in 24 hours, then answers 429 with a clear message and writes nothing', async () => {
    await request(t.url).post('/numbers/purchase').set(t.auth).send({ lifecycle: 'pool', area_code: '303', quantity: 2 }).expect(202);
    const refused = await request(t.url).post('/numbers/purchase').set(t.auth).send({ lifecycle: 'pool', area_code: '303', quantity: 2 }).expect(429);

    expect(refused.body.success).toBe(false);
    expect(refused.body.error).toMatch(/Daily purchase cap reached: at most 3 numbers .* 24 hours \(MAX_PURCHASES_PER_DAY\); 2 already requested, 2 more asked/);
    expect(refused.body.details).toMatchObject({ limit: 3, used: 2, requested: 2 });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(await t.app.get(NumberRepository).listRecent(10)).toHaveLength(2);

    // what is left of the cap can still be used
    await request(t.url).post('/numbers/purchase').set(t.auth).send({ lifecycle: 'pool', area_code: '303', quantity: 1 }).expect(202);
    await request(t.url).post('/numbers/purchase').set(t.auth).send({ lifecycle: 'pool', area_code: '303', quantity: 1 }).expect(429);
    expect(await t.app.get(NumberRepository).listRecent(10)).toHaveLength(3);
  });
});
