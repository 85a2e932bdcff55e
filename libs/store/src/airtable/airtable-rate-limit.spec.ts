import { runAsJob } from '@maskline/jobs';
import { airtableSpecFixture } from '../../testing/airtable-test-store';

jest.setTimeout(60_000);

describe('Airtable request budget shared through Redis', () => {
  const at = airtableSpecFixture({ penaltyMs: 1000 });

  it('two processes hammering reads stay within 5 requests/s at the base and never see a 429 at the default 4/s', async () => {
    const prefix = at.prefix();
    const [a, b] = [await at.open({}, prefix), await at.open({}, prefix)];
    const started = at.fake.requests.length;

    // uncached reads: each one is a request
    const burst = (ports: typeof a.ports) => Array.from({ length: 16 }, (_, i) => ports.audit.listRecent(i + 1));
    await Promise.all([...burst(a.ports), ...burst(b.ports)]);

    const reads = at.fake.requests.slice(started);
    expect(reads).toHaveLength(32);
    expect(at.fake.rateLimited).toBe(0);
    expect(at.fake.maxRequestsInWindow(1000)).toBeLessThanOrEqual(5);
    // 32 requests at 4/s cannot take much less than 7 s
    expect(reads[reads.length - 1].at - reads[0].at).toBeGreaterThanOrEqual(6500);
  });

  it('after a 429 the whole base pauses for the configured time (no request from any process), then the call succeeds', async () => {
    const prefix = at.prefix();
    const pauseMs = 1500;
    const [a, b] = [await at.open({ AIRTABLE_RATE_LIMIT_PAUSE_MS: String(pauseMs) }, prefix), await at.open({ AIRTABLE_RATE_LIMIT_PAUSE_MS: String(pauseMs) }, prefix)];
    const started = at.fake.requests.length;
    at.fake.failNext(1, 429);

    const first = a.ports.audit.listRecent(1);
    await new Promise((r) => setTimeout(r, 300));
    const fromOtherProcess = b.ports.numbers.listRecent(1);
    await expect(Promise.all([first, fromOtherProcess])).resolves.toEqual([[], []]);

    const log = at.fake.requests.slice(started);
    expect(log[0].status).toBe(429);
    expect(log.slice(1).map((r) => r.status)).toEqual([200, 200]);
    // nothing reached the base during the pause
    expect(log[1].at - log[0].at).toBeGreaterThanOrEqual(pauseMs - 20);
    expect(at.fake.rateLimited).toBe(1);
  });

  it('a backlog of jobs does not hold up a request someone waits on: the request takes one of the next slots', async () => {
    const prefix = at.prefix();
    const [worker, api] = [await at.open({}, prefix), await at.open({}, prefix)];
    const started = at.fake.requests.length;
    const background = Array.from({ length: 30 }, (_, i) => runAsJob('test-backlog', () => worker.ports.audit.listRecent(i + 1)));
    const landed = () => at.fake.requests.length - started;
    while (landed() < 3) await new Promise((r) => setTimeout(r, 20));

    await api.ports.numbers.listRecent(1);
    const beforeIt = at.fake.requests.slice(started).findIndex((r) => r.table === 'Number Inventory');

    // at 4/s the backlog alone is 7 s of slots; the request went after at most the horizon's worth of them
    expect(beforeIt).toBeGreaterThanOrEqual(3);
    expect(beforeIt).toBeLessThanOrEqual(3 + 8);
    await Promise.all(background);
    expect(landed()).toBe(31);
    expect(at.fake.rateLimited).toBe(0);
    expect(at.fake.maxRequestsInWindow(1000)).toBeLessThanOrEqual(5);
  });
});
