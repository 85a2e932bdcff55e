import { literal } from '../src/airtable/airtable-formula';
import { compileFormula, FormulaError } from './fake-airtable-formula';
import { FakeAirtableServer } from './fake-airtable-server';

const BASE = 'appFakeSpecBase001';
const TABLES = [
  {
    name: 'People',
    fields: [
      { name: 'Name', type: 'singleLineText' },
      { name: 'Phone', type: 'singleLineText' },
      { name: 'Seen At', type: 'dateTime' },
      { name: 'Kind', type: 'singleSelect', options: ['A', 'B'] },
      { name: 'Odd}Name', type: 'singleLineText' },
    ],
  },
];

describe('FakeAirtableServer', () => {
  let fake: FakeAirtableServer;

  beforeAll(async () => {
    fake = await new FakeAirtableServer({ tables: TABLES, penaltyMs: 300, requestsPerSecond: 1000 }).start();
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.reset();
    fake.requestsPerSecond = 1000;
  });

  const call = async (method: string, path: string, body?: unknown, token = fake.token) => {
    const res = await fetch(`${fake.baseUrl}/v0/${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const people = (rows: Record<string, unknown>[]) => fake.seed(BASE, 'People', rows);
  const list = (formula: string) => call('GET', `${BASE}/People?filterByFormula=${encodeURIComponent(formula)}`);

  it('refuses a missing or wrong token', async () => {
    expect((await call('GET', `${BASE}/People`, undefined, 'nope')).status).toBe(401);
    expect(fake.requests).toHaveLength(0);
  });

  it('creates up to 10 records per request and refuses 11 with 422 INVALID_RECORDS', async () => {
    const ten = Array.from({ length: 10 }, (_, i) => ({ fields: { Name: `n${i}` } }));
    const ok = await call('POST', `${BASE}/People`, { records: ten });
    expect(ok.status).toBe(200);
    expect(ok.body.records).toHaveLength(10);
    expect(ok.body.records[0].id).toMatch(/^rec[A-Za-z0-9]{14}$/);
    expect(typeof ok.body.records[0].createdTime).toBe('string');

    const eleven = await call('POST', `${BASE}/People`, { records: [...ten, { fields: { Name: 'x' } }] });
    expect(eleven.status).toBe(422);
    expect(eleven.body.error.type).toBe('INVALID_RECORDS');
    expect(fake.records(BASE, 'People')).toHaveLength(10);
  });

  it('refuses unknown fields and, without typecast, unknown select options', async () => {
    expect((await call('POST', `${BASE}/People`, { records: [{ fields: { Nope: 1 } }] })).body.error.type).toBe('UNKNOWN_FIELD_NAME');
    expect((await call('POST', `${BASE}/People`, { records: [{ fields: { Kind: 'C' } }] })).status).toBe(422);
    expect((await call('POST', `${BASE}/People`, { records: [{ fields: { Kind: 'C' } }], typecast: true })).status).toBe(200);
  });

  it('filters with escaped strings, AND/OR/NOT, BLANK and dates', async () => {
    people([
      { Name: `O'Brien "Bob"`, Phone: '+1', 'Seen At': '2024-01-01T00:00:00.000Z' },
      { Name: 'back\\slash', Phone: '+2', 'Seen At': '2024-03-01T00:00:00.000Z' },
      { Name: 'Plain' },
    ]);
    const names = async (formula: string) => (await list(formula)).body.records.map((r: any) => r.fields.Name).sort();

    expect(await names(`{Name} = ${literal(`O'Brien "Bob"`)}`)).toEqual([`O'Brien "Bob"`]);
    expect(await names(`{Name} = ${literal('back\\slash')}`)).toEqual(['back\\slash']);
    expect(await names(`{Name} = ${literal(`'}, TRUE(), {`)}`)).toEqual([]);
    expect(await names(`OR({Phone} = '+1', {Phone} = '+2')`)).toHaveLength(2);
    expect(await names(`AND({Phone} = '+1', NOT({Name} = 'Plain'))`)).toEqual([`O'Brien "Bob"`]);
    expect(await names(`{Phone} = BLANK()`)).toEqual(['Plain']);
    expect(await names(`IS_BEFORE({Seen At}, DATETIME_PARSE('2024-02-01T00:00:00.000Z'))`)).toEqual([`O'Brien "Bob"`]);
    expect(await names(`IS_AFTER({Seen At}, DATETIME_PARSE('2024-02-01T00:00:00.000Z'))`)).toEqual(['back\\slash']);
    expect(await names(`{Odd\\}Name} = BLANK()`)).toHaveLength(3);
  });

  it('refuses formulas outside the supported subset with 422 INVALID_FILTER_BY_FORMULA', async () => {
    for (const formula of [`SEARCH('a', {Name})`, `{Name} = 'unterminated`, `{Missing} = 'x'`, `{Name} = 'a' 'b'`, `FIND('x')`]) {
      const res = await list(formula);
      expect(res.status).toBe(422);
      expect(res.body.error.type).toBe('INVALID_FILTER_BY_FORMULA');
    }
    expect(() => compileFormula('AND(')).toThrow(FormulaError);
  });

  it('pages by 100 with offsets, honours maxRecords, sort and fields[] (GET and POST listRecords)', async () => {
    people(Array.from({ length: 250 }, (_, i) => ({ Name: `n${String(i).padStart(3, '0')}`, Phone: `${i % 2}` })));
    const first = await call('GET', `${BASE}/People?sort%5B0%5D%5Bfield%5D=Name&sort%5B0%5D%5Bdirection%5D=desc&fields%5B%5D=Name`);
    expect(first.body.records).toHaveLength(100);
    expect(first.body.records[0].fields).toEqual({ Name: 'n249' });
    const second = await call('POST', `${BASE}/People/listRecords`, { sort: [{ field: 'Name', direction: 'desc' }], offset: first.body.offset });
    expect(second.body.records[0].fields.Name).toBe('n149');
    const third = await call('POST', `${BASE}/People/listRecords`, { sort: [{ field: 'Name', direction: 'desc' }], offset: second.body.offset });
    expect(third.body.records).toHaveLength(50);
    expect(third.body.offset).toBeUndefined();

    const limited = await call('POST', `${BASE}/People/listRecords`, { filterByFormula: `{Phone} = '1'`, maxRecords: 7, pageSize: 5 });
    expect(limited.body.records).toHaveLength(5);
    const rest = await call('POST', `${BASE}/People/listRecords`, { filterByFormula: `{Phone} = '1'`, maxRecords: 7, pageSize: 5, offset: limited.body.offset });
    expect(rest.body.records).toHaveLength(2);
    expect((await call('GET', `${BASE}/People?pageSize=101`)).status).toBe(422);
  });

  it('upserts on fieldsToMergeOn and refuses when more than one record matches', async () => {
    const upsert = (records: unknown[]) => call('PATCH', `${BASE}/People`, { performUpsert: { fieldsToMergeOn: ['Phone'] }, records });
    const created = await upsert([{ fields: { Phone: '+1', Name: 'a' } }]);
    expect(created.body.createdRecords).toHaveLength(1);
    const updated = await upsert([{ fields: { Phone: '+1', Name: 'b' } }]);
    expect(updated.body.updatedRecords).toEqual(created.body.createdRecords);
    expect(fake.records(BASE, 'People').map((r) => r.fields.Name)).toEqual(['b']);

    people([{ Phone: '+1', Name: 'dup' }]);
    const twice = await upsert([{ fields: { Phone: '+1', Name: 'c' } }]);
    expect(twice.status).toBe(422);
    expect(fake.records(BASE, 'People').map((r) => r.fields.Name).sort()).toEqual(['b', 'dup']);
  });

  it('updates and deletes by id; an unknown id is ROW_DOES_NOT_EXIST / 404', async () => {
    const [rec] = people([{ Name: 'a' }]);
    expect((await call('PATCH', `${BASE}/People`, { records: [{ id: rec.id, fields: { Name: 'b', Phone: null } }] })).body.records[0].fields).toEqual({ Name: 'b' });
    expect((await call('PATCH', `${BASE}/People`, { records: [{ id: 'recAAAAAAAAAAAAAA', fields: {} }] })).body.error.type).toBe('ROW_DOES_NOT_EXIST');
    expect((await call('GET', `${BASE}/People/recAAAAAAAAAAAAAA`)).status).toBe(404);
    expect((await call('DELETE', `${BASE}/People?records%5B%5D=${rec.id}`)).body.records).toEqual([{ id: rec.id, deleted: true }]);
    expect(fake.records(BASE, 'People')).toHaveLength(0);
  });

  it('answers 429 RATE_LIMIT_REACHED past 5 requests/s and keeps answering 429 for the penalty window', async () => {
    fake.requestsPerSecond = 5;
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push((await call('GET', `${BASE}/People`)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const limited = await call('GET', `${BASE}/People`);
    expect(limited.body).toEqual({ errors: [{ error: 'RATE_LIMIT_REACHED', message: expect.any(String) }] });
    await new Promise((r) => setTimeout(r, 1100));
    expect((await call('GET', `${BASE}/People`)).status).toBe(200);
    expect(fake.rateLimited).toBe(3);
    expect(fake.maxRequestsInWindow(1000, (r) => r.status === 200)).toBe(5);
  });

  it('injects faults: failNext (before or after the write), setDown, and a forced 429 that starts the penalty', async () => {
    fake.failNext(1, 500);
    expect((await call('POST', `${BASE}/People`, { records: [{ fields: { Name: 'lost' } }] })).status).toBe(500);
    fake.failNext(1, 504, { afterWrite: true });
    expect((await call('POST', `${BASE}/People`, { records: [{ fields: { Name: 'landed' } }] })).status).toBe(504);
    expect(fake.records(BASE, 'People').map((r) => r.fields.Name)).toEqual(['landed']);

    fake.setDown(true);
    expect((await call('GET', `${BASE}/People`)).status).toBe(503);
    fake.setDown(false);
    fake.failNext(1, 429);
    expect((await call('GET', `${BASE}/People`)).status).toBe(429);
    expect((await call('GET', `${BASE}/People`)).status).toBe(429);
    await new Promise((r) => setTimeout(r, 350));
    expect((await call('GET', `${BASE}/People`)).status).toBe(200);
  });

  it('lists tables and fields in the meta API, or answers a configured status', async () => {
    const meta = await call('GET', `meta/bases/${BASE}/tables`);
    expect(meta.body.tables.map((t: any) => t.name)).toEqual(['People']);
    expect(meta.body.tables[0].fields.map((f: any) => f.name)).toContain('Seen At');
    fake.metaStatus = 403;
    expect((await call('GET', `meta/bases/${BASE}/tables`)).status).toBe(403);
  });

  describe('meta API: create table and create field', () => {
    const DATE_TIME = { dateFormat: { name: 'iso' }, timeFormat: { name: '24hour' }, timeZone: 'utc' };
    const peopleId = async () => (await call('GET', `meta/bases/${BASE}/tables`)).body.tables.find((t: any) => t.name === 'People').id;
    const createField = async (field: unknown) => call('POST', `meta/bases/${BASE}/tables/${await peopleId()}/fields`, field);

    it('creates a table (first field primary) and a field, which the meta and records APIs then serve', async () => {
      const table = await call('POST', `meta/bases/${BASE}/tables`, {
        name: 'Visits',
        fields: [
          { name: 'Key', type: 'singleLineText' },
          { name: 'At', type: 'dateTime', options: DATE_TIME },
          { name: 'Kind', type: 'singleSelect', options: { choices: [{ name: 'Walk' }] } },
        ],
      });
      expect(table.status).toBe(200);
      expect(table.body.id).toMatch(/^tbl[A-Za-z0-9]{14}$/);
      expect(table.body.primaryFieldId).toBe(table.body.fields[0].id);
      expect(table.body.fields[2]).toMatchObject({ name: 'Kind', type: 'singleSelect', options: { choices: [{ name: 'Walk' }] } });

      const field = await createField({ name: 'Notes', type: 'multilineText' });
      expect(field.status).toBe(200);
      expect(field.body).toEqual({ id: expect.stringMatching(/^fld/), name: 'Notes', type: 'multilineText' });

      expect(fake.schemaOf(BASE).map((t) => t.name)).toEqual(['People', 'Visits']);
      expect((await call('POST', `${BASE}/Visits`, { records: [{ fields: { Key: 'k', At: '2024-01-01T00:00:00Z', Kind: 'Walk' } }] })).status).toBe(200);
      expect((await call('POST', `${BASE}/People`, { records: [{ fields: { Notes: 'two\nlines' } }] })).status).toBe(200);
      expect(fake.requests.map((r) => r.kind)).toEqual(['createTable', 'meta', 'createField', 'create', 'create']);
    });

    it('refuses with 422 an unknown or computed type, a name taken in any letter case, and missing type options', async () => {
      const refusals = [
        [{ name: 'X', type: 'fancyText' }, 'INVALID_FIELD_TYPE'],
        [{ name: 'X', type: 'formula', options: { formula: '1' } }, 'INVALID_FIELD_TYPE'],
        [{ name: 'phone', type: 'singleLineText' }, 'DUPLICATE_OR_EMPTY_FIELD_NAME'],
        [{ name: ' ', type: 'singleLineText' }, 'DUPLICATE_OR_EMPTY_FIELD_NAME'],
        [{ name: 'X', type: 'singleSelect' }, 'INVALID_FIELD_TYPE_OPTIONS'],
        [{ name: 'X', type: 'dateTime', options: { dateFormat: { name: 'iso' }, timeFormat: { name: '24hour' } } }, 'INVALID_FIELD_TYPE_OPTIONS'],
        [{ name: 'X', type: 'date' }, 'INVALID_FIELD_TYPE_OPTIONS'],
      ] as const;
      for (const [field, type] of refusals) {
        const res = await createField(field);
        expect([JSON.stringify(field), res.status, res.body.error.type]).toEqual([JSON.stringify(field), 422, type]);
      }
      const duplicateTable = await call('POST', `meta/bases/${BASE}/tables`, { name: 'people', fields: [{ name: 'Name', type: 'singleLineText' }] });
      expect([duplicateTable.status, duplicateTable.body.error.type]).toEqual([422, 'DUPLICATE_TABLE_NAME']);
      expect((await call('POST', `meta/bases/${BASE}/tables`, { name: 'Empty', fields: [] })).status).toBe(422);
      const twice = await call('POST', `meta/bases/${BASE}/tables`, { name: 'T', fields: [{ name: 'A', type: 'singleLineText' }, { name: 'a', type: 'email' }] });
      expect(twice.body.error.type).toBe('DUPLICATE_OR_EMPTY_FIELD_NAME');
      expect((await call('POST', `meta/bases/${BASE}/tables/tblAAAAAAAAAAAAAA/fields`, { name: 'X', type: 'email' })).status).toBe(404);
      expect(fake.schemaOf(BASE).map((t) => [t.name, t.fields.length])).toEqual([['People', 5]]);
    });

    it('answers schema writes 403 INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND while schemaWritesRefused, as for a token without schema.bases:write', async () => {
      fake.schemaWritesRefused = true;
      const field = await createField({ name: 'Notes', type: 'multilineText' });
      expect([field.status, field.body.error.type]).toEqual([403, 'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND']);
      expect((await call('POST', `meta/bases/${BASE}/tables`, { name: 'V', fields: [{ name: 'K', type: 'singleLineText' }] })).status).toBe(403);
      expect(fake.schemaOf(BASE)).toHaveLength(1);
      expect(fake.schemaOf(BASE)[0].fields.map((f) => f.name)).not.toContain('Notes');
    });
  });
});
