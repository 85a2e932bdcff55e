/**
 * Inbound-SMS webhook under load: POST /intercept latency and throughput at
 * 200 signed requests/s for 30 s, on the embedded store.
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
const CONNECTIONS = 20;
const DRAIN_TIMEOUT_MS = 120_000;
const load = { rate: RATE, durationS: DURATION_S, connections: CONNECTIONS };

function hooksFor(b: BenchApp, sitters: BenchSitter[], sid: { next: number }): SignedWebhook[] {
  const pairs = sitters.flatMap((s) => s.clients.map((client) => ({ client, reserved: s.reserved })));
  return Array.from({ length: RATE * DURATION_S + RATE * 2 }, (_, i) => signedInbound(b, sid.next++, pairs[i % pairs.length].client, pairs[i % pairs.length].reserved, `bench #${i}`));
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

async function allInOne() {
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

    const r = await signedLoad(b.url, '/intercept', hooksFor(b, sitters, sid), load);
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
      process: 'API + workers in one process (npm start)',
      webhook: webhookFigures(r),
      relay: {
        requests_started: started,
        relayed: relayed.length,
        duplicates: relayed.length - new Set(relayed.map((m) => m.body)).size,
        all_relayed: drained,
        drain_after_load_ms: drainMs,
        relay_throughput_msg_s: Math.round((relayed.length / (DURATION_S + drainMs / 1000)) * 10) / 10,
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
  if (scenario !== 'api') report.all_in_one = await allInOne();
  process.stdout.write(JSON.stringify(report, null, 2) + '\n');
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`bench failed: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
