import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import request from 'supertest';
import { AuditEvent, AuditLog, ClientRepository, MessageLog, NumberRepository, SessionRepository, Sitter, SitterRepository } from '@maskline/store';
import type { InboundSmsInput, MessageRecord } from '@maskline/twilio-simulator';
import { JobName, QueueName } from '@maskline/jobs';
import { startTestApp, TestApp } from '../../support/test-app';
import { RelaySetupService } from '../../../src/inventory/purchase/relay-setup.service';

let serial = 0;
/** Distinct fictional phones per kind, so a test's sitters and clients never collide with owned numbers. */
export function phoneFor(kind: 'sitter' | 'client' | 'stranger'): string {
  serial += 1;
  const area = { sitter: '970', client: '719', stranger: '505' }[kind];
  return `+1${area}${String(2000000 + serial).padStart(7, '0')}`;
}

export interface SeededSitter {
  sitter: Sitter;
  /** the reserved number clients text */
  reserved: string;
}

/**
 * The relay's world in one e2e app: sitters with reserved numbers and ready
 * pool numbers seeded through the store ports, their Twilio numbers owned by
 * the simulator with SmsUrl pointing at the app, and helpers to text and wait.
 */
export class RelayWorld {
  constructor(readonly t: TestApp) {}

  /** RELAY_MODE of the app: in proxy mode every number of the world is also in the Proxy service */
  get mode(): 'messaging' | 'proxy' {
    return this.t.config.twilio.relayMode;
  }

  /** puts an owned number in the Proxy service as the purchase worker does (proxy mode only) */
  private async joinProxy(numberSid: string, lifecycle: 'pool' | 'reserved'): Promise<void> {
    if (this.mode === 'proxy') await this.t.app.get(RelaySetupService).joinProxyService(numberSid, lifecycle);
  }

  get smsUrl(): string {
    return `${this.t.url}/intercept`;
  }
  get sitters(): SitterRepository {
    return this.t.app.get(SitterRepository);
  }
  get numbers(): NumberRepository {
    return this.t.app.get(NumberRepository);
  }
  get clients(): ClientRepository {
    return this.t.app.get(ClientRepository);
  }
  get sessions(): SessionRepository {
    return this.t.app.get(SessionRepository);
  }
  get messageLog(): MessageLog {
    return this.t.app.get(MessageLog);
  }
  get audit(): AuditLog {
    return this.t.app.get(AuditLog);
  }
  get relayQueue(): Queue {
    return this.t.app.get<Queue>(getQueueToken(QueueName.Relay));
  }

  async addSitter(name: string, phone = phoneFor('sitter')): Promise<SeededSitter> {
    const { sitter } = await this.sitters.upsertByPhone({ name, phone });
    const owned = this.t.sim.addOwnedNumber({ areaCode: '303', smsUrl: this.smsUrl });
    await this.joinProxy(owned.sid, 'reserved');
    return { sitter: await this.sitters.setReservedNumber(sitter.id, owned.phoneNumber, 'active'), reserved: owned.phoneNumber };
  }

  /** ready pool numbers, as a finished purchase leaves them */
  async addPoolNumbers(count: number): Promise<string[]> {
    const pending = await this.numbers.createPending(Array.from({ length: count }, () => ({ lifecycle: 'pool' as const, areaCode: '720' })));
    const phones: string[] = [];
    for (const record of pending) {
      const owned = this.t.sim.addOwnedNumber({ areaCode: '720', smsUrl: this.smsUrl });
      await this.joinProxy(owned.sid, 'pool');
      await this.numbers.markReady(record.id, { phoneNumber: owned.phoneNumber, twilioSid: owned.sid, purchasedAt: new Date() });
      phones.push(owned.phoneNumber);
    }
    return phones;
  }

  /** a number we own on Twilio (in the Proxy service, in proxy mode) that is in no inventory record */
  async addStrayNumber(): Promise<string> {
    const owned = this.t.sim.addOwnedNumber({ areaCode: '303', smsUrl: this.smsUrl });
    await this.joinProxy(owned.sid, 'reserved');
    return owned.phoneNumber;
  }

  /** Twilio delivering again what it posted for one inbound text: the webhook, or in proxy mode Proxy's callbacks */
  async redeliver(messageSid: string): Promise<{ status: number }[]> {
    return this.mode === 'proxy' ? this.t.sim.redeliverProxyCallbacks(messageSid) : [await this.t.sim.redeliverInboundSms(messageSid)];
  }

  syncClient(fields: Record<string, unknown>) {
    return request(this.t.url).post('/clients/sync').set(this.t.auth).send(fields);
  }

  /** the signed inbound webhook, as Twilio posts it; answers the app's HTTP answer */
  text(input: InboundSmsInput) {
    return this.t.sim.sendInboundSms(input);
  }

  sentTo(phone: string): MessageRecord[] {
    return this.t.sim.messages.filter((m) => m.to === phone);
  }

  async waitForSent(phone: string, count: number, timeoutMs = 10_000): Promise<MessageRecord[]> {
    await this.t.sim.waitFor((s) => s.messages.filter((m) => m.to === phone).length >= count, timeoutMs);
    return this.sentTo(phone);
  }

  /** every relay job has finished (nothing waiting, running or retrying); message-log flushes wait minutes by design */
  async waitForRelayIdle(timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const counts = await this.relayQueue.getJobCounts('waiting', 'active', 'prioritized');
      const delayed = (await this.relayQueue.getDelayed()).filter((j) => j.name !== JobName.RelayFlushMessageLog).length;
      if (delayed === 0 && Object.values(counts).every((n) => n === 0)) return;
      if (Date.now() > deadline) throw new Error(`relay queue not idle: ${JSON.stringify({ ...counts, delayed })}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** polls a read until it satisfies the check */
  async eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (ok(value)) return value;
      if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms: ${JSON.stringify(value)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async auditEvents(eventType: string): Promise<AuditEvent[]> {
    return this.audit.listRecent(500, eventType);
  }
}

export interface RelayFixture {
  t: TestApp;
  world: RelayWorld;
  /** the seeded sitter, when one was asked for */
  sitter: SeededSitter;
}

/** One app for the enclosing describe block (started in beforeAll, closed in afterAll), optionally with a sitter and ready pool numbers. */
export function useRelayApp(seed: { sitter?: string; poolNumbers?: number; env?: Record<string, string> } = {}): RelayFixture {
  const fixture = {} as RelayFixture;
  beforeAll(async () => {
    fixture.t = await startTestApp({ env: seed.env });
    fixture.world = new RelayWorld(fixture.t);
    if (seed.sitter) fixture.sitter = await fixture.world.addSitter(seed.sitter);
    if (seed.poolNumbers) await fixture.world.addPoolNumbers(seed.poolNumbers);
  });
  afterAll(async () => {
    await fixture.t?.close();
  });
  return fixture;
}
