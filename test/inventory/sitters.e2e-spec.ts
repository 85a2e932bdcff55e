import request from 'supertest';
import { NumberRepository, SessionRepository } from '@maskline/store';
import { addClient, addReadyPool, openSession } from '../../libs/store/src/contract/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { storeOf, waitForSettled } from './support/inventory-fixtures';

jest.setTimeout(180_000);

let phoneSeq = 100;
const newSitterPhone = () => `(720) 555-0${phoneSeq++}`;

async function createSitter(t: TestApp, name = 'Sam Sitter'): Promise<string> {
  const res = await request(t.url).post('/sitters').set(t.auth).send({ name, phone: newSitterPhone(), email: 'sam@example.com' }).expect(200);
  return res.body.sitter_id;
}

/** a ready standby number bought through the pipeline */
async function stockStandby(t: TestApp): Promise<Record<string, any>> {
  const res = await request(t.url).post('/numbers/purchase').set(t.auth).send({ lifecycle: 'standby', area_code: '303' }).expect(202);
  return waitForSettled(t, res.body.number_inventory_id);
}

const attach = (t: TestApp, sitterId: string) => request(t.url).post('/attach-number').set(t.auth).send({ sitter_id: sitterId });

describe('POST /sitters, GET /sitters/:id', () => {
  let t: TestApp;
  beforeAll(async () => void (t = await startTestApp()));
  afterAll(() => t?.close());

  it('creates a sitter by real phone, then updates the same one', async () => {
    const created = await request(t.url).post('/sitters').set(t.auth).send({ name: 'Sam Sitter', phone: '(720) 555-0142', email: 'sam@example.com' }).expect(200);
    expect(created.body).toMatchObject({ success: true, action: 'created', name: 'Sam Sitter', phone: '+17205550142', email: 'sam@example.com', status: 'pending', reserved_number: null });

    const updated = await request(t.url).post('/sitters').set(t.auth).type('form').send('name=Samantha%20Sitter&phone=%2B17205550142').expect(200);
    expect(updated.body).toMatchObject({ action: 'updated', sitter_id: created.body.sitter_id, name: 'Samantha Sitter', email: 'sam@example.com' });

    const shown = await request(t.url).get(`/sitters/${created.body.sitter_id}`).set(t.auth).expect(200);
    expect(shown.body).toMatchObject({ sitter_id: created.body.sitter_id, name: 'Samantha Sitter', status: 'pending', reserved_number: null, reserved_number_status: null });
  });

  it('names the bad field', async () => {
    const badPhone = await request(t.url).post('/sitters').set(t.auth).send({ name: 'X', phone: '12' }).expect(400);
    expect(Object.keys(badPhone.body.details.fields)).toEqual(['phone']);
    const missing = await request(t.url).post('/sitters').set(t.auth).send({ phone: '(720) 555-0199', email: 'nope' }).expect(400);
    expect(Object.keys(missing.body.details.fields).sort()).toEqual(['email', 'name']);
  });

  it('answers 404 for an unknown sitter', async () => {
    await request(t.url).get('/sitters/00000000-0000-4000-8000-000000000000').set(t.auth).expect(404);
    await attach(t, '00000000-0000-4000-8000-000000000000').expect(404);
  });
});

