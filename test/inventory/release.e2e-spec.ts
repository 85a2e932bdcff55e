import request from 'supertest';
import { phoneFor, useRelayApp } from '../relay/support/relay-world';
import { waitForSettled } from './support/inventory-fixtures';

jest.setTimeout(120_000);

/** POST /numbers/:id/release: retiring numbers the business no longer needs. */
describe('retiring numbers', () => {
  const f = useRelayApp({ sitter: 'Rita Sitter', poolNumbers: 1 });
  afterEach(() => f.t.sim.clearFaults());

  const release = (id: string) => request(f.t.url).post(`/numbers/${id}/release`).set(f.t.auth);
  const ownedAtTwilio = (sid: string) => f.t.sim.ownedNumbers.some((n) => n.sid === sid);

  async function boughtStandby(): Promise<{ id: string; sid: string; phone: string }> {
    const res = await request(f.t.url).post('/numbers/purchase').set(f.t.auth).send({ lifecycle: 'standby', area_code: '303' }).expect(202);
    const ready = await waitForSettled(f.t, res.body.number_inventory_id);
    expect(ready.status).toBe('ready');
    return { id: ready.number_inventory_id, sid: ready.twilio_sid, phone: ready.phone_number };
  }

  it('an idle standby number is deleted at Twilio, marked released and audited; a second release is a no-op', async () => {
    const standby = await boughtStandby();
    expect(ownedAtTwilio(standby.sid)).toBe(true);

    const first = await release(standby.id).expect(200);
    expect(first.body).toMatchObject({ success: true, already_released: false, number_inventory_id: standby.id, status: 'released', phone_number: standby.phone });
    expect(ownedAtTwilio(standby.sid)).toBe(false);
    expect((await request(f.t.url).get(`/numbers/${standby.id}`).set(f.t.auth).expect(200)).body.status).toBe('released');
    const audited = (await f.world.auditEvents('number_released')).filter((e) => e.numberId === standby.id);
    expect(audited).toHaveLength(1);
    expect(audited[0].details).toMatchObject({ lifecycle: 'standby', previous_status: 'ready' });

    const owned = f.t.sim.ownedNumbers.length;
    const second = await release(standby.id).expect(200);
    expect(second.body).toMatchObject({ success: true, already_released: true, status: 'released' });
    expect(f.t.sim.ownedNumbers).toHaveLength(owned);
    expect((await f.world.auditEvents('number_released')).filter((e) => e.numberId === standby.id)).toHaveLength(1);
  });

  it('a pool number in an active session answers 409 naming it, and stays ready', async () => {
    const client = phoneFor('client');
    await f.world.text({ from: client, to: f.sitter.reserved, body: 'Is Rex ok?' });
    await f.world.waitForRelayIdle();
    const [relayed] = f.world.sentTo(f.sitter.sitter.phone).filter((m) => m.body.endsWith('Is Rex ok?'));
    const pool = (await f.world.numbers.findByPhone(relayed.from))!;

    const res = await release(pool.id).expect(409);
    expect(res.body).toMatchObject({ success: false, details: { code: 'number_in_use', number_inventory_id: pool.id, active_sessions: 1 } });
    expect(res.body.error).toContain('1 active session(s)');
    expect(await f.world.numbers.findById(pool.id)).toMatchObject({ status: 'ready' });
    expect(ownedAtTwilio(pool.twilioSid!)).toBe(true);
  });

  it("a sitter's reserved number and a purchase still running answer 409 naming what holds them", async () => {
    const [pendingReserved] = await f.world.numbers.createPending([{ lifecycle: 'reserved', areaCode: '303', sitterId: f.sitter.sitter.id }]);
    const owned = f.t.sim.addOwnedNumber({ areaCode: '303', smsUrl: f.world.smsUrl });
    const reservedRecord = await f.world.numbers.markReady(pendingReserved.id, { phoneNumber: owned.phoneNumber, twilioSid: owned.sid, purchasedAt: new Date() });
    const reserved = await release(reservedRecord.id).expect(409);
    expect(reserved.body.details).toMatchObject({ code: 'number_in_use', sitter_id: f.sitter.sitter.id });
    expect(ownedAtTwilio(owned.sid)).toBe(true);

    const [pending] = await f.world.numbers.createPending([{ lifecycle: 'standby', areaCode: '303' }]);
    const running = await release(pending.id).expect(409);
    expect(running.body.details).toMatchObject({ code: 'number_in_use', status: 'pending' });
    expect(await f.world.numbers.findById(pending.id)).toMatchObject({ status: 'pending' });
  });

  it('Twilio refusing the release leaves the number as it was (503) and a later release goes through', async () => {
    const standby = await boughtStandby();
    f.t.sim.injectFault('numbers.release', { status: 400, code: 20001, message: 'Refused' });

    const refused = await release(standby.id).expect(503);
    expect(refused.body.details).toMatchObject({ code: 'dependency_unavailable', number_inventory_id: standby.id, twilio_code: 20001 });
    expect(await f.world.numbers.findById(standby.id)).toMatchObject({ status: 'ready' });
    expect(ownedAtTwilio(standby.sid)).toBe(true);

    await release(standby.id).expect(200);
    expect(ownedAtTwilio(standby.sid)).toBe(false);
  });

  it('an unknown id is 404 and the route needs the API key', async () => {
    const missing = await request(f.t.url).post('/numbers/00000000-0000-4000-8000-000000000000/release').set(f.t.auth).expect(404);
    expect(missing.body.details).toMatchObject({ code: 'not_found', entity: 'number' });
    await request(f.t.url).post('/numbers/00000000-0000-4000-8000-000000000000/release').expect(401);
  });
});

describe('retiring numbers in Proxy mode with an A2P Messaging Service', () => {
  const messagingServiceSid = 'MG' + '7'.repeat(32);
  const f = useRelayApp({ env: { RELAY_MODE: 'proxy', TWILIO_MESSAGING_SERVICE_SID: messagingServiceSid } });

  it('takes the number out of the Proxy service, then the Messaging Service, then deletes it', async () => {
    const res = await request(f.t.url).post('/numbers/purchase').set(f.t.auth).send({ lifecycle: 'standby', area_code: '303' }).expect(202);
    const ready = await waitForSettled(f.t, res.body.number_inventory_id);
    expect(f.t.sim.proxy.numbers.find((n) => n.sid === ready.twilio_sid)).toMatchObject({ isReserved: true });
    expect(f.t.sim.messaging.numbers.some((n) => n.sid === ready.twilio_sid)).toBe(true);

    await request(f.t.url).post(`/numbers/${ready.number_inventory_id}/release`).set(f.t.auth).expect(200);
    expect(f.t.sim.proxy.numbers.some((n) => n.sid === ready.twilio_sid)).toBe(false);
    expect(f.t.sim.messaging.numbers.some((n) => n.sid === ready.twilio_sid)).toBe(false);
    expect(f.t.sim.ownedNumbers.some((n) => n.sid === ready.twilio_sid)).toBe(false);
    const deletes = f.t.sim.restCalls.filter((c) => c.method === 'DELETE' && c.path.includes(ready.twilio_sid)).map((c) => c.product);
    expect(deletes).toEqual(['proxy', 'messaging', 'api']);
  });
});
