import { Injectable, Logger } from '@nestjs/common';
import { JobsOptions, UnrecoverableError } from 'bullmq';
import { AppConfig } from '@maskline/config';
import { JobName, JobOf, JobQueue, OnJob } from '@maskline/jobs';
import { RedisService } from '@maskline/redis';
import { AuditLog, MessageDirection, MessageLog } from '@maskline/store';
import { SentMessage, TelephonyError, TelephonyGateway } from '@maskline/telephony';
import { maskPhone } from '../../common/phone/phone';
import { PendingMessageLog } from '../delivery/pending-message-log';

declare module '@maskline/jobs' {
  interface JobDataMap {
    [JobName.RelaySendSms]: SendSmsJobData;
  }
}

export interface SendSmsJobData {
  direction: MessageDirection;
  sessionId: string | null;
  /** the inbound message this send relays (its MessageSid) */
  inboundSid: string;
  from: string;
  to: string;
  body: string;
  mediaUrls: string[];
}

// Completed relay jobs are kept two days: the window in which a redelivered MessageSid is recognised.
export const RELAY_JOB_RETENTION: JobsOptions = { removeOnComplete: { age: 2 * 24 * 3600 }, removeOnFail: { age: 30 * 24 * 3600 } };

// Job ids come from Twilio's MessageSid (SM/MM + hex: never all digits, no ':'):
// a routing job that runs twice (stalled worker) queues the same send again, a no-op.
const sendJobId = (inboundSid: string) => `send-${inboundSid}`;

/** Delivery receipts normally arrive within seconds; a message still unreported after this is logged as it stands. */
export const FLUSH_MESSAGE_LOG_AFTER_MS = 2 * 60_000;

const SENT_MARKER_TTL_S = 7 * 24 * 3600;

export const STATUS_CALLBACK_PATH = '/twilio/status';

/**
 * Sends one relayed SMS. Twilio's create is not idempotent, so what Twilio
 * accepted is remembered in Redis under the job id right away: a retry after
 * that point (Redis or the queue hiccuped, the worker died) finishes the job
 * instead of sending twice. The message then waits in PendingMessageLog for
 * its delivery outcome and is logged once, with it. A send whose answer never
 * came (timeout) is retried like a 5xx: Messages has no idempotency key, and
 * a rare duplicate beats a lost message.
 */
@Injectable()
export class RelaySenderService {
  private readonly logger = new Logger(RelaySenderService.name);

  constructor(
    private readonly telephony: TelephonyGateway,
    private readonly messages: MessageLog,
    private readonly pendingLog: PendingMessageLog,
    private readonly jobs: JobQueue,
    private readonly audit: AuditLog,
    private readonly redis: RedisService,
    private readonly config: AppConfig,
  ) {}

  /** Queues one outgoing SMS (from the routing job), retried with back-off. */
  async send(data: SendSmsJobData): Promise<void> {
    await this.jobs.queue(JobName.RelaySendSms, data, {
      ...RELAY_JOB_RETENTION,
      jobId: sendJobId(data.inboundSid),
      attempts: this.config.relay.sendAttempts,
      backoff: { type: 'exponential', delay: 1_000 },
    });
  }

  @OnJob(JobName.RelaySendSms)
  async runSend(job: JobOf<JobName.RelaySendSms>): Promise<SentMessage> {
    const data = job.data;
    const markerKey = `relay:sent:${job.id}`;
    const remembered = await this.redis.client.get(markerKey);
    let sent: SentMessage;
    if (remembered) {
      sent = JSON.parse(remembered) as SentMessage;
    } else {
      sent = await this.sendOnce(job);
      await this.pendingLog.hold({ ...this.logFields(data), twilioSid: sent.sid, status: sent.status });
      await this.redis.client.set(markerKey, JSON.stringify(sent), 'EX', SENT_MARKER_TTL_S);
    }
    // the message log entry is written by then at the latest
    await this.jobs.queue(
      JobName.RelayFlushMessageLog,
      { twilioSid: sent.sid },
      { ...RELAY_JOB_RETENTION, jobId: `log-${sent.sid}`, delay: FLUSH_MESSAGE_LOG_AFTER_MS, attempts: 8, backoff: { type: 'exponential', delay: 5_000 } },
    );
    return sent;
  }

  private async sendOnce(job: JobOf<JobName.RelaySendSms>): Promise<SentMessage> {
    const { from, to, body, mediaUrls } = job.data;
    try {
      return await this.telephony.sendSms({ from, to, body, mediaUrls, statusCallback: this.config.http.publicBaseUrl + STATUS_CALLBACK_PATH });
    } catch (err) {
      if (!(err instanceof TelephonyError)) throw err;
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (err.retryable && !lastAttempt) {
        this.logger.warn(`Send ${job.id} to ${maskPhone(to)} failed (Twilio ${err.code ?? err.status}); retrying`);
        throw err;
      }
      await this.recordFailure(job, err);
      // a permanent refusal (invalid number, opted-out recipient) will not change on retry
      throw err.retryable ? err : new UnrecoverableError(err.message);
    }
  }

  private async recordFailure(job: JobOf<JobName.RelaySendSms>, err: TelephonyError): Promise<void> {
    const errorCode = err.code !== null ? String(err.code) : err.status !== null ? String(err.status) : null;
    this.logger.error(`Send ${job.id} to ${maskPhone(job.data.to)} failed for good (Twilio ${errorCode ?? 'no answer'})`);
    await this.messages.record({ ...this.logFields(job.data), twilioSid: null, status: 'failed', errorCode });
    await this.audit.record({
      eventType: 'relay_send_failed',
      category: 'relay',
      severity: 'error',
      details: { message_sid: job.data.inboundSid, session_id: job.data.sessionId, direction: job.data.direction, error_code: errorCode, attempts: job.attemptsMade + 1 },
      phoneNumber: maskPhone(job.data.to),
    });
  }

  private logFields(data: SendSmsJobData) {
    return { direction: data.direction, sessionId: data.sessionId, from: data.from, to: data.to, body: data.body, mediaUrls: data.mediaUrls, inboundSid: data.inboundSid };
  }
}
