import { NumberRepository } from '@maskline/store';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import request from 'supertest';
import { NO_SESSION_NOTICE } from '../../src/intercept/relay/inbound-relay.service';
import { QueueName } from '@maskline/jobs';
import { SESSION_EXPIRY_SCHEDULER_ID } from '../../src/sessions/session-expiry';
import { startTestApp, TestApp } from '../support/test-app';
import { phoneFor, RelayWorld, useRelayApp } from './support/relay-world';

jest.setTimeout(60_000);

describe('sessions API (Zapier)', () => {
  const f = useRelayApp({ sitter: 'Api Sitter', poolNumbers: 1 });

  it('refuses every sessions route without the API key', async () => {
    await request(f.t.url).post('/sessions').send({ client_id: 'a', sitter_id: 'b' }).expect(401);
    await request(f.t.url).get('/sessions/active-count').expect(401);
    await request(f.t.url).get('/sessions/some-id').expect(401);
    await request(f.t.url).post('/sessions/some-id/close').expect(401);
  });

  it('opens a session ahead of the first text, reuses it, and the first text flows through it', async () => {
    const phone = phoneFor('client');
    const client = (await f.world.syncClient({ client_id: 'ttp-api-1', first_name: 'Dana', last_name: 'Lee', phone }).expect(200)).body;

    const opened = await request(f.t.url).post('/sessions').set(f.t.auth).send({ client_id: client.client_id, sitter_id: f.sitter.sitter.id }).expect(201);
    expect(opened.body).toMatchObject({ success: true, action: 'created', client_id: client.client_id, sitter_id: f.sitter.sitter.id, reserved_number: f.sitter.reserved, status: 'active' });
    const again = await request(f.t.url).post('/sessions').set(f.t.auth).send({ client_id: client.client_id, sitter_id: f.sitter.sitter.id }).expect(200);
    expect(again.body).toMatchObject({ action: 'existing', session_id: opened.body.session_id });

    const shown = await request(f.t.url).get(`/sessions/${opened.body.session_id}`).set(f.t.auth).expect(200);
    expect(shown.body).toMatchObject({ session_id: opened.body.session_id, pool_number: opened.body.pool_number, closed_at: null });

    const count = await request(f.t.url).get('/sessions/active-count').set(f.t.auth).expect(200);
    expect(count.body).toEqual({ active_sessions: 1, total_sessions: 1, timestamp: expect.any(String) });
    expect(Number.isNaN(Date.parse(count.body.timestamp))).toBe(false);

    await f.world.text({ from: phone, to: f.sitter.reserved, body: 'Hello Api Sitter' });
    const [sent] = await f.world.waitForSent(f.sitter.sitter.phone, 1);
    expect(sent).toMatchObject({ from: opened.body.pool_number, body: '[Dana Lee]: Hello Api Sitter' });
  });

  it('answers 404, 422, 409 and 400 as the caller can act on them', async () => {
    const missing = await request(f.t.url).post('/sessions').set(f.t.auth).send({ client_id: '00000000-0000-4000-8000-000000000000', sitter_id: f.sitter.sitter.id }).expect(404);
    expect(missing.body.details).toMatchObject({ code: 'not_found', entity: 'client' });
    const malformed = await request(f.t.url).post('/sessions').set(f.t.auth).send({ client_id: 'x' }).expect(400);
    expect(Object.keys(malformed.body.details.fields)).toEqual(['sitter_id']);
    await request(f.t.url).get('/sessions/00000000-0000-4000-8000-000000000000').set(f.t.auth).expect(404);
    await request(f.t.url).post('/sessions/not-a-session/close').set(f.t.auth).expect(404);

    const { sitter: numberless } = await f.world.sitters.upsertByPhone({ name: 'No Number', phone: phoneFor('sitter') });
    const client = (await f.world.syncClient({ client_id: 'ttp-api-2', first_name: 'Eve', phone: phoneFor('client') }).expect(200)).body;
    const noNumber = await request(f.t.url).post('/sessions').set(f.t.auth).send({ client_id: client.client_id, sitter_id: numberless.id }).expect(422);
    expect(noNumber.body.details.code).toBe('sitter_without_number');

    // the only pool number is already this sitter's: exhausted, a purchase is requested
    const exhausted = await request(f.t.url).post('/sessions').set(f.t.auth).send({ client_id: client.client_id, sitter_id: f.sitter.sitter.id }).expect(409);
    expect(exhausted.body.details).toMatchObject({ code: 'pool_exhausted', purchase_requested: true });
    await f.world.eventually(
      () => f.world.auditEvents('pool_purchase'),
      (events) => events.some((e) => e.details.trigger === 'pool_exhausted'),
    );
  });

  it('closing frees the pool number: the sitter gets the notice, the next client can have it', async () => {
    const count = (await request(f.t.url).get('/sessions/active-count').set(f.t.auth).expect(200)).body.active_sessions;
    const sessionFor = async (ttpId: string) => {
      const client = await f.world.clients.findByTimeToPetId(ttpId);
      return f.world.sessions.findActiveForClientAndSitter(client!.id, f.sitter.sitter.id);
    };
    const session = (await sessionFor('ttp-api-1'))!;
    const closed = await request(f.t.url).post(`/sessions/${session.id}/close`).set(f.t.auth).expect(200);
    expect(closed.body).toMatchObject({ session_id: session.id, status: 'closed', close_reason: 'closed_by_api', closed_at: expect.any(String) });
    const twice = await request(f.t.url).post(`/sessions/${session.id}/close`).set(f.t.auth).expect(200);
    expect(twice.body.closed_at).toBe(closed.body.closed_at);
    expect((await f.world.auditEvents('session_closed')).filter((e) => e.details.session_id === session.id)).toHaveLength(1);
    expect((await request(f.t.url).get('/sessions/active-count').set(f.t.auth)).body.active_sessions).toBe(count - 1);

    await f.world.text({ from: f.sitter.sitter.phone, to: session.poolNumber, body: 'still there?' });
    await f.t.sim.waitFor(() => f.world.sentTo(f.sitter.sitter.phone).some((m) => m.body === NO_SESSION_NOTICE));

    // free again: no active session of this sitter holds it
    expect(await f.world.sessions.findActiveBySitterAndPoolNumber(f.sitter.sitter.id, session.poolNumber)).toBeNull();
    const reopened = await request(f.t.url)
      .post('/sessions')
      .set(f.t.auth)
      .send({ client_id: (await f.world.clients.findByTimeToPetId('ttp-api-2'))!.id, sitter_id: f.sitter.sitter.id })
      .expect(201);
    // the freed number, or the one the earlier exhaustion purchase may have made ready meanwhile
    const readyPool = (await f.t.app.get(NumberRepository).listReadyPool()).map((n) => n.phoneNumber);
    expect(readyPool).toContain(reopened.body.pool_number);
    if (readyPool.length === 1) expect(reopened.body.pool_number).toBe(session.poolNumber);
  });
});

