import { airtableSpecFixture, TEST_BASE_ID } from '../../testing/airtable-test-store';
import { LoggedRequest } from '../../testing/fake-airtable-server';

jest.setTimeout(60_000);

async function waitFor(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const writesTo = (table: string) => (r: LoggedRequest) => r.table === table && ['create', 'update', 'upsert'].includes(r.kind);

describe('Airtable write-behind queue', () => {
  const at = airtableSpecFixture();

  it('does not call Airtable while recording: a record() answers with the base down', async () => {
    const { ports } = await at.open();
    at.fake.setDown(true);
    const started = Date.now();
    await ports.audit.record({ eventType: 'alert_sent', category: 'alerts' });
    await ports.messages.record({ direction: 'alert', from: '+13035550100', to: '+13035550101', body: 'hi', status: 'queued' });
    // had it waited on Airtable, retries against the 503s would take seconds
    expect(Date.now() - started).toBeLessThan(1000);
    expect(at.fake.requests.filter((r) => r.table === 'Audit Log' || r.table === 'Messages')).toHaveLength(0);
    at.fake.setDown(false);
  });

  it('keeps every write through an outage and lands each exactly once when Airtable is back', async () => {
    const { ports } = await at.open();
    at.fake.setDown(true);
    await Promise.all(Array.from({ length: 50 }, (_, i) => ports.audit.record({ eventType: 'outage_test', category: 'test', details: { i } })));
    // the worker tries (and fails) while the base answers 503
    await waitFor(() => at.fake.requests.filter(writesTo('Audit Log')).length >= 2);
    expect(at.fake.requests.filter(writesTo('Audit Log')).every((r) => r.status === 503)).toBe(true);

    at.fake.setDown(false);
    await ports.flush!();

    const landed = at.fake.records(TEST_BASE_ID, 'Audit Log');
    expect(landed).toHaveLength(50);
    const indexes = landed.map((r) => JSON.parse(String(r.fields['Details'])).i).sort((a, b) => a - b);
    expect(indexes).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(new Set(landed.map((r) => r.fields['Event ID'])).size).toBe(50);
  });

  it('lands 25 queued writes in at most 3 requests of at most 10 records', async () => {
    const { ports } = await at.open();
    await Promise.all(Array.from({ length: 25 }, (_, i) => ports.audit.record({ eventType: 'batch_test', category: 'test', details: { i } })));
    await ports.flush!();

    const writes = at.fake.requests.filter(writesTo('Audit Log'));
    expect(writes.length).toBeLessThanOrEqual(3);
    expect(Math.max(...writes.map((w) => w.records ?? 0))).toBeLessThanOrEqual(10);
    expect(writes.reduce((n, w) => n + (w.records ?? 0), 0)).toBe(25);
    expect(at.fake.records(TEST_BASE_ID, 'Audit Log')).toHaveLength(25);
  });

  it('a write whose answer was lost (Airtable committed, then 500) is retried onto the same record', async () => {
    const { ports } = await at.open();
    at.fake.failNext(1, 500, { afterWrite: true, match: writesTo('Audit Log') });
    await ports.audit.record({ eventType: 'lost_answer', category: 'test' });
    await ports.flush!();

    const writes = at.fake.requests.filter(writesTo('Audit Log'));
    expect(writes.map((w) => w.status)).toEqual([500, 200]);
    expect(at.fake.records(TEST_BASE_ID, 'Audit Log')).toHaveLength(1);
  });

  it('a delivery status that overtakes its message waits for it instead of being dropped', async () => {
    const { ports } = await at.open();
    at.fake.failNext(2, 503, { match: writesTo('Messages') });
    await ports.messages.record({ direction: 'client_to_sitter', from: '+13035550100', to: '+13035550101', body: 'hi', twilioSid: 'SM1', status: 'queued' });
    await ports.messages.updateStatus('SM1', 'delivered', null);
    await ports.messages.updateStatus('SM1', 'sent', null); // late and out of order: must not undo "delivered"
    await ports.flush!();

    expect(await ports.messages.findByTwilioSid('SM1')).toMatchObject({ status: 'delivered', body: 'hi' });
    expect(at.fake.records(TEST_BASE_ID, 'Messages')).toHaveLength(1);
  });
});
