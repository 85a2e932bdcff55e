/**
 * Inbound-SMS webhook under load: POST /intercept latency and throughput at
 * 200 signed requests/s for 30 s, on the embedded store, and the relay
 * behind it. Gates (issue 17): in `npm start`'s shape, webhook-to-send p99
 * < 250 ms at 200 messages/s, and 400 messages/s for 60 s with the backlog
 * cleared within 2 s of the load stopping (BENCH_SUSTAIN_RATE, BENCH_SUSTAIN_S).
 *
 *   npx ts-node --transpile-only -r tsconfig-paths/register bench/relay-webhook.ts
 *   (BENCH_SCENARIO=api|all, BENCH_RATE, BENCH_DURATION_S change the run)
 *
 * Each scenario starts a fresh service in this process (PGlite in memory,
 * built-in Twilio simulator, Redis on localhost under its own prefix):
 * - `api`: the API role alone (`start:api`; workers run elsewhere): the
 *   webhook path itself, i.e. signature check + enqueue.
 * - `all`: API and workers in one process (`npm start`): webhooks share the
 *   event loop with relaying (PGlite runs its queries on that same thread),
 *   and the run also measures how long the Relay queue takes to hand every
 *   message to Twilio. The simulator posts status callbacks for every relayed
 *   message back to the app, as Twilio would.
 * 10 sitters with 20 clients each share 25 pool numbers; in `all`, every
 * client texts once before the run, so sessions exist (steady state). Each
 * request carries its own MessageSid, signed beforehand with the SDK helper;
 * autocannon runs on a worker thread. A bare Fastify route under the same
 * load gives the machine's baseline. Loopback only; bounded; keys deleted.
 */
import Fastify from 'fastify';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { ProcessRoles, QueueName } from '@maskline/jobs';
import { BenchApp, BenchSitter, percentile, seedRelayWorld, signedInbound, signedLoad, SignedWebhook, startBenchApp, waitUntil } from './support/relay-harness';

const RATE = Number(process.env.BENCH_RATE ?? 200);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 30);
/** the sustained phase: SUSTAIN_RATE messages/s for SUSTAIN_S seconds must be relayed as they come */
const SUSTAIN_RATE = Number(process.env.BENCH_SUSTAIN_RATE ?? 400);
const SUSTAIN_S = Number(process.env.BENCH_SUSTAIN_S ?? 60);
const CONNECTIONS = 20;
const DRAIN_TIMEOUT_MS = 180_000;
const load = { rate: RATE, durationS: DURATION_S, connections: CONNECTIONS };
// targets (issue 17): webhook-to-send p99 at RATE, and no backlog growth at SUSTAIN_RATE
const TARGET_SEND_P99_MS = 250;
/** "no backlog growth": what is still unsent when the load stops is cleared within this */
const TARGET_DRAIN_AFTER_LOAD_MS = 2_000;

function hooksFor(b: BenchApp, sitters: BenchSitter[], sid: { next: number }, rate = RATE, durationS = DURATION_S): SignedWebhook[] {
  const pairs = sitters.flatMap((s) => s.clients.map((client) => ({ client, reserved: s.reserved })));
  return Array.from({ length: rate * durationS + rate * 2 }, (_, i) => signedInbound(b, sid.next++, pairs[i % pairs.length].client, pairs[i % pairs.length].reserved, `bench #${i}`));
}

function webhookFigures(r: Awaited<ReturnType<typeof signedLoad>>) {
  return {
    requests: r.requests,
    by_status: r.byStatus,
    errors: r.errors,
    throughput_rps: r.throughputRps,
    latency_ms: r.latencyMs,
  };
}

/** the same load on a route that does nothing: what this machine allows */
async function baseline() {
  const app = Fastify();
  app.post('/intercept', async () => '<Response/>');
  await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const r = await signedLoad(url, '/intercept', [{ messageSid: 'x', body: 'a=b', signature: 'x' }], { ...load, durationS: Math.min(10, DURATION_S) });
    return { process: 'bare Fastify route, same load (machine baseline)', throughput_rps: r.throughputRps, latency_ms: r.latencyMs };
  } finally {
    await app.close();
  }
}

