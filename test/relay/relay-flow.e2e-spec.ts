import request from 'supertest';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { startTestApp, TestApp } from '../support/test-app';
import { NO_SESSION_NOTICE } from '../../src/intercept/relay/inbound-relay.service';
import { TWILIO_MAX_BODY_LENGTH } from '../../src/intercept/rules/sms-text';
import { phoneFor, RelayWorld, SeededSitter } from './support/relay-world';

jest.setTimeout(60_000);

// One behavioural suite, run over both transports: Programmable Messaging's webhook and a Proxy service's callbacks.
describe.each(['messaging', 'proxy'] as const)('relay (%s mode): masked two-way SMS over the real webhook path', (mode) => {
  let t: TestApp;
  let world: RelayWorld;
  let anna: SeededSitter;
  let ben: SeededSitter;
  let pool: string[];
  const alice = phoneFor('client');

  beforeAll(async () => {
    t = await startTestApp({ env: { RELAY_MODE: mode } });
    world = new RelayWorld(t);
    anna = await world.addSitter('Anna Sitter');
    ben = await world.addSitter('Ben Sitter');
    pool = await world.addPoolNumbers(3);
    await world.syncClient({ client_id: 'ttp-alice', first_name: 'Alice', last_name: 'Smith', phone: alice }).expect(200);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('relays a client text to the sitter from a pool number with the name prefix, and the reply back from the reserved number', async () => {
    const inbound = await world.text({ from: alice, to: anna.reserved, body: 'Hi' });
    if (mode === 'messaging') {
      expect(inbound.status).toBe(200);
      expect(inbound.body).toContain('<Response/>');
    } else {
      // Proxy: the out-of-session answer opened a session, then the intercept blocked the unprefixed text
      expect(inbound.status).toBe(200);
      expect(inbound.contentType).toMatch(/^application\/json/);
      expect(t.sim.proxy.inbound.find((o) => o.messageSid === inbound.messageSid)?.outcome).toBe('auto_created_then_blocked');
    }
    const delivery = t.sim.webhookDeliveries.find((d) => d.params.MessageSid === inbound.messageSid);
    expect(delivery?.status).toBe(200);

    const [toSitter] = await world.waitForSent(anna.sitter.phone, 1);
    expect(toSitter.body).toBe('[Alice Smith]: Hi');
    expect(pool).toContain(toSitter.from);

    await world.text({ from: anna.sitter.phone, to: toSitter.from, body: 'On my way!' });
    const [toClient] = await world.waitForSent(alice, 1);
    expect(toClient).toMatchObject({ from: anna.reserved, body: 'On my way!' });

    const client = await world.clients.findByPhone(alice);
    const session = await world.sessions.findActiveForClientAndSitter(client!.id, anna.sitter.id);
    expect(session).toMatchObject({ poolNumber: toSitter.from, reservedNumber: anna.reserved, status: 'active' });
    const opened = await world.auditEvents('session_opened');
    expect(opened.filter((e) => e.details.session_id === session!.id)).toHaveLength(1);

    // both relayed messages are logged once; in messaging mode with their delivery outcome from the status callbacks
    const finalStatus = { messaging: ['delivered', 'delivered'], proxy: ['forwarded_by_proxy', 'sent'] }[mode];
    const logged = await world.eventually(
      () => world.messageLog.listBySession(session!.id),
      (messages) => messages.length === 2 && messages.map((m) => m.status).sort().join() === [...finalStatus].sort().join(),
    );
    if (mode === 'proxy') {
      // the Proxy message interactions stand in for Twilio message sids
      expect(logged.find((m) => m.direction === 'client_to_sitter')).toMatchObject({ inboundSid: inbound.messageSid, from: toSitter.from, to: anna.sitter.phone, body: '[Alice Smith]: Hi' });
      expect(logged.find((m) => m.direction === 'sitter_to_client')).toMatchObject({ from: anna.reserved, to: alice, body: 'On my way!' });
      return;
    }
    expect(logged.map((m) => m.direction).sort()).toEqual(['client_to_sitter', 'sitter_to_client']);
    expect(logged.find((m) => m.direction === 'client_to_sitter')).toMatchObject({
      inboundSid: inbound.messageSid,
      twilioSid: toSitter.sid,
      from: toSitter.from,
      to: anna.sitter.phone,
      body: '[Alice Smith]: Hi',
      status: 'delivered',
      errorCode: null,
    });
    expect(logged.find((m) => m.direction === 'sitter_to_client')).toMatchObject({ twilioSid: toClient.sid, from: anna.reserved, to: alice, body: 'On my way!' });
  });

  it('gives a second client of the same sitter a different pool number, and lets another sitter reuse the first', async () => {
    const firstPool = world.sentTo(anna.sitter.phone)[0].from;
    const carol = phoneFor('client');
    await world.text({ from: carol, to: anna.reserved, body: 'Hello from Carol' });
    const toAnna = await world.waitForSent(anna.sitter.phone, 2);
    expect(toAnna[1].from).not.toBe(firstPool);
    expect(pool).toContain(toAnna[1].from);
    // unknown name: only the last four digits show
    expect(toAnna[1].body).toBe(`[Client ...${carol.slice(-4)}]: Hello from Carol`);

    await world.text({ from: alice, to: ben.reserved, body: 'Ben, are you free Friday?' });
    const [toBen] = await world.waitForSent(ben.sitter.phone, 1);
    expect(toBen.from).toBe(firstPool);
    expect(toBen.body).toBe('[Alice Smith]: Ben, are you free Friday?');

    // the sitter's reply on that shared number reaches the right client for the right sitter
    await world.text({ from: ben.sitter.phone, to: firstPool, body: 'Yes I am' });
    const toAlice = await world.waitForSent(alice, 2);
    expect(toAlice[1]).toMatchObject({ from: ben.reserved, body: 'Yes I am' });
  });

  it('relays a redelivered MessageSid once', async () => {
    const dave = phoneFor('client');
    const first = await world.text({ from: dave, to: anna.reserved, body: 'Only once please' });
    await world.waitForSent(anna.sitter.phone, 3);
    await world.waitForRelayIdle();
    const again = await world.redeliver(first.messageSid);
    // messaging: 200 again; proxy: the same session JSON (200) and the same block (403)
    expect(again.map((a) => a.status)).toEqual(mode === 'messaging' ? [200] : [200, 403]);
    await new Promise((r) => setTimeout(r, 300));
    await world.waitForRelayIdle();
    expect(world.sentTo(anna.sitter.phone).filter((m) => m.body.endsWith('Only once please'))).toHaveLength(1);
  });

  it('prefixes a hostile client name safely, keeps the SMS within Twilio limits, and breaks no store query', async () => {
    const cara = await world.addSitter('Cara Sitter');
    const phone = phoneFor('client');
    const hostile = `"Robert'); DROP TABLE clients;--" {Name} \\ ${'🐶'.repeat(20)} ${'Ω'.repeat(500)}`;
    const synced = await world.syncClient({ client_id: `ttp-{x}'"\\`, first_name: hostile, last_name: `O'Brien}"`, phone }).expect(200);
    expect(synced.body).toMatchObject({ action: 'created', time_to_pet_id: `ttp-{x}'"\\` });
    const fetched = await request(t.url).get(`/clients/${synced.body.client_id}`).set(t.auth).expect(200);
    expect(fetched.body.name).toBe(`${hostile} O'Brien}"`);

    await world.text({ from: phone, to: cara.reserved, body: 'x'.repeat(1600) });
    const sent = (await world.waitForSent(cara.sitter.phone, 1)).at(-1)!;
    const label = /^\[([^\]]*)\]: /.exec(sent.body)?.[1];
    expect(label).toBeDefined();
    expect(label!.length).toBeLessThanOrEqual(30);
    expect(label).not.toMatch(/🐶/u);
    // long names shorten to first word + last initial
    expect(label).toBe(`"Robert'); O.`);
    expect(sent.body.length).toBeLessThanOrEqual(TWILIO_MAX_BODY_LENGTH);
    expect(sent.body.endsWith('…')).toBe(true);

    // the store still answers every lookup the relay makes for this client
    await world.text({ from: phone, to: cara.reserved, body: 'second' });
    const second = (await world.waitForSent(cara.sitter.phone, 2)).at(-1)!;
    expect(second.body).toBe(`[${label}]: second`);
    expect(second.from).toBe(sent.from);
    expect(await world.clients.findByTimeToPetId(`ttp-{x}'"\\`)).toMatchObject({ phone });
  });

  it('relays MMS media by URL, both ways', async () => {
    const media = ['https://media.example.com/rex-1.jpg', 'https://media.example.com/rex-2.png'];
    await world.text({ from: alice, to: anna.reserved, body: '', mediaUrls: media });
    const toAnna = await world.waitForSent(anna.sitter.phone, 4);
    // Proxy's intercept callback carries no media, so an MMS passes through Proxy unprefixed rather than lose its pictures
    expect(toAnna[3]).toMatchObject({ body: mode === 'messaging' ? '[Alice Smith]:' : '', mediaUrls: media });

    const pic = ['https://media.example.com/walk.jpg'];
    await world.text({ from: anna.sitter.phone, to: toAnna[3].from, body: 'Walk done', mediaUrls: pic });
    const toAlice = await world.waitForSent(alice, 3);
    expect(toAlice[2]).toMatchObject({ from: anna.reserved, body: 'Walk done', mediaUrls: pic });
  });

  it('leaves STOP/START/HELP to Twilio: nothing forwarded, the keyword audited', async () => {
    const before = t.sim.messages.length;
    for (const body of ['STOP', 'start', 'Help']) await world.text({ from: alice, to: anna.reserved, body });
    await world.waitForRelayIdle();
    expect(t.sim.messages.length).toBe(before);
    const keywords = await world.auditEvents('relay_carrier_keyword');
    expect(keywords.map((e) => e.details.keyword).sort()).toEqual(['HELP', 'START', 'STOP']);
  });

  it('audits unknown senders and unknown numbers and forwards nothing', async () => {
    const before = t.sim.messages.length;
    const stranger = phoneFor('stranger');
    await world.text({ from: stranger, to: pool[0], body: 'who is this?' });
    await world.text({ from: stranger, to: await world.addStrayNumber(), body: 'hello?' });
    await world.waitForRelayIdle();
    expect(t.sim.messages.length).toBe(before);
    const unknown = await world.auditEvents('relay_unknown_sender');
    expect(unknown.map((e) => e.details.reason).sort()).toEqual(['unknown_number', 'unknown_sender']);
    for (const event of unknown) {
      expect(JSON.stringify(event)).not.toContain(stranger);
      expect(JSON.stringify(event)).not.toContain('who is this');
    }
  });

  it('tells a sitter who texts a pool number with no active session, and forwards nothing', async () => {
    const unusedByBen = pool.find((p) => !world.sentTo(ben.sitter.phone).some((m) => m.from === p))!;
    const clientsBefore = t.sim.messages.filter((m) => m.from === ben.reserved).length;
    await world.text({ from: ben.sitter.phone, to: unusedByBen, body: 'Anyone there?' });
    await t.sim.waitFor(() => world.sentTo(ben.sitter.phone).some((m) => m.body === NO_SESSION_NOTICE));
    await world.waitForRelayIdle();
    const notice = world.sentTo(ben.sitter.phone).find((m) => m.body === NO_SESSION_NOTICE)!;
    expect(notice.from).toBe(unusedByBen);
    expect(t.sim.messages.filter((m) => m.from === ben.reserved)).toHaveLength(clientsBefore);
  });

  it('refuses a webhook without a valid signature with 403 and relays nothing', async () => {
    if (mode === 'proxy') return; // the Proxy callbacks' own forged-signature test is in proxy-mode.e2e-spec.ts
    const before = t.sim.messages.length;
    const params = { MessageSid: 'SM' + 'b'.repeat(32), From: alice, To: anna.reserved, Body: 'forged', NumMedia: '0' };
    await request(t.url).post('/intercept').type('form').send(params).expect(403);
    await request(t.url).post('/intercept').set('x-twilio-signature', getExpectedTwilioSignature('wrong-token', `${t.url}/intercept`, params)).type('form').send(params).expect(403);
    const signed = getExpectedTwilioSignature(t.config.twilio.authToken, `${t.url}/intercept`, params);
    await request(t.url).post('/intercept').set('x-twilio-signature', signed).type('form').send({ ...params, Body: 'tampered' }).expect(403);
    await new Promise((r) => setTimeout(r, 200));
    await world.waitForRelayIdle();
    expect(t.sim.messages.length).toBe(before);
    expect(await world.relayQueue.getJob(`inbound-${params.MessageSid}`)).toBeUndefined();
  });

  it('answers empty TwiML as text/xml at once, and 400 naming the field for a signed but malformed webhook', async () => {
    if (mode === 'proxy') return; // Proxy's answers are tested in proxy-mode.e2e-spec.ts
    const params = { MessageSid: 'SM' + 'c'.repeat(32), From: phoneFor('stranger'), To: pool[1], Body: 'x' };
    const ok = await request(t.url)
      .post('/intercept')
      .set('x-twilio-signature', getExpectedTwilioSignature(t.config.twilio.authToken, `${t.url}/intercept`, params))
      .type('form')
      .send(params)
      .expect(200);
    expect(ok.headers['content-type']).toMatch(/^text\/xml/);
    expect(ok.text).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');

    const bad = { From: params.From, To: params.To, Body: 'x' };
    const res = await request(t.url)
      .post('/intercept')
      .set('x-twilio-signature', getExpectedTwilioSignature(t.config.twilio.authToken, `${t.url}/intercept`, bad))
      .type('form')
      .send(bad)
      .expect(400);
    expect(Object.keys(res.body.details.fields)).toEqual(['MessageSid']);
    await world.waitForRelayIdle();
  });
});
