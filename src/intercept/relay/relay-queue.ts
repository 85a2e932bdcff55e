import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppConfig } from '@maskline/config';
import { enqueue } from '../../queues/enqueue';
import { QueueName } from '../../queues/queue-names';
import type { InboundSms } from '../rules/inbound-sms';
import { flushMessageLogJobOptions, RelayJob, routeInboundJobOptions, SendSmsJobData, sendSmsJobOptions } from './relay-jobs';

/** Producer side of the Relay queue. */
@Injectable()
export class RelayQueue {
  constructor(
    @InjectQueue(QueueName.Relay) private readonly queue: Queue,
    private readonly config: AppConfig,
  ) {}

  /** From the webhook: answers 503 rather than hanging when Redis is down (Twilio then retries). */
  async acceptInbound(sms: InboundSms, receivedAt: Date): Promise<void> {
    await enqueue(this.queue, RelayJob.RouteInbound, { ...sms, receivedAt: receivedAt.toISOString() }, routeInboundJobOptions(sms.messageSid));
  }

  /** From the routing job: one send per outgoing SMS, retried with back-off. */
  async send(data: SendSmsJobData): Promise<void> {
    await this.queue.add(RelayJob.SendSms, data, sendSmsJobOptions(data.inboundSid, this.config.relay.sendAttempts));
  }

  /** From the send job: the message log entry is written by then at the latest. */
  async flushMessageLogLater(twilioSid: string): Promise<void> {
    await this.queue.add(RelayJob.FlushMessageLog, { twilioSid }, flushMessageLogJobOptions(twilioSid));
  }
}
