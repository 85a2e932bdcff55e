import { getQueueToken } from '@nestjs/bullmq';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import type { Queue } from 'bullmq';
import request from 'supertest';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { JobName, QueueName } from '@maskline/jobs';
import type { MessageRecord } from '@maskline/twilio-simulator';
import { RelayWorld } from '../../relay/support/relay-world';
import { TestApp } from '../../support/test-app';

/** The owner's Zapier catch hook: records every JSON POST and answers the scripted statuses, then 200. */
export class OwnerWebhookReceiver {
  readonly received: { status: number; body: Record<string, any> }[] = [];
  /** statuses of the next answers, in order; empty: 200 */
  readonly script: number[] = [];
  private server: Server | null = null;

  async start(): Promise<string> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const status = this.script.shift() ?? 200;
        this.received.push({ status, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') });
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/catch/1/abc`;
  }

  /** the alerts the hook accepted (answered 2xx) */
  get accepted(): Record<string, any>[] {
    return this.received.filter((r) => r.status < 300).map((r) => r.body);
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** The relay world plus the failure policy's queues and Twilio's status callbacks, signed as Twilio signs them. */
export class DeliveryWorld extends RelayWorld {
  constructor(t: TestApp) {
    super(t);
  }

  queue(name: QueueName): Queue {
    return this.t.app.get<Queue>(getQueueToken(name));
  }

  /** a status callback for one of our messages, signed with the account's token (or a wrong one) */
  postStatus(params: { MessageSid: string; MessageStatus: string; ErrorCode?: string; To?: string; From?: string }, opts: { badSignature?: boolean } = {}) {
    const form: Record<string, string> = { AccountSid: this.t.config.twilio.accountSid, ApiVersion: '2010-04-01', SmsSid: params.MessageSid, SmsStatus: params.MessageStatus, ...params } as Record<string, string>;
    const token = opts.badSignature ? 'not-the-auth-token' : this.t.config.twilio.authToken;
    const signature = getExpectedTwilioSignature(token, `${this.t.url}/twilio/status`, form);
    return request(this.t.url).post('/twilio/status').set('x-twilio-signature', signature).type('form').send(form);
  }

  /** status callbacks the simulator delivered for one message, in order */
  callbacksOf(sid: string): string[] {
    return this.t.sim.webhookDeliveries.filter((d) => d.kind === 'status-callback' && d.params.MessageSid === sid).map((d) => d.params.MessageStatus);
  }

  /** waits until the simulator has posted this message's last status and the app answered it */
  async waitForStatus(sid: string, status: string, timeoutMs = 10_000): Promise<void> {
    await this.t.sim.waitFor((s) => s.webhookDeliveries.some((d) => d.kind === 'status-callback' && d.params.MessageSid === sid && d.params.MessageStatus === status && d.status !== null), timeoutMs);
  }

  /** the Relay (minus message-log flushes), Delivery and Alerts queues hold nothing waiting, running or delayed */
  async waitForQuiet(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let busy = 0;
      for (const name of [QueueName.Relay, QueueName.Delivery, QueueName.Alerts]) {
        const q = this.queue(name);
        const counts = await q.getJobCounts('waiting', 'active', 'prioritized');
        busy += Object.values(counts).reduce((a, b) => a + b, 0);
        busy += (await q.getDelayed()).filter((j) => j.name !== JobName.RelayFlushMessageLog).length;
      }
      if (busy === 0) return;
      if (Date.now() > deadline) throw new Error(`queues still busy after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** outbound messages with this body ending (relayed bodies carry the client's prefix) */
  sentWith(text: string): MessageRecord[] {
    return this.t.sim.messages.filter((m) => m.body.endsWith(text));
  }

  alertsTo(phone: string): MessageRecord[] {
    return this.t.sim.messages.filter((m) => m.to === phone && m.body.startsWith('Maskline:'));
  }

  failures(since = new Date(Date.now() - 3600_000)) {
    return request(this.t.url).get('/messages/failures').query({ since: since.toISOString() }).set(this.t.auth);
  }
}
