import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import request from 'supertest';
import { JobName, JobQueue, QueueName } from '@maskline/jobs';
import { AuditLog, NumberRepository } from '@maskline/store';
import { OPS_SAMPLE_SCHEDULER } from '../../src/admin/ops-samples';
import { waitForSettled } from '../inventory/support/inventory-fixtures';
import { basicAuth, startTestApp, TestApp } from '../support/test-app';

jest.setTimeout(60_000);

/** the dashboard page's CSRF token, as a form of it carries it */
async function csrfToken(t: TestApp): Promise<string> {
  const page = await request(t.url).get('/admin').set('authorization', basicAuth()).expect(200);
  const token = /<meta name="csrf-token" content="([^"]+)">/.exec(page.text)?.[1];
  expect(token).toMatch(/^\d+\.[0-9a-f]{64}$/);
  return token!;
}

describe('ops dashboard /admin (HTTP level; the browser tests are in dashboard.browser.e2e-spec.ts)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  it('needs the admin login; serves the page, its summary JSON and uPlot from node_modules', async () => {
    const denied = await request(t.url).get('/admin').expect(401);
    expect(denied.headers['www-authenticate']).toMatch(/^Basic/);
    await request(t.url).get('/admin').set(t.auth).expect(401);
    await request(t.url).get('/admin/summary.json').expect(401);

    const page = await request(t.url).get('/admin').set('authorization', basicAuth()).expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.text).toContain('data-field="pool.utilization"');
    expect(page.text).toContain('href="/admin/queues"');
    expect(page.text).toContain('<script src="/admin/assets/uplot.js"></script>');

    const summary = await request(t.url).get('/admin/summary.json').set('authorization', basicAuth()).expect(200);
    expect(summary.body).toMatchObject({
      // no ready pool number counts as full (replenish-decision.ts)
      pool: { utilization_rate: 1, threshold_met: true, threshold: t.config.inventory.utilizationThreshold, active_sessions: 0 },
      purchase_cap: { limit: t.config.inventory.maxPurchasesPerDay, used: 0, left: t.config.inventory.maxPurchasesPerDay },
      cooldown: { active: false, until: null },
      held_messages: 0,
      sitters_without_reserved_number: 0,
      delivery_failures_24h: { count: 0, shown: [] },
    });

    // a sitter onboarded without a number shows up at once
    await request(t.url).post('/sitters').set(t.auth).send({ name: 'Nina Newcomer', phone: '+19702009901' }).expect(200);
    const later = await request(t.url).get('/admin/summary.json').set('authorization', basicAuth()).expect(200);
    expect(later.body.sitters_without_reserved_number).toBe(1);

    const uplot = await request(t.url).get('/admin/assets/uplot.js').expect(200);
    expect(uplot.headers['content-type']).toMatch(/javascript/);
    expect(uplot.text).toContain('uPlot');
    await request(t.url).get('/admin/assets/nope.js').expect(404);
  });

  it('escapes what it prints: a notice with markup comes back as text', async () => {
    const page = await request(t.url).get('/admin').query({ notice: '<script>alert(1)</script>', level: 'error' }).set('authorization', basicAuth()).expect(200);
    expect(page.text).not.toContain('<script>alert(1)</script>');
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it("the read-only routes the dashboard links to take the admin login as well as the API key (not the write routes)", async () => {
    await request(t.url).get('/inventory/health').set('authorization', basicAuth()).expect(200);
    await request(t.url).get('/messages/failures').set('authorization', basicAuth()).expect(200);
    await request(t.url).get('/inventory/health').set('authorization', basicAuth('ops', 'wrong-password-000')).expect(401);
    await request(t.url).post('/numbers/purchase').set('authorization', basicAuth()).send({ lifecycle: 'standby', area_code: '303' }).expect(401);
  });

  it('records an hourly sample through a BullMQ job scheduler (one across instances) for the 30-day chart', async () => {
    const queue = t.app.get<Queue>(getQueueToken(QueueName.Ops));
    const [scheduler] = await queue.getJobSchedulers();
    expect(scheduler).toMatchObject({ key: OPS_SAMPLE_SCHEDULER, every: 3600_000 });
    // on the next full hour, not at start-up
    expect(Number(scheduler.next) % 3600_000).toBe(0);
    expect(Number(scheduler.next)).toBeGreaterThan(Date.now());
    // what the scheduler enqueues when it fires
    await t.app.get(JobQueue).queue(JobName.OpsSample, {});
    const deadline = Date.now() + 20_000;
    let history: unknown[] = [];
    while (history.length === 0 && Date.now() < deadline) {
      history = (await request(t.url).get('/admin/summary.json').set('authorization', basicAuth()).expect(200)).body.history;
      if (history.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(history[0]).toMatchObject({ utilization_rate: 1, active_sessions: 0 });
  });

  describe('actions are refused cross-site and change nothing', () => {
    let numberId: string;
    beforeAll(async () => {
      const bought = await request(t.url).post('/numbers/purchase').set(t.auth).send({ lifecycle: 'standby', area_code: '303' }).expect(202);
      numberId = bought.body.number_inventory_id;
      expect((await waitForSettled(t, numberId)).status).toBe('ready');
    });
    const release = () => request(t.url).post(`/admin/actions/numbers/${numberId}/release`).set('authorization', basicAuth()).type('form');
    const statusOf = async () => (await t.app.get(NumberRepository).findById(numberId))!.status;

    it('without a CSRF token: 403', async () => {
      const res = await release().set('origin', t.url).send({}).expect(403);
      expect(res.body).toMatchObject({ success: false, details: { field: 'csrf_token' } });
      expect(await statusOf()).toBe('ready');
    });

    it('with a forged or expired token: 403', async () => {
      await release().set('origin', t.url).send({ csrf_token: `${Date.now()}.${'0'.repeat(64)}` }).expect(403);
      const token = await csrfToken(t);
      const [, signature] = token.split('.');
      await release().set('origin', t.url).send({ csrf_token: `${Date.now() - 13 * 3600_000}.${signature}` }).expect(403);
      expect(await statusOf()).toBe('ready');
    });

    it('from another origin, even with a valid token: 403', async () => {
      const token = await csrfToken(t);
      await release().set('origin', 'https://evil.example').send({ csrf_token: token }).expect(403);
      await release().set('sec-fetch-site', 'cross-site').send({ csrf_token: token }).expect(403);
      await release().set('sec-fetch-site', 'same-site').send({ csrf_token: token }).expect(403);
      expect(await statusOf()).toBe('ready');
    });

    it('without the admin login: 401', async () => {
      const token = await csrfToken(t);
      await request(t.url).post(`/admin/actions/numbers/${numberId}/release`).set(t.auth).type('form').send({ csrf_token: token }).expect(401);
      expect(await statusOf()).toBe('ready');
    });

    it('from the dashboard itself: done, and back to the page with a notice (post/redirect/get)', async () => {
      const token = await csrfToken(t);
      const res = await release().set('origin', t.url).set('sec-fetch-site', 'same-origin').send({ csrf_token: token }).expect(303);
      expect(res.headers.location).toMatch(/^\/admin\?notice=Number\+.+released/);
      expect(await statusOf()).toBe('released');
    });

    it('a refusal the operator can act on comes back as a notice, not a JSON error', async () => {
      const token = await csrfToken(t);
      const res = await request(t.url)
        .post('/admin/actions/numbers/00000000-0000-4000-8000-000000000000/retry')
        .set('authorization', basicAuth())
        .set('origin', t.url)
        .type('form')
        .send({ csrf_token: token })
        .expect(303);
      expect(res.headers.location).toContain('level=error');
    });

    it('the capacity check button runs the check (an empty pool is full: it buys one; a second click buys nothing)', async () => {
      const notice = async () => {
        const token = await csrfToken(t);
        const res = await request(t.url).post('/admin/actions/capacity-check').set('authorization', basicAuth()).set('origin', t.url).type('form').send({ csrf_token: token }).expect(303);
        return new URL(res.headers.location, t.url).searchParams.get('notice');
      };
      expect(await notice()).toBe('Capacity check: utilization 100.0%; buying 1 pool number(s).');
      expect(await notice()).toMatch(/^Capacity check: utilization \d+\.\d%; nothing bought \((below_threshold|pending_exists|cooldown_active)\)\.$/);
      const audit = await t.app.get(AuditLog).listRecent(10, 'pool_purchase');
      expect(audit[0].details).toMatchObject({ trigger: 'dashboard' });
    });
  });
});
