/**
 * Memory over time: `npm start`'s shape (API and workers in one process,
 * PGlite in a data folder; built with `nest build` and run with node, as
 * `npm start` does) as its own process, relaying BENCH_RATE signed
 * texts per second (default 200) for BENCH_SOAK_S seconds (default 300),
 * its RSS read from /proc every 10 s. The simulator runs in a process of its
 * own (its message log grows with every text; that must not count).
 *
 *   npx ts-node --transpile-only -r tsconfig-paths/register bench/memory-soak.ts
 *
 * Gate (issue 17): after the first minute (warm-up: JIT, pools, caches) the
 * RSS stays within 10 % of its value at the one-minute mark. Prints the
 * series and a verdict line; exits 1 when the target is missed.
 * Loopback only; Redis keys, the data folder and both processes removed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../test/support/free-port';
import { deleteRedisPrefix } from '../test/support/redis-cleanup';
import { benchServiceEnv, seedThroughApi, signedTexts, until } from './support/service-client';
import { buildService, rssMb, spawnBuilt, spawnSimulator } from './support/processes';
import { signedLoad } from './support/relay-harness';

const RATE = Number(process.env.BENCH_RATE ?? 200);
const SOAK_S = Number(process.env.BENCH_SOAK_S ?? 300);
const WARM_UP_S = Math.min(60, Math.floor(SOAK_S / 3));
const SAMPLE_EVERY_MS = 10_000;
const TARGET_GROWTH = 0.1;
const SITTERS = 10;
const CLIENTS_PER_SITTER = 20;
const POOL_NUMBERS = 25;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function main(): Promise<void> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const prefix = `bench-soak-${process.pid}`;
  const dataDir = await mkdtemp(join(tmpdir(), 'maskline-soak-'));
  buildService();
  const sim = await spawnSimulator();
  const app = spawnBuilt('dist/src/main.js', { ...benchServiceEnv({ base, prefix, simUrl: sim.url, redisUrl: REDIS_URL }), PORT: String(port), DATA_DIR: dataDir });
  try {
    await until('the service to answer /health', () => fetch(`${base}/health`).then((r) => r.status), (s) => s === 200);
    const pairs = await seedThroughApi(base, { sitters: SITTERS, clientsPerSitter: CLIENTS_PER_SITTER, poolNumbers: POOL_NUMBERS });
    const hooks = signedTexts(base, pairs, RATE * SOAK_S + RATE * 2);

    const series: { at_s: number; rss_mb: number }[] = [];
    const started = Date.now();
    const sampler = setInterval(() => void rssMb(app.pid!).then((rss) => series.push({ at_s: Math.round((Date.now() - started) / 1000), rss_mb: rss })), SAMPLE_EVERY_MS);
    const load = await signedLoad(base, '/intercept', hooks, { rate: RATE, durationS: SOAK_S, connections: 20 });
    clearInterval(sampler);

    const afterWarmUp = series.filter((s) => s.at_s >= WARM_UP_S);
    const reference = afterWarmUp[0]?.rss_mb ?? NaN;
    const peak = Math.max(...afterWarmUp.map((s) => s.rss_mb));
    const growth = (peak - reference) / reference;
    process.stdout.write(
      JSON.stringify(
        {
          scenario: `npm start's shape as its own process, ${RATE} signed texts/s for ${SOAK_S} s; RSS every ${SAMPLE_EVERY_MS / 1000} s`,
          webhooks: { requests: load.requests, by_status: load.byStatus, errors: load.errors },
          rss_series: series,
          rss_at_warm_up_mb: reference,
          rss_peak_after_warm_up_mb: peak,
          growth_percent: Math.round(growth * 1000) / 10,
        },
        null,
        2,
      ) + '\n',
    );
    const met = growth <= TARGET_GROWTH && load.errors === 0;
    process.stdout.write(`verdict: ${met ? 'PASS' : 'FAIL'} RSS after ${WARM_UP_S} s grew ${Math.round(growth * 1000) / 10} % (${reference} → ${peak} MB; target ≤ ${TARGET_GROWTH * 100} %)\n`);
    if (!met) process.exitCode = 1;
  } finally {
    app.kill('SIGTERM');
    sim.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1000));
    await deleteRedisPrefix(prefix, REDIS_URL);
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err) => {
    process.stderr.write(`bench failed: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
