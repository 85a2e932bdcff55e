import request from 'supertest';
import { waitForSettled } from '../inventory/support/inventory-fixtures';
import { phoneFor } from '../relay/support/relay-world';
import { startTestApp, TestApp } from '../support/test-app';
import { DeliveryWorld, OwnerWebhookReceiver } from './support/delivery-world';

jest.setTimeout(60_000);

const SERVICE_SID = 'MG' + '1a'.repeat(16);

describe('with TWILIO_MESSAGING_SERVICE_SID: bought numbers join the A2P Messaging Service', () => {
  const hook = new OwnerWebhookReceiver();
  let t: TestApp;
  let world: DeliveryWorld;

  beforeAll(async () => {
    const hookUrl = await hook.start();
    // the embedded simulator's account has the service the variable names
    t = await startTestApp({ env: { TWILIO_MESSAGING_SERVICE_SID: SERVICE_SID, OWNER_ALERT_WEBHOOK_URL: hookUrl, TWILIO_RETRY_BUDGET_SECONDS: '5' } });
    world = new DeliveryWorld(t);
  });
  afterAll(async () => {
    await t?.close();
    await hook.stop();
  });

  const inService = (phone: string) => t.sim.messaging.numbers.some((n) => n.serviceSid === SERVICE_SID && n.phoneNumber === phone);

  it('a text from a number outside the service fails with 30034 and alerts the owner at once, naming the number, once', async () => {
    const [outside] = await world.addPoolNumbers(1);
    const { sitter, reserved } = await world.addSitter('A2P Sitter');
    const client = phoneFor('client');
    await world.text({ from: client, to: reserved, body: 'first' });
    await t.sim.waitFor(() => hook.accepted.length === 1, 15_000);
    expect(hook.accepted[0]).toMatchObject({ type: 'sender_not_registered', error_code: '30034', phone_number: outside });
    const [relayed] = world.sentWith('first');
    expect(relayed).toMatchObject({ from: outside, to: sitter.phone, status: 'failed', errorCode: 30034 });

    await world.text({ from: client, to: reserved, body: 'second' });
    await t.sim.waitFor(() => world.sentWith('second')[0]?.status === 'failed', 10_000);
    await world.waitForQuiet();
    expect(hook.accepted).toHaveLength(1);
    expect((await world.failures().expect(200)).body.failures.filter((x: any) => x.error_code === '30034' && x.direction !== 'alert').length).toBe(2);
  });

  it('a purchased number joins the service before it is ready', async () => {
    // the join answers slowly: a record marked ready before the join would show here as ready and not in the service
    t.sim.injectLatency('messaging.phoneNumbers.create', 700, 1);
    const res = await request(t.url).post('/numbers/purchase').set(t.auth).send({ lifecycle: 'pool', area_code: '303' }).expect(202);
    const seen: { status: string; member: boolean }[] = [];
    for (;;) {
      const record = (await request(t.url).get(`/numbers/${res.body.number_inventory_id}`).set(t.auth).expect(200)).body;
      seen.push({ status: record.status, member: record.phone_number ? inService(record.phone_number) : false });
      if (record.status !== 'pending') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(seen.at(-1)).toEqual({ status: 'ready', member: true });
    expect(seen.some((s) => s.status === 'ready' && !s.member)).toBe(false);
    expect((await world.auditEvents('messaging_service_joined')).map((e) => e.numberId)).toContain(res.body.number_inventory_id);
  });

  it('a join failure leaves the record failed with the code and the number bought; a retry redoes only the join', async () => {
    t.sim.injectFault('messaging.phoneNumbers.create', { status: 400, code: 21712, message: 'Phone Number is associated with another Messaging Service.' });
    const purchasesBefore = t.sim.purchases.length;
    const res = await request(t.url).post('/numbers/purchase').set(t.auth).send({ lifecycle: 'pool', area_code: '303' }).expect(202);
    const failed = await waitForSettled(t, res.body.number_inventory_id);
    expect(failed).toMatchObject({ status: 'failed', error_code: '21712' });
    expect(t.sim.purchases).toHaveLength(purchasesBefore + 1);
    const bought = t.sim.purchases.at(-1)!.phoneNumber;
    expect(t.sim.ownedNumbers.some((n) => n.phoneNumber === bought)).toBe(true);
    expect(inService(bought)).toBe(false);
    expect((await world.auditEvents('messaging_service_join_failed')).filter((e) => e.numberId === res.body.number_inventory_id)).toHaveLength(1);

    await request(t.url).post(`/numbers/${res.body.number_inventory_id}/retry`).set(t.auth).expect(202);
    const ready = await waitForSettled(t, res.body.number_inventory_id);
    expect(ready).toMatchObject({ status: 'ready', phone_number: bought });
    expect(t.sim.purchases).toHaveLength(purchasesBefore + 1);
    expect(inService(bought)).toBe(true);
  });
});
