import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { SIMULATOR_ACCOUNT_SID, SIMULATOR_AUTH_TOKEN } from '@maskline/config';
import { JobName, QueueName } from '@maskline/jobs';
import { freePort } from '../../support/free-port';
import { OwnedProcess, RedisServer, ROOT, spawnNode, TcpProxy, waitFor } from './processes';
import { AirtableScenarioStore, PurchaseRecord, ScenarioStore, SqlScenarioStore } from './scenario-store';

const API_KEY = 'resilience-api-key-0123456789';
const UP = 'Maskline is up';
/** a dead worker's jobs come back after about this long */
const JOB_LOCK_MS = 5_000;

export interface WorldOptions {
  tag: string;
  workers?: number;
  /** the processes reach PostgreSQL through a proxy the test can cut */
  pgProxy?: boolean;
  /** 'airtable': the Airtable driver against the fake Airtable server instead of PostgreSQL */
  store?: 'sql' | 'airtable';
  env?: Record<string, string>;
}

export interface RelaySitter {
  phone: string;
  reserved: string;
  clients: string[];
}

export function assertBuilt(): void {
  for (const entry of ['api.main.js', 'worker.main.js']) {
    if (!existsSync(join(ROOT, 'dist', 'src', entry))) throw new Error(`dist/src/${entry} is missing: run \`npm run build\` first (npm run test:resilience does)`);
  }
}

/**
 * One scenario's whole deployment as real OS processes: a Redis of its own
 * (AOF, fsync always), a fresh PostgreSQL database (optionally behind a TCP
 * proxy) or the fake Airtable, the Twilio simulator, the built API and N
 * built workers.
 */
export class ResilienceWorld {
  api!: OwnedProcess;
  apiUrl!: string;
  workers: OwnedProcess[] = [];
  simUrl!: string;
  private sim!: OwnedProcess;
  private queues: Queue[] = [];
  private workerEnv!: Record<string, string>;

  private constructor(
    readonly options: WorldOptions,
    readonly redis: RedisServer,
    readonly store: ScenarioStore,
  ) {}

  /** the PostgreSQL proxy (pgProxy worlds) */
  get proxy(): TcpProxy | null {
    return this.store instanceof SqlScenarioStore ? this.store.proxy : null;
  }

  /** the fake Airtable (airtable worlds) */
  get airtable(): AirtableScenarioStore {
    if (!(this.store instanceof AirtableScenarioStore)) throw new Error('not an Airtable world');
    return this.store;
  }

  private get prefix(): string {
    return `res-${this.options.tag}`;
  }

  static async start(options: WorldOptions): Promise<ResilienceWorld> {
    assertBuilt();
    const redis = await RedisServer.start();
    const store =
      options.store === 'airtable' ? await AirtableScenarioStore.open(redis.url, `res-${options.tag}`) : await SqlScenarioStore.open(options.pgProxy ?? false);
    const world = new ResilienceWorld(options, redis, store);
    try {
      await world.startProcesses();
    } catch (error) {
      await world.stop();
      throw error;
    }
    return world;
  }