describe('POST /attach-number path A (standby ready)', () => {
  let t: TestApp;
  beforeAll(async () => void (t = await startTestApp()));
  afterAll(() => t?.close());

  it('hands the standby number to the sitter at once, activates the sitter and queues a standby replenish', async () => {
    const standby = await stockStandby(t);
    const sitterId = await createSitter(t);
    const purchasesBefore = t.sim.purchases.length;

    const res = await attach(t, sitterId).expect(200);

    expect(res.body).toMatchObject({ success: true, path: 'A', sitter_id: sitterId, sitter_status: 'active', reserved_number: standby.phone_number });
    expect(res.body.number).toMatchObject({ number_inventory_id: standby.number_inventory_id, lifecycle: 'reserved', status: 'ready', sitter_id: sitterId });
    const shown = await request(t.url).get(`/sitters/${sitterId}`).set(t.auth).expect(200);
    expect(shown.body).toMatchObject({ status: 'active', reserved_number: standby.phone_number, reserved_number_status: 'ready', reserved_number_inventory_id: standby.number_inventory_id });

    // the standby keeper buys the replacement in the background
    await t.sim.waitFor((s) => s.purchases.length === purchasesBefore + 1, 20_000);
    const health = await waitForStandbyReady(t);
    expect(health.standby_ready_count).toBe(1);

    // a repeat changes nothing
    const again = await attach(t, sitterId).expect(200);
    expect(again.body).toMatchObject({ path: 'existing', reserved_number: standby.phone_number });
    expect(again.body.number.number_inventory_id).toBe(standby.number_inventory_id);
    expect(t.sim.purchases.length).toBe(purchasesBefore + 1);
  });

  it('two simultaneous calls for one sitter give the sitter one number', async () => {
    await waitForStandbyReady(t);
    const sitterId = await createSitter(t, 'Racy Rosa');

    const [a, b] = await Promise.all([attach(t, sitterId), attach(t, sitterId)]);

    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.number.number_inventory_id).toBe(b.body.number.number_inventory_id);
    expect([a.body.path, b.body.path].sort()).toEqual(['A', 'existing']);
    const reserved = (await t.app.get(NumberRepository).listRecent(100)).filter((n) => n.sitterId === sitterId);
    expect(reserved).toHaveLength(1);
  });

  it('POST /detach-number (path C) returns the number to standby, closes its sessions, deactivates the sitter; a repeat is harmless', async () => {
    await waitForStandbyReady(t);
    const sitterId = await createSitter(t, 'Leaving Lee');
    const attached = await attach(t, sitterId).expect(200);
    const ports = storeOf(t.app);
    await addReadyPool(ports, 1);
    const sitter = (await ports.sitters.findById(sitterId))!;
    const session = await openSession(ports, await addClient(ports, sitterId), sitter);

    const res = await request(t.url).post('/detach-number').set(t.auth).send({ sitter_id: sitterId }).expect(200);

    expect(res.body).toMatchObject({ success: true, action: 'detached', sitter_id: sitterId, sitter_status: 'inactive', closed_sessions: 1 });
    expect(res.body.number).toMatchObject({ number_inventory_id: attached.body.number.number_inventory_id, lifecycle: 'standby', status: 'ready', sitter_id: null });
    expect((await t.app.get(SessionRepository).findById(session.id))!.status).toBe('closed');
    const shown = await request(t.url).get(`/sitters/${sitterId}`).set(t.auth).expect(200);
    expect(shown.body).toMatchObject({ status: 'inactive', reserved_number: null, reserved_number_status: null });

    const again = await request(t.url).post('/detach-number').set(t.auth).send({ sitter_id: sitterId }).expect(200);
    expect(again.body).toMatchObject({ action: 'none', reason: 'no_reserved_number', sitter_status: 'inactive', closed_sessions: 0 });
  });
});

describe('POST /detach-number closes sessions through the sessions service', () => {
  let t: TestApp;
  beforeAll(async () => void (t = await startTestApp()));
  afterAll(() => t?.close());

  it('writes the session_closed audit event, with the session id and reason number_detached, for a session it closes', async () => {
    await stockStandby(t);
    const sitterId = await createSitter(t, 'Parting Pat');
    await attach(t, sitterId).expect(200);
    const ports = storeOf(t.app);
    await addReadyPool(ports, 1);
    const sitter = (await ports.sitters.findById(sitterId))!;
    const client = await addClient(ports, sitterId);
    const session = await openSession(ports, client, sitter);

    const res = await request(t.url).post('/detach-number').set(t.auth).send({ sitter_id: sitterId }).expect(200);

    expect(res.body).toMatchObject({ action: 'detached', closed_sessions: 1 });
    const closed = (await ports.audit.listRecent(100, 'session_closed')).filter((e) => e.details.session_id === session.id);
    expect(closed).toHaveLength(1);
    expect(closed[0]).toMatchObject({ category: 'session', sitterId, clientId: client.id, details: { session_id: session.id, reason: 'number_detached' } });
  });
});

