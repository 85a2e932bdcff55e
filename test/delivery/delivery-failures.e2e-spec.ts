import request from 'supertest';
import { QueueName } from '@maskline/jobs';
import { phoneFor } from '../relay/support/relay-world';
import { startTestApp, TestApp } from '../support/test-app';
import { waitForSettled } from '../inventory/support/inventory-fixtures';
import { DeliveryWorld, OwnerWebhookReceiver } from './support/delivery-world';

jest.setTimeout(60_000);

/** One app per describe block: the owner window counts every permanent failure of its Redis prefix. */
function useDeliveryApp(env: () => Record<string, string>) {
  const f = {} as { t: TestApp; world: DeliveryWorld };
  beforeAll(async () => {
    f.t = await startTestApp({ env: { DELIVERY_RETRY_DELAY_SECONDS: '1', ...env() } });
    f.world = new DeliveryWorld(f.t);
    await f.world.addPoolNumbers(4);
  });
  afterAll(() => f.t?.close());
  return f;
}

describe('delivery failures: retry once, alert the sitter, statuses only move forward', () => {
  const f = useDeliveryApp(() => ({}));

  it('a 30003 gets exactly one retry after the delay, and the retry failing too alerts the sitter instead of retrying again', async () => {
    const { world, t } = f;
    const { sitter, reserved } = await world.addSitter('Retry Sitter');
    t.sim.setDeliveryOutcome(sitter.phone, { status: 'undelivered', errorCode: 30003 });
    const client = phoneFor('client');
    await world.text({ from: client, to: reserved, body: 'Walk at 5?' });

    const [original] = await world.waitForSent(sitter.phone, 1);
    await world.waitForStatus(original.sid, 'undelivered');
    await t.sim.waitFor(() => world.sentWith('Walk at 5?').length === 2, 15_000);
    const retry = world.sentWith('Walk at 5?')[1];
    // same number, same person, same body, DELIVERY_RETRY_DELAY_SECONDS (1 s here) after the failure
    expect(retry).toMatchObject({ from: original.from, to: sitter.phone, body: original.body });
    expect(retry.dateCreated.getTime() - original.dateUpdated.getTime()).toBeGreaterThanOrEqual(1000);

    await t.sim.waitFor(() => world.alertsTo(sitter.phone).length === 1, 15_000);
    await world.waitForQuiet();
    // the alert failed as well (the handset stays unreachable): an alert never triggers an alert
    await world.waitForStatus(world.alertsTo(sitter.phone)[0].sid, 'undelivered');
    await world.waitForQuiet();
    expect(world.sentWith('Walk at 5?')).toHaveLength(2);
    expect(world.alertsTo(sitter.phone)).toHaveLength(1);
    const alert = world.alertsTo(sitter.phone)[0];
    expect(alert.from).toBe(original.from);
    expect(alert.body).toContain(`Client ...${client.slice(-4)}`);
    expect(alert.body).not.toContain(client.slice(2));

    const delivery = world.queue(QueueName.Delivery);
    expect(await (await delivery.getJob(`retry-${original.sid}`))?.getState()).toBe('completed');
    expect(await delivery.getJob(`retry-${retry.sid}`)).toBeUndefined();

    const listed = (await world.failures().expect(200)).body.failures as Record<string, any>[];
    expect(listed.find((x) => x.message_sid === original.sid)).toMatchObject({
      error_code: '30003',
      meaning: 'Unreachable destination handset',
      action: 'retry',
      retry_state: 'failed',
      retry_message_sid: retry.sid,
      client_label: `Client ...${client.slice(-4)}`,
      direction: 'client_to_sitter',
    });
    expect(listed.find((x) => x.message_sid === retry.sid)).toMatchObject({ action: 'alert_sitter', retry_of: original.sid, retry_state: 'none', client_failures: 1 });
    expect(listed.find((x) => x.message_sid === alert.sid)).toMatchObject({ direction: 'alert', action: 'record' });
    expect((await world.auditEvents('delivery_retry_sent')).filter((e) => e.details.retry_of === original.sid)).toHaveLength(1);
  });

  it('a 30007 alerts the sitter once, naming the client, and is never retried; a failed reply tells the sitter the same way', async () => {
    const { world, t } = f;
    const { sitter, reserved } = await world.addSitter('Filtered Sitter');
    const client = phoneFor('client');
    await world.syncClient({ client_id: `ttp-${client}`, first_name: 'Maya', last_name: 'Lopez', phone: client }).expect(200);
    t.sim.setDeliveryOutcome(sitter.phone, { status: 'undelivered', errorCode: 30007, times: 1 });
    await world.text({ from: client, to: reserved, body: 'Is Rex OK?' });

    const [relayed] = await world.waitForSent(sitter.phone, 1);
    await t.sim.waitFor(() => world.alertsTo(sitter.phone).length === 1, 10_000);
    await world.waitForQuiet();
    const [alert] = world.alertsTo(sitter.phone);
    expect(alert.from).toBe(relayed.from);
    expect(alert.body).toContain('Maya Lopez');
    expect(alert.body).toContain('30007');
    expect(alert.body).not.toContain(client.slice(2));
    expect(world.sentWith('Is Rex OK?')).toHaveLength(1);
    expect(await world.queue(QueueName.Delivery).getJob(`retry-${relayed.sid}`)).toBeUndefined();
    expect(await world.queue(QueueName.Alerts).getJob(`sitter-alert-${relayed.sid}`)).toBeDefined();

    // the sitter's reply to the client is filtered: the sitter hears of it in the same thread
    t.sim.setDeliveryOutcome(client, { status: 'undelivered', errorCode: 30007, times: 1 });
    await world.text({ from: sitter.phone, to: relayed.from, body: 'Rex is fine' });
    await t.sim.waitFor(() => world.alertsTo(sitter.phone).length === 2, 10_000);
    await world.waitForQuiet();
    const replyAlert = world.alertsTo(sitter.phone)[1];
    expect(replyAlert.from).toBe(relayed.from);
    expect(replyAlert.body).toMatch(/your text to Maya Lopez was not delivered/);
    expect(world.sentWith('Rex is fine')).toHaveLength(1);
    expect((await world.failures().expect(200)).body.failures.find((x: any) => x.message_sid === relayed.sid)).toMatchObject({ client_label: 'Maya Lopez', action: 'alert_sitter', retry_state: 'none' });
  });

  it('the same failure callback delivered twice changes nothing the second time (the status marker stops it, not job-id dedup)', async () => {
    const { world, t } = f;
    const { sitter, reserved } = await world.addSitter('Duplicate Sitter');
    t.sim.setDeliveryOutcome(sitter.phone, { status: 'undelivered', errorCode: 30007, times: 1 });
    await world.text({ from: phoneFor('client'), to: reserved, body: 'twice?' });
    const [relayed] = await world.waitForSent(sitter.phone, 1);
    await t.sim.waitFor(() => world.alertsTo(sitter.phone).length === 1, 10_000);
    await world.waitForQuiet();

    // the first policy job is gone, so only the status marker can keep a second one from being queued
    const delivery = world.queue(QueueName.Delivery);
    await (await delivery.getJob(`failure-${relayed.sid}`))!.remove();
    await world.postStatus({ MessageSid: relayed.sid, MessageStatus: 'undelivered', ErrorCode: '30007', To: sitter.phone, From: relayed.from }).expect(204);
    await world.waitForQuiet();

    expect(await delivery.getJob(`failure-${relayed.sid}`)).toBeUndefined();
    expect(world.alertsTo(sitter.phone)).toHaveLength(1);
    expect((await world.auditEvents('delivery_failed')).filter((e) => e.details.message_sid === relayed.sid)).toHaveLength(1);
    expect(await world.messageLog.findByTwilioSid(relayed.sid)).toMatchObject({ status: 'undelivered', errorCode: '30007' });
  });

  it('`sent` after `delivered` leaves `delivered`; a later failure callback neither changes it nor alerts', async () => {
    const { world, t } = f;
    const { sitter, reserved } = await world.addSitter('Ordered Sitter');
    await world.text({ from: phoneFor('client'), to: reserved, body: 'in order' });
    const [relayed] = await world.waitForSent(sitter.phone, 1);
    await world.waitForStatus(relayed.sid, 'delivered');
    await world.eventually(() => world.messageLog.findByTwilioSid(relayed.sid), (m) => m?.status === 'delivered');

    await world.postStatus({ MessageSid: relayed.sid, MessageStatus: 'sent' }).expect(204);
    await world.postStatus({ MessageSid: relayed.sid, MessageStatus: 'undelivered', ErrorCode: '30007' }).expect(204);
    await world.waitForQuiet();
    expect(await world.messageLog.findByTwilioSid(relayed.sid)).toMatchObject({ status: 'delivered', errorCode: null });
    expect(await world.queue(QueueName.Delivery).getJob(`failure-${relayed.sid}`)).toBeUndefined();
    expect(world.alertsTo(sitter.phone)).toHaveLength(0);
    expect(t.sim.messaging.services).toHaveLength(0);
  });

  it('a status callback with a bad signature is refused with 403 and changes nothing', async () => {
    const { world } = f;
    const sid = 'SM' + 'f'.repeat(32);
    const res = await world.postStatus({ MessageSid: sid, MessageStatus: 'failed', ErrorCode: '30007' }, { badSignature: true }).expect(403);
    expect(res.body.success).toBe(false);
    expect(await world.queue(QueueName.Delivery).getJob(`failure-${sid}`)).toBeUndefined();
  });

  it('GET /messages/failures wants the API key and an ISO date in `since`', async () => {
    const { t, world } = f;
    await request(t.url).get('/messages/failures').expect(401);
    const bad = await request(t.url).get('/messages/failures').query({ since: 'yesterday' }).set(t.auth).expect(400);
    expect(JSON.stringify(bad.body)).toContain('since');
    const future = await world.failures(new Date(Date.now() + 3600_000)).expect(200);
    expect(future.body).toMatchObject({ count: 0, failures: [] });
  });

  it('without TWILIO_MESSAGING_SERVICE_SID a purchase makes no Messaging Service call and ends ready', async () => {
    const { t } = f;
    const res = await request(t.url).post('/numbers/purchase').set(t.auth).send({ lifecycle: 'pool', area_code: '303' }).expect(202);
    expect(await waitForSettled(t, res.body.number_inventory_id)).toMatchObject({ status: 'ready' });
    expect(t.sim.messaging).toEqual({ services: [], numbers: [] });
    expect((await f.world.auditEvents('messaging_service_joined')).length).toBe(0);
  });
});

