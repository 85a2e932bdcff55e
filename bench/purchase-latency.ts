/**
 * POST /numbers/purchase latency while Twilio is slow.
 *
 *   npx ts-node --transpile-only -r tsconfig-paths/register bench/purchase-latency.ts [embedded|split]
 *
 * Every simulated number purchase takes 3 s; autocannon (in its own process)
 * drives the endpoint at 50 connections for 10 s. The request path never
 * calls Twilio, so its latency must not follow Twilio's: target p99 < 50 ms.
 * Two topologies (both by default):
 *  - embedded: `npm start`'s shape, API + workers in this process, PGlite in a data folder;
 *  - split: production's shape, an API-only process (this one), a worker
 *    process and the simulator's process (both spawned), sharing Redis and a
 *    PostgreSQL database made for the run.
 * Loopback only; Redis keys and the database are deleted afterwards.
 */
import 'reflect-metadata';
import Fastify from 'fastify';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig, SIMULATOR_ACCOUNT_SID, SIMULATOR_AUTH_TOKEN } from '@maskline/config';
import { TwilioSimulator } from '@maskline/twilio-simulator';
import { createTestDatabase } from '../libs/store/src/sql/test/postgres-test-database';
import { createHttpApp } from '../src/bootstrap';
import { ProcessRoles } from '@maskline/jobs';
import { freePort } from '../test/support/free-port';
import { deleteRedisPrefix } from '../test/support/redis-cleanup';
import { runLoad, statusCounts } from './support/load';
import { spawnEntrypoint, spawnSimulator } from './support/processes';

const CONNECTIONS = 50;
const DURATION_S = 10;
const TWILIO_PURCHASE_MS = 3000;
const TARGET_P99_MS = 50;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const API_KEY = 'bench-api-key-0123456789';

type Topology = 'embedded' | 'split';

function baseEnv(port: number, prefix: string): Record<string, string> {
  return {
    NODE_ENV: 'development',
    PORT: String(port),
    HOST: '127.0.0.1',
    API_KEY,
    ADMIN_USERNAME: 'bench',
    ADMIN_PASSWORD: 'bench-password',
    REDIS_URL,
    REDIS_PREFIX: prefix,
    // the cap would refuse most of the run; raised for the bench only
    MAX_PURCHASES_PER_DAY: '10000000',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  };
}


async function run(topology: Topology): Promise<boolean> {
  const port = await freePort();
  const prefix = `bench-purchase-${topology}-${process.pid}`;
  const silent = new Writable({ write: (_chunk, _enc, done) => done() });
  const cleanups: (() => Promise<unknown>)[] = [() => deleteRedisPrefix(prefix, REDIS_URL)];
  try {
    let env = baseEnv(port, prefix);
    let roles = new ProcessRoles(true, true);
    if (topology === 'split') {
      const db = await createTestDatabase();
      cleanups.unshift(() => db.drop());
      const sim = await spawnSimulator(TWILIO_PURCHASE_MS);
      cleanups.unshift(async () => sim.child.kill('SIGTERM'));
      const simUrl = sim.url;
      env = { ...env, DATABASE_URL: db.url, TWILIO_ACCOUNT_SID: SIMULATOR_ACCOUNT_SID, TWILIO_AUTH_TOKEN: SIMULATOR_AUTH_TOKEN, TWILIO_BASE_URL: simUrl };
      roles = new ProcessRoles(true, false);
    } else {
      // `npm start`'s store: PGlite in a data folder on disk (a temporary one here)
      const dataDir = await mkdtemp(join(tmpdir(), 'maskline-bench-'));
      cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
      env = { ...env, DATA_DIR: dataDir };
    }
    const config = loadConfig(env);
    const app = await createHttpApp({ config, roles, logStream: silent });
    cleanups.unshift(() => app.close());
    await app.listen({ port, host: '127.0.0.1' });
    if (topology === 'split') {
      const worker = spawnEntrypoint('src/worker.main.ts', { ...env, PORT: '0' });
      cleanups.unshift(async () => worker.kill('SIGTERM'));
    } else {
      app.get(TwilioSimulator).injectLatency('numbers.buy', TWILIO_PURCHASE_MS);
    }

    const url = `http://127.0.0.1:${port}/numbers/purchase`;
    const headers = { 'content-type': 'application/json', 'x-api-key': API_KEY };
    const body = JSON.stringify({ lifecycle: 'pool', area_code: '303', quantity: 1 });
    await runLoad({ url, connections: 5, amount: 500, headers, body }); // warm-up: JIT, pools
    const result = await runLoad({ url, connections: CONNECTIONS, durationSeconds: DURATION_S, headers, body });

    const base = await baseline(body, headers);
    const { latency, requests } = result;
    const shape = topology === 'embedded' ? 'API + workers in one process, PGlite' : 'API process + worker process, PostgreSQL';
    process.stdout.write(
      [
        `POST /numbers/purchase [${topology}: ${shape}; Redis; log level ${env.LOG_LEVEL}], ${CONNECTIONS} connections, ${DURATION_S} s, Twilio purchase ${TWILIO_PURCHASE_MS} ms`,
        `  latency  p50 ${latency.p50} ms   p90 ${latency.p90} ms   p99 ${latency.p99} ms   max ${latency.max} ms   avg ${latency.average.toFixed(2)} ms`,
        `  throughput  ${requests.average.toFixed(0)} req/s   total ${requests.total} requests`,
        `  status codes ${JSON.stringify(statusCounts(result))}   errors ${result.errors}   timeouts ${result.timeouts}`,
        `  baseline (a bare Fastify route answering 202 JSON, same load, same run): p99 ${base.latency.p99} ms, ${base.requests.average.toFixed(0)} req/s; ratio p99 ${(latency.p99 / Math.max(1, base.latency.p99)).toFixed(2)}×`,
        '',
      ].join('\n'),
    );
    const met = result.non2xx === 0 && result.errors === 0 && latency.p99 < TARGET_P99_MS;
    process.stdout.write(`verdict: ${met ? 'PASS' : 'FAIL'} POST /numbers/purchase [${topology}] p99 ${latency.p99} ms while Twilio takes ${TWILIO_PURCHASE_MS} ms per purchase (target < ${TARGET_P99_MS} ms, no error)\n\n`);
    return met;
  } finally {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
  }
}

/** the same load on a route that does nothing: what this machine allows at this concurrency */
async function baseline(body: string, headers: Record<string, string>) {
  const app = Fastify();
  app.post('/numbers/purchase', async (_req, reply) => reply.code(202).send({ success: true, numbers: [{ status: 'pending' }] }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/numbers/purchase`;
    return await runLoad({ url, connections: CONNECTIONS, durationSeconds: DURATION_S, headers, body });
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  const wanted = process.argv[2] as Topology | undefined;
  const topologies: Topology[] = wanted ? [wanted] : ['embedded', 'split'];
  let ok = true;
  for (const topology of topologies) ok = (await run(topology)) && ok;
  if (!ok) process.exitCode = 1;
}

main().catch((error) => {
  process.stderr.write(`purchase-latency bench failed: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
