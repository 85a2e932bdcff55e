import { randomUUID } from 'node:crypto';
import { openSqlTestStore, SqlTestStore } from '../../libs/store/src/sql/test/sql-test-store';
import { OpenConversationInput, TwilioOrigin } from './outreach-conversations.port';
import { SqlOutreachConversations } from './sql-outreach-conversations';

const sid = (c: string) => 'CH' + c.repeat(32);

/** The decision steps on an in-memory PGlite migrated from scratch (the e2e specs race them over HTTP on PGlite and PostgreSQL). */
describe('SqlOutreachConversations (PGlite)', () => {
  let store: SqlTestStore;
  let outreach: SqlOutreachConversations;
  beforeAll(async () => {
    store = await openSqlTestStore({ DATA_DIR: 'memory://' });
    outreach = new SqlOutreachConversations(store.database);
  });
  afterAll(() => store?.close());

  const practiceOf = () => ({ tenantId: randomUUID(), practiceId: randomUUID() });
  const input = (key: { tenantId: string; practiceId: string }, coordinator: string, twilioSid: string, origin: TwilioOrigin = 'created'): OpenConversationInput => ({
    ...key,
    coordinatorSaxId: coordinator,
    patientPhone: '+17205550123',
    friendlyName: null,
    createdBy: coordinator,
    twilioSid,
    twilioOrigin: origin,
  });

  it('created → existing (same coordinator) → conflict (another) → archived → reactivated; BIGINT beyond 2^53 kept exactly', async () => {
    const key = practiceOf();
    const big = '9223372036854775807';
    const created = await outreach.open(input(key, big, sid('a')));
    expect(created).toMatchObject({ outcome: 'created', releaseCreated: false, conversation: { coordinatorSaxId: big, createdBy: big, twilioSid: sid('a'), status: 'active' } });

    // the request created sid b, but the row keeps a: b is to be deleted
    expect(await outreach.open(input(key, big, sid('b')))).toMatchObject({ outcome: 'existing', releaseCreated: true, conversation: { id: created.outcome === 'created' && created.conversation.id } });
    expect(await outreach.open(input(key, '2', sid('c')))).toMatchObject({ outcome: 'conflict', releaseCreated: true, holder: { coordinatorSaxId: big } });
    // reused or provided conversations are never released
    expect(await outreach.open(input(key, '2', sid('c'), 'reused'))).toMatchObject({ outcome: 'conflict', releaseCreated: false });
    expect(await outreach.open(input(key, '2', sid('c'), 'provided'))).toMatchObject({ outcome: 'conflict', releaseCreated: false });

    const id = created.outcome === 'created' ? created.conversation.id : '';
    expect(await outreach.archive(id)).toMatchObject({ outcome: 'archived', conversation: { status: 'archived' } });
    expect(await outreach.archive(id)).toMatchObject({ outcome: 'already_archived' });
    expect(await outreach.open(input(key, '2', sid('d')))).toMatchObject({
      outcome: 'reactivated',
      releaseCreated: true,
      conversation: { id, coordinatorSaxId: '2', twilioSid: sid('a'), status: 'active' },
    });
  });

  it('a created conversation another row already uses is not released (a concurrent request reused it through 50416)', async () => {
    const key = practiceOf();
    const shared = sid('e');
    await outreach.open(input(key, '1', shared, 'reused'));
    // the binding's creator loses the race: conflict, but the winner's row uses its conversation
    expect(await outreach.open(input(key, '2', shared, 'created'))).toMatchObject({ outcome: 'conflict', releaseCreated: false });
  });

  it('practices never conflict; closing one row leaves a shared Twilio conversation open, closing the last closes it', async () => {
    const tenantId = randomUUID();
    const shared = sid('f');
    const a = await outreach.open(input({ tenantId, practiceId: randomUUID() }, '1', shared));
    const b = await outreach.open(input({ tenantId, practiceId: randomUUID() }, '2', shared, 'reused'));
    expect([a.outcome, b.outcome]).toEqual(['created', 'created']);
    const idOf = (d: typeof a) => (d.outcome === 'created' ? d.conversation.id : '');

    expect(await outreach.close(idOf(a))).toMatchObject({ closeTwilio: false, conversation: { status: 'closed' } });
    expect(await outreach.isTwilioConversationInUse(shared)).toBe(true);
    expect(await outreach.close(idOf(b))).toMatchObject({ closeTwilio: true });
    expect(await outreach.isTwilioConversationInUse(shared)).toBe(false);
    expect(await outreach.archive(idOf(a))).toMatchObject({ outcome: 'closed' });
  });

  it('a reused conversation only closed rows use is retired: nothing written', async () => {
    const key = practiceOf();
    const first = await outreach.open(input(key, '1', sid('g')));
    await outreach.close(first.outcome === 'created' ? first.conversation.id : '');
    expect(await outreach.open(input(key, '1', sid('g'), 'reused'))).toMatchObject({ outcome: 'retired_twilio_conversation', releaseCreated: false });
    expect((await outreach.list({ tenantId: key.tenantId, status: 'active' }, 10)).conversations).toEqual([]);
  });

  it('lists newest first in keyset pages, filtered; unknown ids are null', async () => {
    const key = practiceOf();
    const ids: string[] = [];
    for (const phone of ['+17205550001', '+17205550002', '+17205550003']) {
      const d = await outreach.open({ ...input(key, '1', sid('h')), patientPhone: phone, twilioOrigin: 'provided' });
      ids.push(d.outcome === 'created' ? d.conversation.id : '');
    }
    const first = await outreach.list({ tenantId: key.tenantId }, 2);
    expect(first.conversations.map((c) => c.id)).toEqual([ids[2], ids[1]]);
    const second = await outreach.list({ tenantId: key.tenantId }, 2, first.nextCursor!);
    expect(second).toEqual({ conversations: [expect.objectContaining({ id: ids[0] })], nextCursor: null });
    expect((await outreach.list({ tenantId: key.tenantId, patientPhone: '+17205550002' }, 10)).conversations.map((c) => c.id)).toEqual([ids[1]]);
    expect((await outreach.list({ tenantId: randomUUID() }, 10)).conversations).toEqual([]);
    expect(await outreach.findById(randomUUID())).toBeNull();
    expect(await outreach.close(randomUUID())).toBeNull();
  });
});
