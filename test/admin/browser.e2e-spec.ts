import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import request from 'supertest';
import { JobName, JobQueue, queuesInUse } from '@maskline/jobs';
import { startTestApp, TEST_ADMIN, TEST_API_KEY, TestApp } from '../support/test-app';

jest.setTimeout(90_000);

// Debian's Chromium (.ci/run installs it with apt-get): Playwright's own browser download cannot run here.
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts', 'browser');
const WAIT_MS = 20_000;

/**
 * The ops surfaces in a real browser: Swagger UI, the dashboard (live
 * figures, chart, phone layout, a form action) and Bull Board. A missing
 * Chromium fails these tests; it never skips them.
 */
describe('ops surfaces in Chromium (Playwright)', () => {
  let t: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does this)`);
    mkdirSync(ARTIFACTS, { recursive: true });
    [t, browser] = await Promise.all([
      startTestApp(),
      chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
      }),
    ]);
  });
  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
    await browser?.close();
    await t?.close();
  });

  async function open(path: string, opts: { admin?: boolean; width?: number } = {}): Promise<{ page: Page; status: number | undefined }> {
    const context = await browser.newContext({
      viewport: { width: opts.width ?? 1200, height: 900 },
      ...(opts.admin && { httpCredentials: { username: TEST_ADMIN.username, password: TEST_ADMIN.password } }),
    });
    contexts.push(context);
    const page = await context.newPage();
    // without a login Chromium ends the navigation on the 401 (ERR_INVALID_AUTH_CREDENTIALS): read the status off the wire
    const [response] = await Promise.all([page.waitForResponse((r) => r.url() === t.url + path), page.goto(t.url + path).catch(() => null)]);
    return { page, status: response.status() };
  }
  const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  const text = (page: Page, field: string) => page.locator(`[data-field="${field}"]`).first().textContent();

  it('/docs: expand a route, authorize with the API key, execute it and see a 2xx', async () => {
    const { page } = await open('/docs');
    await page.locator('button.authorize').first().click();
    const apiKey = page.locator('.auth-container').filter({ hasText: 'api_key' });
    await apiKey.locator('input').fill(TEST_API_KEY);
    await apiKey.locator('button.authorize').click();
    await page.locator('.modal-ux button.btn-done').first().click();

    const route = page.locator('#operations-inventory-InventoryController_health');
    await route.locator('.opblock-summary').first().click();
    await route.getByRole('button', { name: 'Try it out' }).click();
    await route.getByRole('button', { name: 'Execute' }).click();
    const status = route.locator('.live-responses-table tr.response .response-col_status').first();
    await status.waitFor({ timeout: WAIT_MS });
    expect((await status.textContent())?.trim()).toMatch(/^2\d\d/);
    await shot(page, 'docs-executed');
  });

  it('/admin: 401 without the login; with it the live figures change after a purchase without a reload', async () => {
    expect((await open('/admin')).status).toBe(401);

    const { page, status } = await open('/admin', { admin: true });
    expect(status).toBe(200);
    expect(await text(page, 'purchase_cap.used')).toBe('0');
    expect(await text(page, 'numbers.standby.ready')).toBe('0');
    await page.evaluate('window.notReloaded = true');

    const bought = await request(t.url).post('/numbers/purchase').set(t.auth).send({ lifecycle: 'standby', area_code: '303' }).expect(202);
    // locators wait on the condition (the page's CSP forbids the eval a waitForFunction string needs)
    await page.locator('[data-field="purchase_cap.used"]', { hasText: /^1$/ }).waitFor({ timeout: WAIT_MS });
    await page.locator('[data-field="numbers.standby.ready"]', { hasText: /^1$/ }).waitFor({ timeout: WAIT_MS });
    expect(await page.evaluate('window.notReloaded')).toBe(true);
    await page.locator('#recent-table').getByText(bought.body.number_inventory_id).waitFor({ timeout: WAIT_MS });
    await shot(page, 'admin-after-purchase');
  });

  it('/admin: the 30-day chart renders from the hourly samples, with its table fallback', async () => {
    // what the hourly scheduler enqueues when it fires; the page's next poll draws the sample
    await t.app.get(JobQueue).queue(JobName.OpsSample, {});
    const { page } = await open('/admin', { admin: true });
    await page.locator('#history-table tbody tr').first().waitFor({ state: 'attached', timeout: WAIT_MS });
    await page.locator('#chart canvas').waitFor({ timeout: WAIT_MS });
    // page code as a string: the test compiles without the DOM typings
    const painted = (await page.evaluate(`(() => {
      const canvas = document.querySelector('#chart canvas');
      const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let opaque = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) opaque += 1;
      return { width: canvas.width, height: canvas.height, opaque };
    })()`)) as { width: number; height: number; opaque: number };
    expect(painted.width).toBeGreaterThan(0);
    expect(painted.opaque).toBeGreaterThan(0);
    await shot(page, 'admin-chart');
  });

  it('/admin at phone width: one column and no horizontal scroll', async () => {
    const { page } = await open('/admin', { admin: true, width: 375 });
    await page.locator('#chart canvas').waitFor({ timeout: WAIT_MS });
    const layout = (await page.evaluate(`({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      columns: getComputedStyle(document.querySelector('main')).gridTemplateColumns.split(' ').length,
    })`)) as { scrollWidth: number; innerWidth: number; columns: number };
    expect(layout.columns).toBe(1);
    expect(layout.scrollWidth).toBeLessThanOrEqual(layout.innerWidth);
    await shot(page, 'admin-phone');
  });

  it('/admin: the capacity check button posts its form (CSRF token, same origin) and shows the outcome', async () => {
    const { page } = await open('/admin', { admin: true });
    await page.getByRole('button', { name: 'Run the capacity check now' }).click();
    await page.waitForURL(/\/admin\?notice=/, { timeout: WAIT_MS });
    expect(await page.getByRole('status').textContent()).toMatch(/^Capacity check: utilization \d+\.\d%;/);
  });

  it('/admin/queues: Bull Board behind the login, listing every queue', async () => {
    expect((await open('/admin/queues')).status).toBe(401);
    const { page, status } = await open('/admin/queues', { admin: true });
    expect(status).toBe(200);
    const names = queuesInUse(t.config);
    for (const name of names) await page.getByText(name, { exact: true }).first().waitFor({ timeout: WAIT_MS });
    await shot(page, 'bull-board');
  });
});
