import request from 'supertest';
import { queuesInUse } from '@maskline/jobs';
import { waitForSettled } from '../inventory/support/inventory-fixtures';
import { phoneFor, RelayWorld, SeededSitter } from '../relay/support/relay-world';
import { basicAuth, startTestApp, TestApp } from '../support/test-app';
import { parsePrometheusText, sample } from './support/prometheus-text';

jest.setTimeout(60_000);

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

describe('GET /metrics (Prometheus text)', () => {
  let t: TestApp;
  let world: RelayWorld;
  let anna: SeededSitter;
  const alice = phoneFor('client');

  beforeAll(async () => {
    t = await startTestApp({ env: { METRICS_TOKEN } });
    world = new RelayWorld(t);
    anna = await world.addSitter('Anna Sitter');
    await world.addPoolNumbers(2);
    await world.syncClient({ client_id: 'ttp-alice-metrics', first_name: 'Alice', last_name: 'Smith', phone: alice }).expect(200);
  });
  afterAll(() => t?.close());

  const scrape = async () => {
    const res = await request(t.url).get('/metrics').set('authorization', `Bearer ${METRICS_TOKEN}`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return parsePrometheusText(res.text);
  };

  it('needs METRICS_TOKEN or the admin login; the API key is not enough', async () => {
    await request(t.url).get('/metrics').expect(401);
    await request(t.url).get('/metrics').set(t.auth).expect(401);
    await request(t.url).get('/metrics').set('authorization', 'Bearer not-the-metrics-token-000').expect(401);
    const asAdmin = await request(t.url).get('/metrics').set('authorization', basicAuth()).expect(200);
    expect(parsePrometheusText(asAdmin.text).size).toBeGreaterThan(0);
    await request(t.url).get('/metrics').set('authorization', basicAuth('ops', 'wrong-password-000')).expect(401);
  });

  it('parses as Prometheus text, and its counters move after a relayed message and a purchase', async () => {
    const before = await scrape();

    await world.text({ from: alice, to: anna.reserved, body: 'Hi' });
    await world.waitForSent(anna.sitter.phone, 1);
    const bought = await request(t.url).post('/numbers/purchase').set(t.auth).send({ lifecycle: 'standby', area_code: '303' }).expect(202);
    expect((await waitForSettled(t, bought.body.number_inventory_id)).status).toBe('ready');
    await world.waitForRelayIdle();

    const after = await scrape();
    const relayed = { direction: 'client_to_sitter', outcome: 'sent' };
    expect(sample(after, 'maskline_relayed_messages_total', relayed)).toBe(sample(before, 'maskline_relayed_messages_total', relayed) + 1);
    for (const outcome of ['requested', 'ready']) {
      expect(sample(after, 'maskline_number_purchases_total', { outcome })).toBe(sample(before, 'maskline_number_purchases_total', { outcome }) + 1);
    }
    expect(sample(after, 'maskline_jobs_finished_total', { queue: 'number-purchase', outcome: 'completed' })).toBeGreaterThan(
      sample(before, 'maskline_jobs_finished_total', { queue: 'number-purchase', outcome: 'completed' }),
    );
    expect(sample(after, 'maskline_jobs_finished_total', { queue: 'relay', outcome: 'completed' })).toBeGreaterThan(0);
    // request durations by route template, not by raw URL
    expect(sample(after, 'maskline_http_request_duration_seconds_count', { method: 'POST', route: '/numbers/purchase', status_code: '202' })).toBe(1);
    expect([...after.keys()].some((k) => k.includes(bought.body.number_inventory_id))).toBe(false);
    // every queue's depth, and the pool figures from the cached summary
    for (const queue of queuesInUse(t.config)) expect(after.has(`maskline_queue_jobs{queue="${queue}",state="waiting"}`)).toBe(true);
    expect(sample(after, 'maskline_pool', { figure: 'ready_pool_numbers' })).toBe(2);
    expect(sample(after, 'maskline_pool', { figure: 'threshold' })).toBe(t.config.inventory.utilizationThreshold);
    expect(after.has('maskline_airtable_requests_total{}')).toBe(true);
  });

  it('counts a delivery failure by its code', async () => {
    const before = await scrape();
    t.sim.setDeliveryOutcome(anna.sitter.phone, { status: 'undelivered', errorCode: 30003, times: 1 });
    await world.text({ from: alice, to: anna.reserved, body: 'Are you there?' });
    await world.waitForSent(anna.sitter.phone, 2);
    await world.eventually(scrape, (s) => sample(s, 'maskline_delivery_failures_total', { code: '30003' }) === sample(before, 'maskline_delivery_failures_total', { code: '30003' }) + 1);
  });
});
