import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { SIMULATOR_ACCOUNT_SID, SIMULATOR_AUTH_TOKEN, SIMULATOR_OUTREACH_NUMBER } from '@maskline/config';
import { ProcessRoles } from '@maskline/jobs';
import { AuditLog } from '@maskline/store';
import { TelephonyGateway } from '@maskline/telephony';
import { eventually } from '../support/eventually';
import { startTestApp, TestApp } from '../support/test-app';
import { newPractice, openConversation, openConversationsBinding, outreachGet, outreachPost, PATIENT } from './support/outreach-world';

const SENDER = SIMULATOR_OUTREACH_NUMBER;
// a practice with its own sender (OUTREACH_PROXY_NUMBERS)
const OWN_SENDER_PRACTICE = '3c9e1f7a-5b2d-4e8f-9a6c-0d1e2f3a4b5c';
const OWN_SENDER = '+13035550177';

jest.setTimeout(60_000);


describe('outreach conversations over HTTP (embedded store, simulator)', () => {
  let t: TestApp;
  let twilio: TelephonyGateway;

  beforeAll(async () => {
    t = await startTestApp({ env: { OUTREACH_PROXY_NUMBERS: JSON.stringify({ [OWN_SENDER_PRACTICE]: OWN_SENDER }) } });
    twilio = t.app.get(TelephonyGateway);
  });
  afterAll(() => t?.close());
  beforeEach(() => t.sim.reset());

  const rowsOf = async (tenantId: string) => (await outreachGet(t.url, `/outreach/conversations?tenant_id=${tenantId}&limit=200`).expect(200)).body.conversations;

  /** a Twilio conversation made outside the service, with the patient bound through `sender` */
  async function boundElsewhere(phone = PATIENT, sender = SENDER): Promise<string> {
    const { sid } = await twilio.createConversation('made elsewhere');
    await twilio.addSmsParticipant(sid, phone, sender);
    return sid;
  }

  it('new: 201, a Twilio conversation with the patient bound through the outreach sender, BIGINT ids as strings', async () => {
    const practice = newPractice();
    const res = await openConversation(t.url, { ...practice, coordinator_sax_id: '9223372036854775807', patient_phone: PATIENT, friendly_name: 'Jane D.' }).expect(201);

    expect(res.body).toMatchObject({
      success: true,
      ...practice,
      coordinator_sax_id: '9223372036854775807',
      created_by: '9223372036854775807',
      patient_phone: PATIENT,
      friendly_name: 'Jane D.',
      twilio_sid: expect.stringMatching(/^CH[0-9a-f]{32}$/),
      status: 'active',
      action: 'created',
      reactivated: false,
    });
    expect(res.body.conversation_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(t.sim.conversations).toEqual([expect.objectContaining({ sid: res.body.twilio_sid, friendlyName: 'Jane D.', state: 'active' })]);
    expect(t.sim.conversationParticipants).toEqual([expect.objectContaining({ conversationSid: res.body.twilio_sid, address: PATIENT, proxyAddress: SENDER })]);
    expect((await outreachGet(t.url, `/outreach/conversations/${res.body.conversation_id}`).expect(200)).body).toMatchObject({ conversation_id: res.body.conversation_id, status: 'active' });
  });

  it('same coordinator again: 200 existing, the same row, no extra Twilio conversation survives', async () => {
    const body = { ...newPractice(), coordinator_sax_id: 42, patient_phone: PATIENT };
    const first = await openConversation(t.url, body).expect(201);
    const again = await openConversation(t.url, body).expect(200);

    expect(again.body).toMatchObject({ action: 'existing', reactivated: false, conversation_id: first.body.conversation_id, twilio_sid: first.body.twilio_sid });
    expect(t.sim.conversations.map((c) => c.sid)).toEqual([first.body.twilio_sid]);
    expect(await rowsOf(body.tenant_id)).toHaveLength(1);
  });

  it('another coordinator, same practice: 409 naming the owner; the conversation this request created is deleted', async () => {
    const practice = newPractice();
    const first = await openConversation(t.url, { ...practice, coordinator_sax_id: 1, patient_phone: PATIENT }).expect(201);
    const res = await openConversation(t.url, { ...practice, coordinator_sax_id: 2, patient_phone: PATIENT }).expect(409);

    expect(res.body).toEqual({
      success: false,
      error: expect.stringContaining('Coordinator 1'),
      details: { code: 'conversation_held', coordinator_sax_id: '1', conversation_id: first.body.conversation_id },
    });
    expect(t.sim.conversations.map((c) => c.sid)).toEqual([first.body.twilio_sid]);
    expect(await rowsOf(practice.tenant_id)).toHaveLength(1);
  });

  it('another practice, same phone and sender: 201 with its own row on the same Twilio conversation (50416); closing one row keeps it open', async () => {
    const tenant = randomUUID();
    const a = await openConversation(t.url, { tenant_id: tenant, practice_id: randomUUID(), coordinator_sax_id: 1, patient_phone: PATIENT }).expect(201);
    const b = await openConversation(t.url, { tenant_id: tenant, practice_id: randomUUID(), coordinator_sax_id: 2, patient_phone: PATIENT }).expect(201);

    expect(b.body.conversation_id).not.toBe(a.body.conversation_id);
    expect(b.body.twilio_sid).toBe(a.body.twilio_sid);
    expect(t.sim.conversations.map((c) => c.sid)).toEqual([a.body.twilio_sid]);

    await outreachPost(t.url, `/outreach/conversations/${a.body.conversation_id}/close`).expect(200);
    expect(t.sim.conversations[0].state).toBe('active');
    await outreachPost(t.url, `/outreach/conversations/${b.body.conversation_id}/close`).expect(200);
    expect(t.sim.conversations[0].state).toBe('closed');
  });

  it('a practice with its own sender (OUTREACH_PROXY_NUMBERS) gets its own Twilio conversation', async () => {
    const tenant = randomUUID();
    const shared = await openConversation(t.url, { tenant_id: tenant, practice_id: randomUUID(), coordinator_sax_id: 1, patient_phone: PATIENT }).expect(201);
    const own = await openConversation(t.url, { tenant_id: tenant, practice_id: OWN_SENDER_PRACTICE.toUpperCase(), coordinator_sax_id: 1, patient_phone: PATIENT }).expect(201);

    expect(own.body.practice_id).toBe(OWN_SENDER_PRACTICE);
    expect(own.body.twilio_sid).not.toBe(shared.body.twilio_sid);
    expect(t.sim.conversationParticipants.find((p) => p.conversationSid === own.body.twilio_sid)?.proxyAddress).toBe(OWN_SENDER);
  });

  it('archived → reactivated for the requesting coordinator: 200, reactivated true, the old Twilio SID', async () => {
    const practice = newPractice();
    const first = await openConversation(t.url, { ...practice, coordinator_sax_id: 1, patient_phone: PATIENT }).expect(201);
    const archived = await outreachPost(t.url, `/outreach/conversations/${first.body.conversation_id}/archive`).expect(200);
    expect(archived.body.status).toBe('archived');
    expect(t.sim.conversations[0].state).toBe('active');

    const res = await openConversation(t.url, { ...practice, coordinator_sax_id: 7, patient_phone: PATIENT }).expect(200);
    expect(res.body).toMatchObject({ action: 'reactivated', reactivated: true, conversation_id: first.body.conversation_id, coordinator_sax_id: '7', twilio_sid: first.body.twilio_sid, status: 'active' });
    expect(t.sim.conversations.map((c) => c.sid)).toEqual([first.body.twilio_sid]);
  });

  it('closed → a fresh row (201) on a fresh Twilio conversation; the closed one stays closed', async () => {
    const body = { ...newPractice(), coordinator_sax_id: 1, patient_phone: PATIENT };
    const first = await openConversation(t.url, body).expect(201);
    const closed = await outreachPost(t.url, `/outreach/conversations/${first.body.conversation_id}/close`).expect(200);
    expect(closed.body.status).toBe('closed');
    expect(t.sim.conversations[0]).toMatchObject({ sid: first.body.twilio_sid, state: 'closed' });
    // closing again is harmless; archiving a closed one is refused
    await outreachPost(t.url, `/outreach/conversations/${first.body.conversation_id}/close`).expect(200);
    expect((await outreachPost(t.url, `/outreach/conversations/${first.body.conversation_id}/archive`).expect(409)).body.details.code).toBe('conversation_closed');

    const fresh = await openConversation(t.url, body).expect(201);
    expect(fresh.body.conversation_id).not.toBe(first.body.conversation_id);
    expect(fresh.body.twilio_sid).not.toBe(first.body.twilio_sid);
    expect(openConversationsBinding(t.sim, PATIENT)).toEqual([fresh.body.twilio_sid]);
  });

  it('twilio_sid provided: used as it is (nothing created); provided then a conflict: the provided conversation is not deleted', async () => {
    const practice = newPractice();
    const provided = (await twilio.createConversation('caller-owned')).sid;
    const res = await openConversation(t.url, { ...practice, coordinator_sax_id: 1, patient_phone: PATIENT, twilio_sid: provided }).expect(201);
    expect(res.body.twilio_sid).toBe(provided);
    expect(t.sim.conversations.map((c) => c.sid)).toEqual([provided]);

    const other = (await twilio.createConversation('another caller-owned')).sid;
    await openConversation(t.url, { ...practice, coordinator_sax_id: 2, patient_phone: PATIENT, twilio_sid: other }).expect(409);
    expect(t.sim.conversations.map((c) => c.sid)).toEqual([provided, other]);
  });

  it('50416: the conversation already bound to the patient is reused, the one just created deleted, nothing orphaned', async () => {
    const existing = await boundElsewhere();
    const res = await openConversation(t.url, { ...newPractice(), coordinator_sax_id: 1, patient_phone: PATIENT }).expect(201);

    expect(res.body.twilio_sid).toBe(existing);
    expect(t.sim.conversations.map((c) => c.sid)).toEqual([existing]);
  });

  it('Twilio down at create: 503, nothing written, nothing left in Twilio', async () => {
    const practice = newPractice();
    t.sim.injectFault('conversations.create', { status: 503, code: 20503, message: 'Service Unavailable' });
    const res = await openConversation(t.url, { ...practice, coordinator_sax_id: 1, patient_phone: PATIENT }).expect(503);
    expect(res.body.details).toMatchObject({ code: 'twilio_unavailable', twilio_code: 20503 });
    expect(await rowsOf(practice.tenant_id)).toEqual([]);
    expect(t.sim.conversations).toEqual([]);

    // adding the patient fails: the created conversation is deleted before the answer
    t.sim.injectFault('conversations.participants.create', { status: 500, code: 20500 });
    await openConversation(t.url, { ...practice, coordinator_sax_id: 1, patient_phone: PATIENT }).expect(503);
    expect(await rowsOf(practice.tenant_id)).toEqual([]);
    expect(t.sim.conversations).toEqual([]);
  });

  it('a delete Twilio refuses is audited and retried by a queued job until the orphan is gone', async () => {
    const practice = newPractice();
    // coordinator 1 holds the patient with a caller-owned conversation: Twilio has no binding, so coordinator 2's add succeeds
    const provided = (await twilio.createConversation('caller-owned')).sid;
    await openConversation(t.url, { ...practice, coordinator_sax_id: 1, patient_phone: PATIENT, twilio_sid: provided }).expect(201);
    t.sim.injectFault('conversations.delete', { status: 500, code: 20500, times: 2 });

    await openConversation(t.url, { ...practice, coordinator_sax_id: 2, patient_phone: PATIENT }).expect(409);
    const orphan = t.sim.conversations.find((c) => c.sid !== provided)!.sid;
    await t.sim.waitFor((s) => s.conversations.every((c) => c.sid !== orphan), 30_000);

    const audit = t.app.get(AuditLog);
    expect(await audit.listRecent(10, 'outreach.twilio_release_failed')).toEqual([
      expect.objectContaining({ category: 'outreach', severity: 'warning', details: expect.objectContaining({ twilio_sid: orphan, action: 'delete', twilio_code: 20500 }) }),
    ]);
    // the job audits its success just after the delete: wait for that line
    const released = await eventually(async () => {
      const events = await audit.listRecent(10, 'outreach.twilio_released');
      return events.length > 0 ? events : undefined;
    });
    expect(released).toEqual([expect.objectContaining({ details: expect.objectContaining({ twilio_sid: orphan }) })]);
    expect(t.sim.conversations.map((c) => c.sid)).toEqual([provided]);
  });

  it.each([
    ['tenant_id', { tenant_id: 'not-a-uuid' }],
    ['practice_id', { practice_id: '1234' }],
    ['patient_phone', { patient_phone: '303-555-0123' }],
    ['patient_phone', { patient_phone: '+1303555012345678901' + '2' }],
    ['coordinator_sax_id', { coordinator_sax_id: undefined }],
    ['coordinator_sax_id', { coordinator_sax_id: 1.5 }],
    ['coordinator_sax_id', { coordinator_sax_id: -3 }],
    ['coordinator_sax_id', { coordinator_sax_id: '9223372036854775808' }],
    ['coordinator_sax_id', { coordinator_sax_id: 2 ** 53 + 2 }],
    ['created_by', { created_by: 0 }],
    ['twilio_sid', { twilio_sid: 'CH' + '0'.repeat(33) }],
    ['twilio_sid', { twilio_sid: 'MB' + '0'.repeat(32) }],
    ['friendly_name', { friendly_name: 'x'.repeat(256) }],
    ['friendly_name', { friendly_name: 'nul\u0000byte' }],
    ['tenant_id', { tenant_id: { $ne: null } }],
    ['patient_phone', { patient_phone: ['+17205550123'] }],
  ])('invalid %s → 400 naming it; the table and the simulator unchanged', async (field, change) => {
    const practice = newPractice();
    const body = { ...practice, coordinator_sax_id: 1, patient_phone: PATIENT, ...change };
    const res = await openConversation(t.url, body).expect(400);
    expect(res.body.success).toBe(false);
    expect(res.body.details.code).toBe('validation_failed');
    expect(Object.keys(res.body.details.fields)).toEqual([field]);
    expect(t.sim.conversations).toEqual([]);
    expect(await rowsOf(practice.tenant_id)).toEqual([]);
  });

  it('hostile bodies never answer 500 and write nothing', async () => {
    const bodies: unknown[] = [[], [1, 2], 'text', 12, null, {}, { tenant_id: 'x'.repeat(100_000) }, { coordinator_sax_id: 1e308, patient_phone: '\u0000' }, { coordinator_sax_id: '9'.repeat(5000) }];
    for (const body of bodies) {
      const res = await request(t.url).post('/outreach/conversations').set(t.auth).set('content-type', 'application/json').send(JSON.stringify(body));
      expect([400, 413]).toContain(res.status);
      expect(res.body.success).toBe(false);
    }
    const all = await openConversation(t.url, {}).expect(400);
    expect(Object.keys(all.body.details.fields).sort()).toEqual(['coordinator_sax_id', 'patient_phone', 'practice_id', 'tenant_id']);
    expect(t.sim.conversations).toEqual([]);
  });

  it('a form body (Zapier) works like JSON; an Idempotency-Key replays the first answer', async () => {
    const practice = newPractice();
    const form = `tenant_id=${practice.tenant_id}&practice_id=${practice.practice_id}&coordinator_sax_id=12345678901234567&patient_phone=%2B17205550123`;
    const first = await request(t.url).post('/outreach/conversations').set(t.auth).set('Idempotency-Key', `k-${practice.tenant_id}`).type('form').send(form).expect(201);
    expect(first.body.coordinator_sax_id).toBe('12345678901234567');
    const replay = await request(t.url).post('/outreach/conversations').set(t.auth).set('Idempotency-Key', `k-${practice.tenant_id}`).type('form').send(form).expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
    expect(t.sim.conversations).toHaveLength(1);
  });

  it('lists a tenant newest first with filters and cursor pages; unknown or malformed ids are 404; the API key is required', async () => {
    const tenant = randomUUID();
    const practice = randomUUID();
    const phones = ['+17205550101', '+17205550102', '+17205550103'];
    const ids: string[] = [];
    for (const phone of phones) ids.push((await openConversation(t.url, { tenant_id: tenant, practice_id: practice, coordinator_sax_id: 1, patient_phone: phone }).expect(201)).body.conversation_id);
    await outreachPost(t.url, `/outreach/conversations/${ids[0]}/archive`).expect(200);

    const page1 = (await outreachGet(t.url, `/outreach/conversations?tenant_id=${tenant}&limit=2`).expect(200)).body;
    expect(page1.conversations.map((c: { conversation_id: string }) => c.conversation_id)).toEqual([ids[2], ids[1]]);
    const page2 = (await outreachGet(t.url, `/outreach/conversations?tenant_id=${tenant}&limit=2&cursor=${page1.next_cursor}`).expect(200)).body;
    expect(page2).toEqual({ conversations: [expect.objectContaining({ conversation_id: ids[0], status: 'archived' })], next_cursor: null });
    const archived = (await outreachGet(t.url, `/outreach/conversations?tenant_id=${tenant}&practice_id=${practice}&status=archived`).expect(200)).body;
    expect(archived.conversations.map((c: { conversation_id: string }) => c.conversation_id)).toEqual([ids[0]]);
    const byPhone = (await outreachGet(t.url, `/outreach/conversations?tenant_id=${tenant}&patient_phone=%2B17205550102`).expect(200)).body;
    expect(byPhone.conversations.map((c: { conversation_id: string }) => c.conversation_id)).toEqual([ids[1]]);

    for (const query of ['', 'tenant_id=nope', `tenant_id=${tenant}&limit=201`, `tenant_id=${tenant}&limit=0`, `tenant_id=${tenant}&status=open`, `tenant_id=${tenant}&cursor=x`, `tenant_id=${tenant}&tenant_id=${tenant}`]) {
      expect((await outreachGet(t.url, `/outreach/conversations?${query}`)).status).toBe(400);
    }
    for (const id of [randomUUID(), 'not-a-uuid', 'x'.repeat(40)]) {
      await outreachGet(t.url, `/outreach/conversations/${id}`).expect(404);
      await outreachPost(t.url, `/outreach/conversations/${id}/close`).expect(404);
      await outreachPost(t.url, `/outreach/conversations/${id}/archive`).expect(404);
    }
    // a control character in an id is refused by the project's text policy
    await outreachGet(t.url, '/outreach/conversations/%00').expect(400);
    await request(t.url).get(`/outreach/conversations/${ids[0]}`).expect(401);
    await request(t.url).post('/outreach/conversations').send({}).expect(401);
  });

  it('Swagger shows the module with request and answer examples for each status', async () => {
    const doc = (await request(t.url).get('/docs-json').expect(200)).body;
    const post = doc.paths['/outreach/conversations'].post;
    expect(post.tags).toEqual(['outreach']);
    expect(Object.keys(post.requestBody.content['application/json'].examples)).toEqual(expect.arrayContaining(['new', 'provided']));
    for (const status of ['201', '200', '400', '409', '503']) expect(Object.keys(post.responses[status].content['application/json'].examples).length).toBeGreaterThan(0);
    expect(Object.keys(post.responses['200'].content['application/json'].examples)).toEqual(['existing', 'reactivated']);
    expect(doc.paths['/outreach/conversations'].get).toBeDefined();
    for (const path of ['/outreach/conversations/{id}', '/outreach/conversations/{id}/archive', '/outreach/conversations/{id}/close']) expect(doc.paths[path]).toBeDefined();
    const schema = doc.components.schemas.OpenConversationDto;
    expect(schema.required).toEqual(expect.arrayContaining(['tenant_id', 'practice_id', 'coordinator_sax_id', 'patient_phone']));
  });

  it('with a real Twilio account and no sender, outreach answers 503 naming OUTREACH_PROXY_NUMBER and the rest of the service runs', async () => {
    // API role only: this app is here for its HTTP answers
    const real = await startTestApp({ roles: new ProcessRoles(true, false), env: { TWILIO_ACCOUNT_SID: SIMULATOR_ACCOUNT_SID, TWILIO_AUTH_TOKEN: SIMULATOR_AUTH_TOKEN, TWILIO_BASE_URL: t.sim.baseUrl } });
    try {
      const res = await openConversation(real.url, { ...newPractice(), coordinator_sax_id: 1, patient_phone: PATIENT }).expect(503);
      expect(res.body.error).toContain('OUTREACH_PROXY_NUMBER');
      expect(res.body.details).toMatchObject({ code: 'outreach_not_configured', variable: 'OUTREACH_PROXY_NUMBER' });
      await outreachGet(real.url, `/outreach/conversations?tenant_id=${randomUUID()}`).expect(503);
      await request(real.url).get('/health').expect(200);
      expect(t.sim.conversations).toEqual([]);
    } finally {
      await real.close();
    }
  });
});
