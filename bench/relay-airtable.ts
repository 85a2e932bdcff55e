/**
 * Airtable cost of the relay: Airtable requests per relayed message in steady
 * state (target below 0.2) and 429s at 20 messages/s (target zero).
 *
 *   npx ts-node --transpile-only -r tsconfig-paths/register bench/relay-airtable.ts
 *   (BENCH_RATE, BENCH_DURATION_S to change the run)
 *
 * The whole service in this process with STORE_DRIVER=airtable against the
 * fake Airtable of libs/store/testing (5 requests/s per base and a 30 s
 * penalty after a breach, like Airtable), the built-in Twilio simulator and
 * Redis under its own prefix. 4 sitters with 5 clients each; every client
 * texts once and every sitter answers once before the measurement, so
 * clients and sessions exist. Then messages arrive at 20/s for 30 s, half
 * client → sitter, half sitter → client, through the simulator's signed
 * webhooks; each relayed SMS also gets its three status callbacks. Every
 * request the fake receives from the first measured message until the
 * write-behind queue is empty again is counted. Loopback only; bounded.
 */
import { AirtableWriteQueue } from '../libs/store/src/airtable/airtable-write-queue';
import { FakeAirtableServer } from '../libs/store/testing/fake-airtable-server';
import { masklineFakeTables } from '../libs/store/testing/maskline-airtable-schema';
import { BenchApp, percentile, seedRelayWorld, startBenchApp, waitUntil } from './support/relay-harness';

const RATE = Number(process.env.BENCH_RATE ?? 20);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 30);
const TARGET_PER_MESSAGE = 0.2;

interface Conversation {
  client: string;
  sitterPhone: string;
  reserved: string;
  poolNumber: string;
}

async function drainWrites(b: BenchApp, fake?: FakeAirtableServer): Promise<void> {
  try {
    await b.app.get(AirtableWriteQueue).drain(120_000);
  } catch (e) {
    if (fake) {
      const kinds: Record<string, number> = {};
      for (const r of fake.requests) kinds[`${r.kind} ${r.table} ${r.status}`] = (kinds[`${r.kind} ${r.table} ${r.status}`] ?? 0) + 1;
      process.stderr.write(JSON.stringify({ kinds, limited: fake.rateLimited }, null, 1) + '\n');
    }
    throw e;
  }
}

async function main(): Promise<void> {
  const fake = await new FakeAirtableServer({ tables: masklineFakeTables(), requestsPerSecond: 5, penaltyMs: 30_000 }).start();
  const b = await startBenchApp('relay-airtable', { STORE_DRIVER: 'airtable', AIRTABLE_API_KEY: fake.token, AIRTABLE_BASE_ID: 'appBenchRelay0001', AIRTABLE_ENDPOINT_URL: fake.baseUrl });
  try {
    const { sitters } = await seedRelayWorld(b, { sitters: 4, clientsPerSitter: 5, poolNumbers: 6 });

    // warm-up: first contacts open sessions; each sitter answers once
    const firsts = sitters.flatMap((s) => s.clients.map((client) => ({ client, sitterPhone: s.phone, reserved: s.reserved })));
    await Promise.all(firsts.map((f) => b.sim.sendInboundSms({ from: f.client, to: f.reserved, body: `warm-up ${f.client}` })));
    await waitUntil(() => b.sim.messages.length >= firsts.length, 120_000);
    const conversations: Conversation[] = firsts.map((f) => ({ ...f, poolNumber: b.sim.messages.find((m) => m.body.endsWith(`warm-up ${f.client}`))!.from }));
    await Promise.all(conversations.map((c) => b.sim.sendInboundSms({ from: c.sitterPhone, to: c.poolNumber, body: 'warm-up reply' })));
    await waitUntil(() => b.sim.messages.length >= conversations.length * 2, 120_000);
    await new Promise((r) => setTimeout(r, 1_000));
    await drainWrites(b);

    const requestsBefore = fake.requests.length;
    const limitedBefore = fake.rateLimited;
    const messagesBefore = b.sim.messages.length;
    const sentAt = new Map<string, number>();
    const total = RATE * DURATION_S;
    const started = Date.now();
    let i = 0;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const c = conversations[i % conversations.length];
        const toSitter = i % 2 === 0;
        const body = `steady #${i}`;
        sentAt.set(body, Date.now());
        void b.sim.sendInboundSms(toSitter ? { from: c.client, to: c.reserved, body } : { from: c.sitterPhone, to: c.poolNumber, body });
        if (++i >= total) {
          clearInterval(timer);
          resolve();
        }
      }, 1000 / RATE);
    });
    const allRelayed = await waitUntil(() => b.sim.messages.length - messagesBefore >= total, 120_000);
    // the last status callbacks, then everything queued for Airtable
    await waitUntil(() => b.sim.messages.slice(messagesBefore).every((m) => m.status === 'delivered'), 30_000);
    await new Promise((r) => setTimeout(r, 500));
    await drainWrites(b, fake);
    const elapsedS = (Date.now() - started) / 1000;

    const measured = fake.requests.slice(requestsBefore);
    const relayed = b.sim.messages.slice(messagesBefore);
    const delays = relayed
      .map((m) => m.dateCreated.getTime() - (sentAt.get(/steady #\d+$/.exec(m.body)?.[0] ?? '') ?? NaN))
      .filter((d) => !Number.isNaN(d))
      .sort((x, y) => x - y);
    const byKind: Record<string, number> = {};
    for (const r of measured) byKind[`${r.kind} ${r.table ?? ''}`.trim()] = (byKind[`${r.kind} ${r.table ?? ''}`.trim()] ?? 0) + 1;
    const reads = measured.filter((r) => r.kind === 'list' || r.kind === 'get').length;
    const perMessage = measured.length / relayed.length;

    const report = {
      scenario: `${total} messages at ${RATE}/s (half each way), STORE_DRIVER=airtable against the fake (5 req/s per base), steady state`,
      relayed: relayed.length,
      all_relayed: allRelayed,
      duplicates: relayed.length - new Set(relayed.map((m) => m.body)).size,
      airtable_requests: measured.length,
      airtable_requests_per_message: Math.round(perMessage * 1000) / 1000,
      reads_per_message: Math.round((reads / relayed.length) * 1000) / 1000,
      writes_per_message: Math.round(((measured.length - reads) / relayed.length) * 1000) / 1000,
      requests_by_kind: byKind,
      max_requests_in_any_second: fake.maxRequestsInWindow(1000, (r) => r.at >= started),
      rate_limited_429: fake.rateLimited - limitedBefore,
      window_s: Math.round(elapsedS * 10) / 10,
      webhook_to_send_ms: { p50: percentile(delays, 50), p99: percentile(delays, 99), max: delays.at(-1) ?? NaN },
      target: `≤ ${TARGET_PER_MESSAGE} requests/message: ${perMessage <= TARGET_PER_MESSAGE ? 'met' : 'NOT met'}; zero 429: ${fake.rateLimited - limitedBefore === 0 ? 'met' : 'NOT met'}`,
    };
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    const met = perMessage <= TARGET_PER_MESSAGE && report.rate_limited_429 === 0 && allRelayed && report.duplicates === 0;
    process.stdout.write(`verdict: ${met ? 'PASS' : 'FAIL'} (${report.airtable_requests_per_message} Airtable requests/message, target ≤ ${TARGET_PER_MESSAGE}; ${report.rate_limited_429} 429s, target 0)\n`);
    if (!met) process.exitCode = 1;
  } finally {
    await b.close();
    await fake.stop();
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err) => {
    process.stderr.write(`bench failed: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
