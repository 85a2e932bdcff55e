import request from 'supertest';
import { FakeAirtableServer } from '../libs/store/testing/fake-airtable-server';
import { startFakeAirtable, TEST_BASE_ID } from '../libs/store/testing/airtable-test-store';
import { queuesInUse } from '@maskline/jobs';
import { eventually } from './support/eventually';
import { basicAuth, startTestApp, TestApp } from './support/test-app';

// The whole app on STORE_DRIVER=airtable (against the fake Airtable, 5 requests/s
// per base like the real one): what an operator running production sees.
jest.setTimeout(90_000);


describe('the app on the Airtable driver', () => {
  let fake: FakeAirtableServer;
  let t: TestApp;

  beforeAll(async () => {
    fake = await startFakeAirtable();
    t = await startTestApp({
      env: {
        STORE_DRIVER: 'airtable',
        AIRTABLE_API_KEY: fake.token,
        AIRTABLE_BASE_ID: TEST_BASE_ID,
        AIRTABLE_ENDPOINT_URL: fake.baseUrl,
        AIRTABLE_RATE_LIMIT_PAUSE_MS: '400',
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  it('reports the store healthy and lists the write-behind queue in Bull Board', async () => {
    const health = await request(t.url).get('/health').expect(200);
    expect(JSON.stringify(health.body)).toContain('"store"');
    const api = await request(t.url).get('/admin/queues/api/queues').set('authorization', basicAuth()).expect(200);
    const names = (api.body.queues as { name: string }[]).map((q) => q.name);
    expect(names).toEqual(expect.arrayContaining([...queuesInUse(t.config), 'airtable-writes']));
  });

  it('creates a sitter whose id is its Sitters record id', async () => {
    const res = await request(t.url).post('/sitters').set(t.auth).send({ name: 'Anna Walker', phone: '+13035550150', email: 'anna@example.com' }).expect(200);
    expect(res.body.sitter_id).toMatch(/^rec/);
    const rows = fake.records(TEST_BASE_ID, 'Sitters');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: res.body.sitter_id, fields: expect.objectContaining({ Name: 'Anna Walker', Phone: '+13035550150' }) });
  });

  it('buys a pool number: the pending record lands in Number Inventory and the worker makes it ready', async () => {
    const res = await request(t.url).post('/numbers/purchase').set(t.auth).send({ lifecycle: 'pool', area_code: '303', quantity: 1 }).expect(202);
    const id = res.body.number_inventory_id as string;
    expect(id).toMatch(/^rec/);

    const ready = await eventually(async () => {
      const row = fake.records(TEST_BASE_ID, 'Number Inventory').find((r) => r.id === id);
      // Airtable's single-select options are the schema's capitalised labels
      return row?.fields['Status'] === 'Ready' ? row : undefined;
    });
    expect(ready.fields).toMatchObject({ Lifecycle: 'Pool', 'Phone Number': expect.stringMatching(/^\+1303/) });
    expect(t.sim.purchases).toHaveLength(1);
    const shown = await request(t.url).get(`/numbers/${id}`).set(t.auth).expect(200);
    expect(shown.body).toMatchObject({ number_inventory_id: id, status: 'ready', phone_number: ready.fields['Phone Number'] });
  });

  it('keeps outreach conversations in SQL (PGlite here) whatever STORE_DRIVER says', async () => {
    const body = { tenant_id: '7d0f3a52-2c4b-4f7e-9a61-0e8b5c3d2f10', practice_id: '0b6f6c2e-3f0a-4c8e-9d3b-5a1e2f3c4d5e', coordinator_sax_id: 42, patient_phone: '+17205550199' };
    const created = await request(t.url).post('/outreach/conversations').set(t.auth).send(body).expect(201);
    const again = await request(t.url).post('/outreach/conversations').set(t.auth).send(body).expect(200);
    expect(again.body).toMatchObject({ action: 'existing', conversation_id: created.body.conversation_id });
    await request(t.url).get(`/outreach/conversations/${created.body.conversation_id}`).set(t.auth).expect(200);
  });
});