  private async startProcesses(): Promise<void> {
    this.sim = spawnNode('simulator', ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'test/resilience/support/simulator-main.ts'], {
      TS_NODE_PROJECT: 'tsconfig.json',
    });
    await this.sim.ready(/simulator listening (\S+)/);
    this.simUrl = /simulator listening (\S+)/.exec(this.sim.output)![1];
    // the simulator stocks 100 numbers per area code; a burst of 200 purchases needs more
    for (const areaCode of ['303', '720']) {
      const res = await fetch(`${this.simUrl}/_sim/available-numbers`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ area_code: areaCode, count: 1000 }) });
      if (res.status !== 200) throw new Error(`simulator refused the stock: ${res.status}`);
    }
    const port = await freePort();
    this.apiUrl = `http://127.0.0.1:${port}`;
    const common = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      REDIS_URL: this.redis.url,
      REDIS_PREFIX: this.prefix,
      ...this.store.env,
      DATA_DIR: join(this.redis.dir, 'data'),
      PUBLIC_BASE_URL: this.apiUrl,
      API_KEY,
      ADMIN_USERNAME: 'ops',
      ADMIN_PASSWORD: 'resilience-password',
      TWILIO_ACCOUNT_SID: SIMULATOR_ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: SIMULATOR_AUTH_TOKEN,
      TWILIO_BASE_URL: this.simUrl,
      JOB_LOCK_DURATION_MS: String(JOB_LOCK_MS),
      MAX_PURCHASES_PER_DAY: '100000',
      ...this.options.env,
    };
    this.workerEnv = common;
    this.api = spawnNode('api', ['dist/src/api.main.js'], { ...common, PORT: String(port), HOST: '127.0.0.1' });
    const workers = Array.from({ length: this.options.workers ?? 2 }, (_, i) => spawnNode(`worker-${i + 1}`, ['dist/src/worker.main.js'], common));
    this.workers = workers;
    await Promise.all([this.api, ...workers].map((p) => p.ready(UP)));
    const connection = { host: '127.0.0.1', port: this.redis.port, maxRetriesPerRequest: null };
    // with the Airtable driver the writes queue too: settled means every write landed
    const watched = [QueueName.Relay, QueueName.NumberPurchase, ...(this.options.store === 'airtable' ? [QueueName.AirtableWrites] : [])];
    this.queues = watched.map((name) => new Queue(name, { connection, prefix: this.prefix }));
    for (const q of this.queues) q.on('error', () => undefined);
  }

  /** SIGKILLs one worker and starts a fresh one in its place (two keep running) */
  async killWorker(index: number): Promise<void> {
    const victim = this.workers[index];
    await victim.kill('SIGKILL');
    const fresh = spawnNode(`${victim.name}'`, ['dist/src/worker.main.js'], this.workerEnv);
    this.workers[index] = fresh;
    await fresh.ready(UP);
  }

  // --- seeding (straight into the store and the simulator) ---

  private async ownNumber(areaCode: string): Promise<{ sid: string; phone_number: string }> {
    const res = await fetch(`${this.simUrl}/_sim/owned-numbers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ area_code: areaCode, sms_url: `${this.apiUrl}/intercept` }),
    });
    if (res.status !== 201) throw new Error(`simulator refused an owned number: ${res.status} ${await res.text()}`);
    return (await res.json()) as { sid: string; phone_number: string };
  }

  async seedRelay(opts: { sitters: number; clientsPerSitter: number; poolNumbers: number }): Promise<RelaySitter[]> {
    const { sitters: sitterRepo, numbers } = this.store.ports;
    const seeded: RelaySitter[] = [];
    for (let s = 0; s < opts.sitters; s++) {
      const phone = `+1970555${String(1000 + s).padStart(4, '0')}`;
      const { sitter } = await sitterRepo.upsertByPhone({ name: `Sitter ${s}`, phone });
      const reserved = (await this.ownNumber('303')).phone_number;
      await sitterRepo.setReservedNumber(sitter.id, reserved, 'active');
      const clients = Array.from({ length: opts.clientsPerSitter }, (_, c) => `+1719555${String(1000 + s * opts.clientsPerSitter + c).padStart(4, '0')}`);
      seeded.push({ phone, reserved, clients });
    }
    const pending = await numbers.createPending(Array.from({ length: opts.poolNumbers }, () => ({ lifecycle: 'pool' as const, areaCode: '720' })));
    for (const record of pending) {
      const owned = await this.ownNumber('720');
      await numbers.markReady(record.id, { phoneNumber: owned.phone_number, twilioSid: owned.sid, purchasedAt: new Date() });
    }
    await this.store.flush();
    return seeded;
  }

  // --- what Twilio and Zapier do ---

  /** one signed inbound webhook, posted once (Twilio does not retry); answers the HTTP status, 0 for no answer in 15 s */
  async inbound(messageSid: string, from: string, to: string, body: string): Promise<number> {
    const params = { AccountSid: SIMULATOR_ACCOUNT_SID, MessageSid: messageSid, SmsSid: messageSid, From: from, To: to, Body: body, NumMedia: '0' };
    const signature = getExpectedTwilioSignature(SIMULATOR_AUTH_TOKEN, `${this.apiUrl}/intercept`, params);
    return this.post('/intercept', new URLSearchParams(params).toString(), { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature });
  }

  /** POST /numbers/purchase; answers the status and the ids of the records it created */
  async purchase(quantity: number): Promise<{ status: number; ids: string[] }> {
    let ids: string[] = [];
    const status = await this.post('/numbers/purchase', JSON.stringify({ lifecycle: 'standby', area_code: '303', quantity }), { 'content-type': 'application/json', 'x-api-key': API_KEY }, async (res) => {
      if (res.status !== 202) return;
      const body = (await res.json()) as { number_inventory_id: string; numbers?: Array<{ number_inventory_id: string }> };
      ids = body.numbers?.map((n) => n.number_inventory_id) ?? [body.number_inventory_id];
    });
    return { status, ids };
  }

  private async post(path: string, body: string, headers: Record<string, string>, read?: (res: Response) => Promise<void>): Promise<number> {
    try {
      const res = await fetch(`${this.apiUrl}${path}`, { method: 'POST', headers, body, signal: AbortSignal.timeout(15_000) });
      if (read) await read(res);
      else await res.arrayBuffer();
      return res.status;
    } catch {
      return 0;
    }
  }

  // --- counting ---

  async simState(): Promise<{ purchases: Array<{ phone_number: string; friendly_name: string }>; messages: Array<{ sid: string; body: string; to: string }> }> {
    const res = await fetch(`${this.simUrl}/_sim/state`);
    return (await res.json()) as Awaited<ReturnType<ResilienceWorld['simState']>>;
  }

  purchaseRecords(ids: string[]): Promise<PurchaseRecord[]> {
    return this.store.purchaseRecords(ids);
  }

  /**
   * jobs still to run in the relay and purchase queues (and Airtable writes): waiting, active, and
   * delayed ones (retries) except the message-log flushes, which wait two
   * minutes by design and send nothing
   */
  async pendingJobs(): Promise<number> {
    let total = 0;
    for (const q of this.queues) {
      const c = await q.getJobCounts('waiting', 'active', 'prioritized', 'paused');
      total += Object.values(c).reduce((a, b) => a + b, 0);
      const delayed = await q.getDelayed();
      total += delayed.filter((job) => job.name !== JobName.RelayFlushMessageLog).length;
    }
    return total;
  }

  /** every queue empty on three polls in a row, a lock period apart: late re-runs (stalled jobs) have had their chance */
  async quiet(timeoutMs: number): Promise<void> {
    let calm = 0;
    await waitFor(
      'the queues to stay empty',
      async () => {
        calm = (await this.pendingJobs()) === 0 ? calm + 1 : 0;
        return calm >= 3;
      },
      timeoutMs,
      JOB_LOCK_MS / 2,
    );
  }

  async stop(): Promise<void> {
    await Promise.all(this.queues.map((q) => q.close().catch(() => undefined)));
    await Promise.all([this.api, ...this.workers].filter(Boolean).map((p) => p.kill('SIGKILL')));
    await this.sim?.kill('SIGTERM');
    await this.store.close().catch(() => undefined);
    await this.redis.stop();
  }

  /** the last lines of every process, for a failure message */
  logs(): string {
    return [this.api, ...this.workers, this.sim].map((p) => `--- ${p.name} ---\n${p.output.slice(-4000)}`).join('\n');
  }
}