describe('owner alerts: one summary per window, to the webhook (retried) and by SMS', () => {
  const hook = new OwnerWebhookReceiver();
  const ownerPhone = phoneFor('stranger');
  let hookUrl = '';
  beforeAll(async () => {
    hookUrl = await hook.start();
  });
  afterAll(() => hook.stop());
  const f = useDeliveryApp(() => ({ OWNER_ALERT_WEBHOOK_URL: hookUrl, OWNER_PHONE: ownerPhone, OWNER_ALERT_RETRY_SECONDS: '0.05' }));

  it('six permanent failures in the window send exactly one summary (webhook answering 500 twice then 200) and one SMS; a seventh sends none', async () => {
    const { world, t } = f;
    hook.script.push(500, 500);
    const { sitter, reserved } = await world.addSitter('Unlucky Sitter');
    t.sim.setDeliveryOutcome(sitter.phone, { status: 'undelivered', errorCode: 30007 });
    const clients = Array.from({ length: 7 }, () => phoneFor('client'));
    for (const [i, client] of clients.slice(0, 6).entries()) await world.text({ from: client, to: reserved, body: `visit ${i}` });

    await t.sim.waitFor(() => hook.accepted.length === 1 && world.alertsTo(ownerPhone).length === 1, 20_000);
    await world.waitForQuiet();
    expect(hook.received.map((r) => r.status)).toEqual([500, 500, 200]);
    const summary = hook.accepted[0];
    expect(summary).toMatchObject({ type: 'delivery_failures_summary', failures: 6, threshold: 5, window_hours: 24, counts_by_code: [{ error_code: '30007', meaning: 'Message filtered by the carrier', count: 6 }] });
    expect(summary.worst_clients).toHaveLength(5);
    expect(summary.examples).toHaveLength(5);
    for (const client of clients) expect(JSON.stringify(summary)).not.toContain(client.slice(2));
    // the sitter got one alert per failure; those alerts failed too and counted for nothing
    expect(world.alertsTo(sitter.phone)).toHaveLength(6);
    const [ownerSms] = world.alertsTo(ownerPhone);
    expect(ownerSms.body).toMatch(/6 texts failed for good/);

    await world.text({ from: clients[6], to: reserved, body: 'visit 6' });
    await t.sim.waitFor(() => world.alertsTo(sitter.phone).length === 7, 10_000);
    await world.waitForQuiet();
    expect(hook.received).toHaveLength(3);
    expect(world.alertsTo(ownerPhone)).toHaveLength(1);
    expect(await world.auditEvents('owner_alert_raised')).toHaveLength(1);
    expect((await world.auditEvents('owner_alert_sent')).map((e) => e.details.channel).sort()).toEqual(['sms', 'webhook']);
  });
});
