/**
 * Shared set-up of the relay benchmarks: the whole service in this process
 * (API + workers, built-in Twilio simulator, Redis under its own prefix),
 * sitters and ready pool numbers seeded through the store ports, and signed
 * inbound webhooks computed ahead of time with the Twilio SDK's helper.
 */
import 'reflect-metadata';
import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig, loadConfig } from '@maskline/config';
import { NumberRepository, SitterRepository } from '@maskline/store';
import { TwilioSimulator } from '@maskline/twilio-simulator';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { ProcessRoles } from '@maskline/jobs';
import { createHttpApp } from '../../src/bootstrap';
import { freePort } from '../../test/support/free-port';
import { deleteRedisPrefix } from '../../test/support/redis-cleanup';

export interface BenchApp {
  app: NestFastifyApplication;
  config: AppConfig;
  url: string;
  sim: TwilioSimulator;
  close(): Promise<void>;
}

export async function startBenchApp(tag: string, env: Record<string, string> = {}, roles = new ProcessRoles(true, true)): Promise<BenchApp> {
  const port = await freePort();
  const prefix = `bench-${tag}-${process.pid}`;
  const url = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    NODE_ENV: 'development',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_BASE_URL: url,
    API_KEY: 'bench-api-key-0123456789',
    ADMIN_USERNAME: 'bench',
    ADMIN_PASSWORD: 'bench-password',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_PREFIX: prefix,
    DATA_DIR: 'memory://',
    LOG_LEVEL: 'warn',
    ...env,
  });
  const silent = new Writable({ write: (_chunk, _enc, done) => done() });
  const app = await createHttpApp({ config, roles, logStream: silent });
  await app.listen({ port, host: '127.0.0.1' });
  return {
    app,
    config,
    url,
    sim: app.get(TwilioSimulator),
    async close() {
      try {
        await app.close();
      } finally {
        await deleteRedisPrefix(prefix);
      }
    },
  };
}

export interface BenchSitter {
  id: string;
  phone: string;
  reserved: string;
  clients: string[];
}

/** sitters with reserved numbers and their clients' phones, plus ready pool numbers; all numbers owned by the simulator */
export async function seedRelayWorld(b: BenchApp, opts: { sitters: number; clientsPerSitter: number; poolNumbers: number }): Promise<{ sitters: BenchSitter[]; pool: string[] }> {
  const sitterRepo = b.app.get(SitterRepository);
  const numberRepo = b.app.get(NumberRepository);
  const smsUrl = `${b.url}/intercept`;
  const sitters: BenchSitter[] = [];
  for (let s = 0; s < opts.sitters; s++) {
    const phone = `+1970555${String(1000 + s).padStart(4, '0')}`;
    const { sitter } = await sitterRepo.upsertByPhone({ name: `Bench Sitter ${s}`, phone });
    const reserved = b.sim.addOwnedNumber({ areaCode: '303', smsUrl }).phoneNumber;
    await sitterRepo.setReservedNumber(sitter.id, reserved, 'active');
    const clients = Array.from({ length: opts.clientsPerSitter }, (_, c) => `+1719555${String(1000 + s * opts.clientsPerSitter + c).padStart(4, '0')}`);
    sitters.push({ id: sitter.id, phone, reserved, clients });
  }
  const pending = await numberRepo.createPending(Array.from({ length: opts.poolNumbers }, () => ({ lifecycle: 'pool' as const, areaCode: '720' })));
  const pool: string[] = [];
  for (const record of pending) {
    const owned = b.sim.addOwnedNumber({ areaCode: '720', smsUrl });
    await numberRepo.markReady(record.id, { phoneNumber: owned.phoneNumber, twilioSid: owned.sid, purchasedAt: new Date() });
    pool.push(owned.phoneNumber);
  }
  return { sitters, pool };
}

/** A form body and its X-Twilio-Signature, as Twilio would post it. */
export interface SignedWebhook {
  messageSid: string;
  body: string;
  signature: string;
}

export function messageSid(n: number): string {
  return `SM${n.toString(16).padStart(32, '0')}`;
}

export function signedInbound(b: BenchApp, n: number, from: string, to: string, text: string): SignedWebhook {
  const sid = messageSid(n);
  const params = { AccountSid: b.config.twilio.accountSid, MessageSid: sid, SmsSid: sid, From: from, To: to, Body: text, NumMedia: '0' };
  return {
    messageSid: sid,
    body: new URLSearchParams(params).toString(),
    signature: getExpectedTwilioSignature(b.config.twilio.authToken, `${b.config.http.publicBaseUrl}/intercept`, params),
  };
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function waitUntil(predicate: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

export interface LoadResult {
  requests: number;
  byStatus: Record<string, number>;
  errors: number;
  throughputRps: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** Date.now() when request i was started */
  sentAt: number[];
}

// The load generator runs on its own thread, so its timers and bookkeeping
// never queue behind the app's event loop (that inflated every figure when
// both shared one loop). autocannon only aggregates on the main thread,
// hence the per-response times collected here.
const LOAD_WORKER = `
const { parentPort, workerData: w } = require('node:worker_threads');
const autocannon = require(w.autocannonPath);
const times = [], sentAt = [], byStatus = {};
let errors = 0, cursor = 0;
const started = Date.now();
const instance = autocannon({
  url: w.url, connections: w.connections, overallRate: w.rate, duration: w.durationS,
  requests: [{ method: 'POST', path: w.path, setupRequest: (req) => {
    const hook = w.hooks[cursor % w.hooks.length];
    sentAt[cursor++] = Date.now();
    return { ...req, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': hook.signature }, body: hook.body };
  } }],
}, () => parentPort.postMessage({ benchDone: true, times, sentAt, byStatus, errors, elapsedMs: Date.now() - started }));
instance.on('response', (_client, status, _bytes, ms) => { times.push(ms); byStatus[status] = (byStatus[status] || 0) + 1; });
instance.on('reqError', () => errors++);
`;

/** POSTs the pre-signed webhooks to `path` at `rate` per second (unset: as fast as they are answered, closed loop) for `durationS` seconds. */
export function signedLoad(url: string, path: string, hooks: SignedWebhook[], opts: { rate?: number; durationS: number; connections: number }): Promise<LoadResult> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Worker } = require('node:worker_threads') as typeof import('node:worker_threads');
  return new Promise((resolve, reject) => {
    const worker = new Worker(LOAD_WORKER, { eval: true, workerData: { autocannonPath: require.resolve('autocannon'), url, path, hooks, ...opts } });
    worker.on('error', reject);
    worker.on('message', (m: { benchDone?: boolean; times: number[]; sentAt: number[]; byStatus: Record<string, number>; errors: number; elapsedMs: number }) => {
      if (!m?.benchDone) return;
      void worker.terminate();
      const times = m.times.sort((a, b) => a - b);
      const round = (x: number) => Math.round(x * 10) / 10;
      resolve({
        requests: times.length,
        byStatus: m.byStatus,
        errors: m.errors,
        throughputRps: round(times.length / (m.elapsedMs / 1000)),
        latencyMs: {
          p50: round(percentile(times, 50)),
          p90: round(percentile(times, 90)),
          p99: round(percentile(times, 99)),
          max: round(times.at(-1) ?? NaN),
          mean: round(times.reduce((a, b) => a + b, 0) / (times.length || 1)),
        },
        sentAt: m.sentAt,
      });
    });
  });
}