async function apiOnly() {
  const b = await startBenchApp('relay-webhook-api', {}, new ProcessRoles(true, false));
  try {
    const { sitters } = await seedRelayWorld(b, { sitters: 10, clientsPerSitter: 20, poolNumbers: 25 });
    const r = await signedLoad(b.url, '/intercept', hooksFor(b, sitters, { next: 1 }), load);
    const queue = b.app.get<Queue>(getQueueToken(QueueName.Relay));
    return { process: 'API role only (workers in another process)', webhook: webhookFigures(r), relay_jobs_enqueued: (await queue.getJobCounts('waiting')).waiting };
  } finally {
    await b.close();
  }
}

async function allInOne(rate = RATE, durationS = DURATION_S) {
  const b = await startBenchApp('relay-webhook-all');
  try {
    const { sitters } = await seedRelayWorld(b, { sitters: 10, clientsPerSitter: 20, poolNumbers: 25 });
    const sid = { next: 1 };
    const warmUp = sitters.flatMap((s) => s.clients.map((client) => signedInbound(b, sid.next++, client, s.reserved, 'warm-up')));
    for (const hook of warmUp) {
      await fetch(`${b.url}/intercept`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': hook.signature }, body: hook.body });
    }
    await waitUntil(() => b.sim.messages.length >= warmUp.length, 60_000);
    const warmed = b.sim.messages.length;

    const r = await signedLoad(b.url, '/intercept', hooksFor(b, sitters, sid, rate, durationS), { rate, durationS, connections: CONNECTIONS });
    const started = r.sentAt.length;
    const drainStart = Date.now();
    // requests still in flight when the generator stopped were served too: wait for every started one
    const drained = await waitUntil(() => b.sim.messages.length - warmed >= started, DRAIN_TIMEOUT_MS);
    const drainMs = Date.now() - drainStart;
    const relayed = b.sim.messages.slice(warmed);
    const delays = relayed
      .map((m) => m.dateCreated.getTime() - (r.sentAt[Number(/bench #(\d+)$/.exec(m.body)?.[1])] ?? NaN))
      .filter((d) => !Number.isNaN(d))
      .sort((x, y) => x - y);
    return {
      process: `API + workers in one process (npm start), ${rate} messages/s for ${durationS} s`,
      webhook: webhookFigures(r),
      relay: {
        requests_started: started,
        relayed: relayed.length,
        duplicates: relayed.length - new Set(relayed.map((m) => m.body)).size,
        all_relayed: drained,
        drain_after_load_ms: drainMs,
        relay_throughput_msg_s: Math.round((relayed.length / (durationS + drainMs / 1000)) * 10) / 10,
        webhook_to_send_ms: { p50: percentile(delays, 50), p99: percentile(delays, 99), max: delays.at(-1) ?? NaN },
      },
    };
  } finally {
    await b.close();
  }
}

async function main(): Promise<void> {
  const scenario = process.env.BENCH_SCENARIO ?? 'both';
  const report: Record<string, unknown> = { scenario: `POST /intercept at ${RATE} req/s for ${DURATION_S} s, ${CONNECTIONS} connections, signed, embedded store (PGlite)` };
  report.baseline = await baseline();
  if (scenario !== 'all') report.api_only = await apiOnly();
  const verdicts: { met: boolean; line: string }[] = [];
  if (scenario !== 'api') {
    const latency = await allInOne();
    const sustained = await allInOne(SUSTAIN_RATE, SUSTAIN_S);
    report.all_in_one = latency;
    report.all_in_one_sustained = sustained;
    const whole = (x: typeof latency) => x.relay.all_relayed && x.relay.duplicates === 0;
    verdicts.push({
      met: whole(latency) && latency.relay.webhook_to_send_ms.p99 < TARGET_SEND_P99_MS,
      line: `npm start at ${RATE} messages/s: webhook-to-send p99 ${latency.relay.webhook_to_send_ms.p99} ms (target < ${TARGET_SEND_P99_MS} ms)`,
    });
    verdicts.push({
      met: whole(sustained) && sustained.relay.drain_after_load_ms <= TARGET_DRAIN_AFTER_LOAD_MS,
      line: `npm start sustaining ${SUSTAIN_RATE} messages/s for ${SUSTAIN_S} s: ${sustained.relay.relay_throughput_msg_s} relayed/s, backlog cleared ${sustained.relay.drain_after_load_ms} ms after the load (target ≤ ${TARGET_DRAIN_AFTER_LOAD_MS} ms)`,
    });
  }
  process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  for (const v of verdicts) process.stdout.write(`verdict: ${v.met ? 'PASS' : 'FAIL'} ${v.line}\n`);
  if (verdicts.some((v) => !v.met)) process.exitCode = 1;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err) => {
    process.stderr.write(`bench failed: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