describe('session expiry (the real scheduled sweep, run every 0.6 s)', () => {
  const env = { SESSION_TTL_DAYS: '14', SESSION_EXPIRY_CHECK_EVERY_MINUTES: '0.01' };
  const DAY = 24 * 3600 * 1000;
  let t: TestApp;
  let world: RelayWorld;

  beforeAll(async () => {
    t = await startTestApp({ env });
    world = new RelayWorld(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('closes an idle session, frees its number, and the sitter texting it gets the notice', async () => {
    const { sitter, reserved } = await world.addSitter('Idle Sitter');
    const [onlyPoolNumber] = await world.addPoolNumbers(1);
    const first = phoneFor('client');
    const { client } = await world.clients.findOrCreateByPhone(first, sitter.id);
    // a conversation whose last message was 15 days ago (the store takes "now" from the caller)
    const opened = await world.sessions.openOrGet({ clientId: client.id, sitterId: sitter.id, reservedNumber: reserved, now: new Date(Date.now() - 15 * DAY) });
    if (opened.outcome !== 'created') throw new Error(`expected a new session, got ${opened.outcome}`);
    const session = opened.session;
    expect(session.poolNumber).toBe(onlyPoolNumber);

    // no traffic at all: only the scheduled sweep can close it
    const closed = await world.eventually(
      () => world.sessions.findById(session.id),
      (s) => s?.status === 'closed',
    );
    expect(closed).toMatchObject({ closeReason: 'expired' });
    const audit = (await world.auditEvents('session_closed')).find((e) => e.details.session_id === session.id);
    expect(audit?.details.reason).toBe('expired');

    await world.text({ from: sitter.phone, to: onlyPoolNumber, body: 'anyone?' });
    await t.sim.waitFor(() => world.sentTo(sitter.phone).some((m) => m.body === NO_SESSION_NOTICE && m.from === onlyPoolNumber));
    expect(world.sentTo(first)).toHaveLength(0);

    // the number is free again for this sitter: a new client gets it, no purchase needed
    const second = phoneFor('client');
    await world.text({ from: second, to: reserved, body: 'new client' });
    const received = await world.waitForSent(sitter.phone, 2);
    expect(received.find((m) => m.body.endsWith('new client'))?.from).toBe(onlyPoolNumber);
    expect(t.sim.purchases).toHaveLength(0);
  });

  it('keeps one sweep schedule however many worker processes start', async () => {
    const second = await startTestApp({ env, prefix: t.prefix });
    try {
      const queue = t.app.get<Queue>(getQueueToken(QueueName.SessionExpiry));
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers.filter((s) => s.key === SESSION_EXPIRY_SCHEDULER_ID || s.id === SESSION_EXPIRY_SCHEDULER_ID)).toHaveLength(1);
      expect(schedulers).toHaveLength(1);
    } finally {
      await second.close({ keepRedis: true });
    }
  });
});
