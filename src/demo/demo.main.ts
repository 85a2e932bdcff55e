/**
 * `npm run demo`: the whole story on the embedded defaults (PGlite in a
 * temporary folder, the Twilio simulator, Redis under a prefix of its own),
 * driven through the public HTTP API as Zapier and Twilio would, printed as a
 * transcript of who texted whom from which number. Exits 0 when every step
 * happened; non-zero, naming the step, when one did not.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Redis } from 'ioredis';
import { loadConfig } from '@maskline/config';
import { TwilioSimulator } from '@maskline/twilio-simulator';
import { createHttpApp } from '../bootstrap';

const SITTER = { name: 'Sam Sitter', phone: '+19705550101' };
const ANN = { client_id: 'ttp-1001', first_name: 'Ann', last_name: 'Lee', phone: '+17195550111' };
const BOB_PHONE = '+17195550122';
const STEP_TIMEOUT_MS = 20_000;

class Demo {
  /** `npm run demo -- --proxy`: the same story over a Proxy service (RELAY_MODE=proxy) */
  constructor(private readonly relayMode: 'messaging' | 'proxy') {}

  private readonly apiKey = randomBytes(16).toString('hex');
  private readonly names = new Map<string, string>();
  private app!: NestFastifyApplication;
  private sim!: TwilioSimulator;
  private url!: string;

  async run(): Promise<void> {
    const dataDir = await mkdtemp(join(tmpdir(), 'maskline-demo-'));
    const prefix = `demo-${randomBytes(4).toString('hex')}`;
    const port = await freePort();
    this.url = `http://127.0.0.1:${port}`;
    // no Twilio account: the simulator; PUBLIC_BASE_URL is this process, so the simulator's webhooks reach it
    // the shell's settings (REDIS_URL) with the demo's own on top, as loadConfig() itself reads them
    // eslint-disable-next-line no-restricted-properties
    const config = loadConfig({ ...withoutTwilioAccount(process.env), NODE_ENV: 'development', PORT: String(port), HOST: '127.0.0.1', PUBLIC_BASE_URL: this.url, DATA_DIR: dataDir, REDIS_PREFIX: prefix, API_KEY: this.apiKey, LOG_LEVEL: 'silent', RELAY_MODE: this.relayMode });
    const silent = new Writable({ write: (_c, _e, done) => done() });
    try {
      this.app = await createHttpApp({ config, logStream: silent });
      await this.app.listen({ port, host: '127.0.0.1' });
      this.sim = this.app.get(TwilioSimulator);
      await this.story();
    } finally {
      await this.app?.close().catch(() => undefined);
      await deletePrefix(config.redis.url, prefix);
      await rm(dataDir, { recursive: true, force: true });
    }
  }

  private async story(): Promise<void> {
    this.say('Maskline demo: everything below goes through the public HTTP API; Twilio is the built-in simulator.');
    this.say(this.relayMode === 'proxy' ? 'Relay mode: proxy (the simulator runs a Proxy service; texts reach /out-of-session and /intercept).\n' : 'Relay mode: messaging (Programmable Messaging).\n');

    this.step('1. Ops provision a sitter (old Zap 2): POST /sitters, then POST /attach-number');
    const sitter = await this.call('POST', '/sitters', SITTER);
    await this.call('POST', '/attach-number', { sitter_id: sitter.sitter_id, area_code: '303' });
    const withNumber = await this.until('the reserved number is bought', () => this.call('GET', `/sitters/${sitter.sitter_id}`), (s) => Boolean(s.reserved_number) && s.status === 'active');
    const reserved: string = withNumber.reserved_number;
    this.names.set(SITTER.phone, `${SITTER.name}'s phone`).set(reserved, `${SITTER.name}'s masked number`);
    this.say(`   ${SITTER.name} is active; clients text ${reserved}`);

    this.step('2. Ops buy the pool (POST /numbers/purchase, answered at once; bought in the background)');
    const bought = await this.call('POST', '/numbers/purchase', { lifecycle: 'pool', area_code: '720', quantity: 3 });
    for (const n of bought.numbers as Array<{ number_inventory_id: string }>) {
      const ready = await this.until('a pool number is bought', () => this.call('GET', `/numbers/${n.number_inventory_id}`), (r) => r.status === 'ready');
      this.names.set(ready.phone_number, `pool ${ready.phone_number}`);
      this.say(`   pool number ${ready.phone_number} ready`);
    }

    this.step('3. Time to Pet syncs a client (old Zap 1): POST /clients/sync');
    await this.call('POST', '/clients/sync', ANN);
    this.names.set(ANN.phone, 'Ann Lee');
    this.names.set(BOB_PHONE, 'a new client');

    this.step('4. Ann texts the sitter; the sitter sees her in a thread of her own, prefixed');
    const toSitter = await this.text(ANN.phone, reserved, 'Hi Sam, is Rex eating well?', SITTER.phone);
    const annThread = toSitter.from;

    this.step('5. The sitter replies in that thread; Ann sees it from the sitter\'s masked number');
    await this.text(SITTER.phone, annThread, 'He is! Long walk this morning too.', ANN.phone);

    this.step('6. A second client texts for the first time: a different pool number, an unknown-name label');
    const second = await this.text(BOB_PHONE, reserved, 'Hello, do you have time next week?', SITTER.phone);
    this.say(`   different thread from Ann's: ${second.from !== annThread ? 'yes' : 'NO'}`);
    if (second.from === annThread) throw new Error('the second client got the same pool number as the first');

    this.step('7. The capacity check runs (old Zap 4; also scheduled): POST /inventory/check-and-replenish');
    const check = await this.call('POST', '/inventory/check-and-replenish', {});
    const percent = (rate: number) => `${Math.round(rate * 100)} %`;
    this.say(`   pool utilization ${percent(check.utilization_rate)} against the ${percent(check.threshold)} threshold: ${check.action === 'purchased' ? `bought ${check.number_inventory_ids.length}` : `nothing bought (${check.reason})`}`);

    this.step('8. A reply Twilio cannot deliver (30007, filtered): the sitter is told in that client\'s thread');
    if (this.relayMode === 'proxy') this.say('   (messaging mode only: Proxy delivers and reports its own interactions)');
    else await this.deliveryFailure(second.from);

    this.step('9. Practice software opens an outreach conversation: POST /outreach/conversations');
    await this.outreach();
    this.say('\nDemo finished: every step happened.');
  }

  private async deliveryFailure(bobThread: string): Promise<void> {
    this.sim.setDeliveryOutcome(BOB_PHONE, { status: 'undelivered', errorCode: 30007 });
    const before = this.sim.messages.length;
    await this.sim.sendInboundSms({ from: SITTER.phone, to: bobThread, body: 'Yes, Tuesday works.' });
    const alert = await this.until(
      'the sitter is alerted',
      async () => this.sim.messages.slice(before).find((m) => m.to === SITTER.phone),
      (m) => m !== undefined,
    );
    this.line(alert!.from, alert!.to, alert!.body);
  }

  private async outreach(): Promise<void> {
    const outreach = await this.call('POST', '/outreach/conversations', {
      tenant_id: '7d0f3a52-2c4b-4f7e-9a61-0e8b5c3d2f10',
      practice_id: '0b6f6c2e-3f0a-4c8e-9d3b-5a1e2f3c4d5e',
      coordinator_sax_id: '4200000000000001',
      patient_phone: '+17205550123',
      friendly_name: 'Jane D. follow-up',
    });
    this.say(`   conversation ${outreach.conversation_id} (${outreach.action}), Twilio ${outreach.twilio_sid}`);
  }

  /** an inbound text as Twilio posts it, then the relayed text the recipient gets */
  private async text(from: string, to: string, body: string, expectedRecipient: string) {
    this.line(from, to, body);
    const before = this.sim.messages.length;
    await this.sim.sendInboundSms({ from, to, body });
    const relayed = await this.until(`the text reaches ${this.who(expectedRecipient)}`, async () => this.sim.messages.slice(before).find((m) => m.to === expectedRecipient), (m) => m !== undefined);
    this.line(relayed!.from, relayed!.to, relayed!.body, '   relayed: ');
    return relayed!;
  }

  private async call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<any> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: { 'x-api-key': this.apiKey, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const answer = await res.json();
    if (res.status >= 400) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(answer)}`);
    return answer;
  }

  private async until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    for (;;) {
      const value = await read();
      if (done(value)) return value;
      if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${STEP_TIMEOUT_MS / 1000} s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private who(phone: string): string {
    return this.names.get(phone) ?? phone;
  }

  private line(from: string, to: string, body: string, lead = '   '): void {
    this.say(`${lead}${this.who(from)} (${from}) -> ${this.who(to)} (${to}): "${body}"`);
  }

  private step(title: string): void {
    this.say(`\n${title}`);
  }

  private say(text: string): void {
    process.stdout.write(`${text}\n`);
  }
}

/** the demo always runs on the simulator, whatever the shell's environment holds */
function withoutTwilioAccount(env: NodeJS.ProcessEnv): Record<string, string> {
  const { TWILIO_ACCOUNT_SID: _sid, TWILIO_AUTH_TOKEN: _token, TWILIO_BASE_URL: _url, ...rest } = env;
  return rest as Record<string, string>;
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function deletePrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } catch {
    // the demo's keys expire with their queues; nothing to do when Redis is gone
  } finally {
    redis.disconnect();
  }
}

new Demo(process.argv.includes('--proxy') ? 'proxy' : 'messaging').run().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`\ndemo failed: ${error.message}\n`);
    process.exit(1);
  },
);