describe('POST /attach-number path B (no standby ready)', () => {
  let t: TestApp;
  beforeAll(async () => void (t = await startTestApp()));
  afterAll(() => t?.close());

  it('queues a reserved purchase that ends with the sitter active', async () => {
    const sitterId = await createSitter(t);

    const res = await attach(t, sitterId).expect(200);

    expect(res.body).toMatchObject({ path: 'B', sitter_id: sitterId, sitter_status: 'pending', reserved_number: null });
    expect(res.body.number).toMatchObject({ lifecycle: 'reserved', status: 'pending', sitter_id: sitterId });
    const ready = await waitForSettled(t, res.body.number.number_inventory_id);
    expect(ready).toMatchObject({ status: 'ready', sitter_id: sitterId });
    const shown = await request(t.url).get(`/sitters/${sitterId}`).set(t.auth).expect(200);
    expect(shown.body).toMatchObject({ status: 'active', reserved_number: ready.phone_number, reserved_number_status: 'ready' });
  });

  it('two simultaneous calls for one sitter buy one number; detach waits for it', async () => {
    const sitterId = await createSitter(t, 'Twin Tess');
    t.sim.injectLatency('numbers.buy', 1000, 1);
    const purchasesBefore = t.sim.purchases.length;

    const [a, b] = await Promise.all([attach(t, sitterId), attach(t, sitterId)]);

    expect([a.status, b.status]).toEqual([200, 200]);
    expect([a.body.path, b.body.path].sort()).toEqual(['B', 'existing']);
    expect(a.body.number.number_inventory_id).toBe(b.body.number.number_inventory_id);
    const detachEarly = await request(t.url).post('/detach-number').set(t.auth).send({ sitter_id: sitterId }).expect(409);
    expect(detachEarly.body.error).toMatch(/still being bought/);

    await waitForSettled(t, a.body.number.number_inventory_id);
    expect(t.sim.purchases.length).toBe(purchasesBefore + 1);
    expect((await t.app.get(NumberRepository).listRecent(100)).filter((n) => n.sitterId === sitterId)).toHaveLength(1);
  });
});

describe('POST /numbers/standby-replenish (standby keeper)', () => {
  let t: TestApp;
  beforeAll(async () => void (t = await startTestApp()));
  afterAll(() => t?.close());

  it('concurrent calls buy one standby number; later calls see it pending, then available', async () => {
    const replenish = () => request(t.url).post('/numbers/standby-replenish').set(t.auth).send({ area_code: '720' }).expect(200);

    const answers = await Promise.all(Array.from({ length: 5 }, replenish));

    const bought = answers.filter((a) => a.body.action === 'purchased');
    expect(bought).toHaveLength(1);
    expect(bought[0].body).toMatchObject({ success: true, reason: null, standby_ready_count: 0, standby_pending_count: 0, status: 'pending' });
    for (const a of answers.filter((x) => x.body.action === 'none')) expect(a.body.reason).toMatch(/^(pending_exists|standby_available)$/);
    const ready = await waitForSettled(t, bought[0].body.number_inventory_id);
    expect(ready).toMatchObject({ lifecycle: 'standby', status: 'ready' });
    expect(ready.phone_number).toMatch(/^\+1720/);

    expect((await replenish()).body).toMatchObject({ action: 'none', reason: 'standby_available', standby_ready_count: 1 });
    expect(t.sim.purchases).toHaveLength(1);
  });
});

async function waitForStandbyReady(t: TestApp): Promise<Record<string, any>> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const health = (await request(t.url).get('/inventory/health').set(t.auth).expect(200)).body;
    if (health.standby_ready_count > 0 && health.standby_pending_count === 0) return health;
    if (Date.now() > deadline) throw new Error(`no ready standby number: ${JSON.stringify(health)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
