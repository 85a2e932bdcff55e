/**
 * The inbound webhook against the machine's own ceiling, as ratios that gate:
 * POST /intercept (signed, the API role: signature check + enqueue) and a
 * bare Fastify route answering the same TwiML, driven the same way in the
 * same run.
 *
 *   npx ts-node --transpile-only -r tsconfig-paths/register bench/webhook-gate.ts
 *   (BENCH_DURATION_S, default 10, changes each phase's length)
 *
 * - closed loop (as fast as answers come, 20 connections): throughput of the
 *   product ≥ 50 % of the bare route's;
 * - open loop at 1,000 requests/s: the product's p99 ≤ 2× the bare route's.
 * Prints every figure, one verdict line per target, and exits 1 if any is missed.
 * Loopback only; every message has its own MessageSid; keys deleted afterwards.
 */
import Fastify from 'fastify';
import { ProcessRoles } from '@maskline/jobs';
import { BenchApp, seedRelayWorld, signedInbound, signedLoad, SignedWebhook, startBenchApp } from './support/relay-harness';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONNECTIONS = 20;
const FIXED_RATE = 1_000;
/** enough distinct messages for the closed loop on a fast machine (a repeated MessageSid would take the cheaper duplicate path) */
const CLOSED_LOOP_MESSAGES = 15_000 * DURATION_S;
const TARGET_THROUGHPUT_RATIO = 0.5;
const TARGET_P99_RATIO = 2;
const TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

async function bareRoute(): Promise<{ url: string; close: () => Promise<void> }> {
  const app = Fastify();
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.post('/intercept', async (_req, reply) => reply.type('text/xml; charset=utf-8').send(TWIML));
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}`, close: () => app.close() };
}

function hooks(b: BenchApp, pairs: { client: string; reserved: string }[], from: number, count: number): SignedWebhook[] {
  return Array.from({ length: count }, (_, i) => signedInbound(b, from + i, pairs[i % pairs.length].client, pairs[i % pairs.length].reserved, `gate #${from + i}`));
}

async function main(): Promise<void> {
  const bare = await bareRoute();
  const b = await startBenchApp('webhook-gate', {}, new ProcessRoles(true, false));
  try {
    const { sitters } = await seedRelayWorld(b, { sitters: 10, clientsPerSitter: 20, poolNumbers: 25 });
    const pairs = sitters.flatMap((s) => s.clients.map((client) => ({ client, reserved: s.reserved })));
    const bareHooks = [{ messageSid: 'x', body: 'a=b', signature: 'x' }];

    const bareClosed = await signedLoad(bare.url, '/intercept', bareHooks, { durationS: DURATION_S, connections: CONNECTIONS });
    const productClosed = await signedLoad(b.url, '/intercept', hooks(b, pairs, 1, CLOSED_LOOP_MESSAGES), { durationS: DURATION_S, connections: CONNECTIONS });
    const bareFixed = await signedLoad(bare.url, '/intercept', bareHooks, { rate: FIXED_RATE, durationS: DURATION_S, connections: CONNECTIONS });
    const productFixed = await signedLoad(b.url, '/intercept', hooks(b, pairs, 1 + CLOSED_LOOP_MESSAGES, FIXED_RATE * DURATION_S + FIXED_RATE), { rate: FIXED_RATE, durationS: DURATION_S, connections: CONNECTIONS });

    const non200 = (r: typeof productClosed) => r.requests - (r.byStatus['200'] ?? 0) + r.errors;
    const throughputRatio = productClosed.throughputRps / bareClosed.throughputRps;
    const p99Ratio = productFixed.latencyMs.p99 / bareFixed.latencyMs.p99;
    const report = {
      scenario: `POST /intercept, API role, ${CONNECTIONS} connections, ${DURATION_S} s per phase; baseline: a bare Fastify route answering the same TwiML`,
      closed_loop: { bare_rps: bareClosed.throughputRps, product_rps: productClosed.throughputRps, ratio: round(throughputRatio), product_non_200: non200(productClosed) },
      at_1000_rps: { bare_p99_ms: bareFixed.latencyMs.p99, product_p99_ms: productFixed.latencyMs.p99, ratio: round(p99Ratio), product_rps: productFixed.throughputRps, product_non_200: non200(productFixed) },
    };
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');

    const verdicts = [
      { met: throughputRatio >= TARGET_THROUGHPUT_RATIO && non200(productClosed) === 0, line: `closed-loop throughput ${round(throughputRatio * 100)} % of the bare route's (target ≥ ${TARGET_THROUGHPUT_RATIO * 100} %)` },
      { met: p99Ratio <= TARGET_P99_RATIO && non200(productFixed) === 0, line: `p99 at ${FIXED_RATE} req/s ${round(p99Ratio)}× the bare route's (target ≤ ${TARGET_P99_RATIO}×)` },
    ];
    for (const v of verdicts) process.stdout.write(`verdict: ${v.met ? 'PASS' : 'FAIL'} ${v.line}\n`);
    if (verdicts.some((v) => !v.met)) process.exitCode = 1;
  } finally {
    await b.close();
    await bare.close();
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err) => {
    process.stderr.write(`bench failed: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
