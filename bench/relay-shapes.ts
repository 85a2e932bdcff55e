/**
 * How fast the relay drains in the two deployment shapes, measured in one
 * run: `npm start`'s (one built process, API and workers, PGlite) and the
 * split one (an API process and two worker processes, PostgreSQL), each with
 * the simulator in its own process, offered more texts than they can send
 * (BENCH_RATE, default 600/s, for BENCH_DURATION_S, default 20 s).
 *
 *   npx ts-node --transpile-only -r tsconfig-paths/register bench/relay-shapes.ts
 *
 * Figure: texts relayed per second from the first webhook to the last send.
 * Gate (issue 17): the split shape sustains at least 1.5× the embedded one
 * (on the same two cores: the split processes share them, so this is what
 * moving the store to PostgreSQL and spreading the workers buys).
 * Loopback only; Redis keys, databases, data folders and processes removed.
 */
import { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '../libs/store/src/sql/test/postgres-test-database';
import { freePort } from '../test/support/free-port';
import { deleteRedisPrefix } from '../test/support/redis-cleanup';
import { buildService, spawnBuilt, spawnSimulator } from './support/processes';
import { signedLoad } from './support/relay-harness';
import { benchServiceEnv, seedThroughApi, signedTexts, until } from './support/service-client';

const RATE = Number(process.env.BENCH_RATE ?? 600);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 20);
const TARGET_RATIO = 1.5;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DRAIN_TIMEOUT_MS = 300_000;

type Shape = 'embedded' | 'split';

async function relayedCount(simUrl: string, since: number): Promise<number> {
  const state = (await (await fetch(`${simUrl}/_sim/state`)).json()) as { messages: unknown[] };
  return state.messages.length - since;
}

async function measure(shape: Shape): Promise<{ shape: Shape; offered: number; relayed: number; seconds: number; relayed_per_s: number }> {
  const prefix = `bench-shapes-${shape}-${process.pid}`;
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const sim = await spawnSimulator();
  const cleanups: (() => Promise<unknown>)[] = [async () => sim.child.kill('SIGTERM'), () => deleteRedisPrefix(prefix, REDIS_URL)];
  const env = benchServiceEnv({ base, prefix, simUrl: sim.url, redisUrl: REDIS_URL });

  const processes: ChildProcess[] = [];
  try {
    if (shape === 'embedded') {
      const dataDir = await mkdtemp(join(tmpdir(), 'maskline-shapes-'));
      cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
      processes.push(spawnBuilt('dist/src/main.js', { ...env, PORT: String(port), DATA_DIR: dataDir }));
    } else {
      const db = await createTestDatabase();
      cleanups.push(() => db.drop());
      processes.push(spawnBuilt('dist/src/api.main.js', { ...env, PORT: String(port), DATABASE_URL: db.url }));
      for (let i = 0; i < 2; i++) processes.push(spawnBuilt('dist/src/worker.main.js', { ...env, PORT: '0', DATABASE_URL: db.url }));
    }
    cleanups.unshift(async () => processes.forEach((p) => p.kill('SIGTERM')));
    await until('the service to answer /health', () => fetch(`${base}/health`).then((r) => r.status), (s) => s === 200);
    const pairs = await seedThroughApi(base, { sitters: 10, clientsPerSitter: 20, poolNumbers: 25 });
    // every client texts once first: sessions exist, as in steady state
    const warmUp = signedTexts(base, pairs, pairs.length, 1_000_000);
    const warm = await signedLoad(base, '/intercept', warmUp, { rate: 100, durationS: Math.ceil(pairs.length / 100) + 1, connections: 10 });
    const before = await until(`the warm-up to be relayed (${JSON.stringify(warm.byStatus)} answered)`, () => relayedCount(sim.url, 0), (n) => n >= Math.min(warm.byStatus['200'] ?? 0, pairs.length)); // the load cycles through the texts: a repeat is relayed once

    const started = Date.now();
    const load = await signedLoad(base, '/intercept', signedTexts(base, pairs, RATE * DURATION_S + RATE), { rate: RATE, durationS: DURATION_S, connections: 20 });
    const accepted = load.byStatus['200'] ?? 0;
    await until('every accepted text to be relayed', () => relayedCount(sim.url, before), (n) => n >= accepted, DRAIN_TIMEOUT_MS);
    const seconds = (Date.now() - started) / 1000;
    return { shape, offered: load.requests, relayed: accepted, seconds: Math.round(seconds * 10) / 10, relayed_per_s: Math.round((accepted / seconds) * 10) / 10 };
  } finally {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
  }
}

async function main(): Promise<void> {
  buildService();
  const embedded = await measure('embedded');
  const split = await measure('split');
  const ratio = split.relayed_per_s / embedded.relayed_per_s;
  process.stdout.write(JSON.stringify({ scenario: `${RATE} signed texts/s offered for ${DURATION_S} s, steady state`, embedded, split, ratio: Math.round(ratio * 100) / 100 }, null, 2) + '\n');
  const met = ratio >= TARGET_RATIO;
  process.stdout.write(`verdict: ${met ? 'PASS' : 'FAIL'} split shape ${split.relayed_per_s}/s vs npm start's ${embedded.relayed_per_s}/s: ${Math.round(ratio * 100) / 100}× (target ≥ ${TARGET_RATIO}×)\n`);
  if (!met) process.exitCode = 1;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err) => {
    process.stderr.write(`bench failed: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
