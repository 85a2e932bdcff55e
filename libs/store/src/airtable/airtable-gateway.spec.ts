import { airtableSpecFixture, TEST_BASE_ID } from '../../testing/airtable-test-store';
import { LoggedRequest } from '../../testing/fake-airtable-server';
import { nextPhone } from '../contract/fixtures';
import { AirtableRequestError, AirtableUnavailableError } from './airtable-errors';

jest.setTimeout(60_000);

const on = (table: string, ...kinds: string[]) => (r: LoggedRequest) => r.table === table && kinds.includes(r.kind);

describe('Airtable gateway retries', () => {
  const at = airtableSpecFixture();

  it('a create whose answer was lost after Airtable committed is redone as a keyed upsert: one record', async () => {
    const { ports } = await at.open();
    const phone = nextPhone();
    at.fake.failNext(1, 500, { afterWrite: true, match: on('Clients', 'create') });

    const { client, created } = await ports.clients.findOrCreateByPhone(phone);

    expect(created).toBe(true);
    expect(at.fake.requests.filter(on('Clients', 'create', 'upsert')).map((r) => [r.kind, r.status])).toEqual([
      ['create', 500],
      ['upsert', 200],
    ]);
    const stored = at.fake.records(TEST_BASE_ID, 'Clients').filter((r) => r.fields['Phone'] === phone);
    expect(stored.map((r) => r.id)).toEqual([client.id]);
  });

  it('a create refused before it landed (503) is redone the same way and lands once', async () => {
    const { ports } = await at.open();
    at.fake.failNext(1, 503, { match: on('Sitters', 'create') });

    const { sitter } = await ports.sitters.upsertByPhone({ name: 'Ada', phone: nextPhone() });

    expect(at.fake.records(TEST_BASE_ID, 'Sitters').map((r) => r.id)).toEqual([sitter.id]);
  });

  it('retries reads after 5xx with backoff, and gives up with AirtableUnavailableError', async () => {
    const { ports } = await at.open();
    at.fake.failNext(2, 502, { match: on('Number Inventory', 'list') });
    await expect(ports.numbers.listRecent(5)).resolves.toEqual([]);
    expect(at.fake.requests.filter(on('Number Inventory', 'list')).map((r) => r.status)).toEqual([502, 502, 200]);

    at.fake.setDown(true);
    await expect(ports.numbers.listRecent(5)).rejects.toBeInstanceOf(AirtableUnavailableError);
    at.fake.setDown(false);
  });

  it('does not retry a request Airtable refused (4xx)', async () => {
    const { ports } = await at.open();
    at.fake.failNext(1, 422, { match: on('Audit Log', 'list') });
    await expect(ports.audit.listRecent(5)).rejects.toBeInstanceOf(AirtableRequestError);
    expect(at.fake.requests.filter(on('Audit Log', 'list'))).toHaveLength(1);
  });

  it('treats an answer slower than AIRTABLE_REQUEST_TIMEOUT_MS as unavailable', async () => {
    const { ports } = await at.open({ AIRTABLE_REQUEST_TIMEOUT_MS: '1000' });
    at.fake.latencyMs = 1500;
    try {
      await expect(ports.sessions.countAll()).rejects.toBeInstanceOf(AirtableUnavailableError);
    } finally {
      at.fake.latencyMs = 0;
    }
  });
});
