import { Injectable, Logger, Optional } from '@nestjs/common';
import { Job, JobsOptions, UnrecoverableError } from 'bullmq';
import { AppConfig } from '@maskline/config';
import { JobName, JobOf, JobQueue, OnJob } from '@maskline/jobs';
import { Metrics } from '@maskline/metrics';
import { RedisService } from '@maskline/redis';
import { AuditLog, MessageDirection, MessageLog } from '@maskline/store';
import { retryTransient, SentMessage, TelephonyError, TelephonyGateway } from '@maskline/telephony';
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

/**
 * Any job that sends one SMS through the exactly-once path: relay sends, and
 * the delivery retries and alerts (their job ids key the send intent, so a
 * re-run of one never sends twice).
 */
export type SendJob = Pick<Job<SendSmsJobData>, 'id' | 'data' | 'attemptsMade' | 'opts'>;

// Completed relay jobs are kept two days: the window in which a redelivered MessageSid is recognised.
export const RELAY_JOB_RETENTION: JobsOptions = { removeOnComplete: { age: 2 * 24 * 3600 }, removeOnFail: { age: 30 * 24 * 3600 } };

// Job ids come from Twilio's MessageSid (SM/MM + hex: never all digits, no ':'):
// a routing job that runs twice (stalled worker) queues the same send again, a no-op.
const sendJobId = (inboundSid: string) => `send-${inboundSid}`;

/** Delivery receipts normally arrive within seconds; a message still unreported after this is logged as it stands. */
export const FLUSH_MESSAGE_LOG_AFTER_MS = 2 * 60_000;

const SENT_MARKER_TTL_S = 7 * 24 * 3600;
const sentMarkerKey = (jobId: string) => `relay:sent:${jobId}`;
/** when a send job first went to call Twilio: a later run looks at Twilio before sending */
const intentKey = (jobId: string) => `relay:send-intent:${jobId}`;
/** which send job a Twilio message belongs to: two sends of the same text adopt different messages */
const sidOwnerKey = (sid: string) => `relay:sid-owner:${sid}`;
/** servers' clocks and Twilio's differ a little: a message created this long before the intent still counts */
const CLOCK_SKEW_MS = 60_000;

export const STATUS_CALLBACK_PATH = '/twilio/status';

/**
 * Sends one relayed SMS, exactly once. Twilio's create has no idempotency
 * key, so the intent to send is recorded in Redis before the call; a run
 * that finds an intent (the worker died, Redis was lost mid-job, the answer
 * timed out after Twilio accepted) first lists what the sender sent the
 * recipient since then and adopts the message with this body, claiming its
 * sid so an identical text of another job is not taken for it; only when
 * none is there does it send. What Twilio accepted is remembered under the
 * job id right away, so a later retry finishes the job without asking. The
 * message then waits in PendingMessageLog for its delivery outcome and is
 * logged once, with it. 429/5xx/timeouts are retried inside the job for
 * TWILIO_RETRY_BUDGET_SECONDS, through the same look-then-send step.
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
    @Optional() private readonly metrics?: Metrics,
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
  runSend(job: JobOf<JobName.RelaySendSms>): Promise<SentMessage> {
    return this.sendOnce(job);
  }

  /** sends the job's SMS unless an earlier run of this job did; the message then waits for its outcome */
  async sendOnce(job: SendJob): Promise<SentMessage> {
    const data = job.data;
    const markerKey = sentMarkerKey(job.id!);
    const remembered = await this.redis.client.get(markerKey);
    let sent: SentMessage;
    if (remembered) {
      sent = JSON.parse(remembered) as SentMessage;
    } else {
      sent = await this.deliver(job);
      this.metrics?.relayed(data.direction, 'sent');
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

  private async deliver(job: SendJob): Promise<SentMessage> {
    try {
      return await retryTransient(() => this.adoptOrSend(job), {
        budgetMs: this.config.twilio.transientRetryBudgetMs,
        onRetry: (err, waitMs) => this.logger.warn(`Send ${job.id} to ${maskPhone(job.data.to)} failed (Twilio ${err.code ?? err.status ?? 'no answer'}); again in ${waitMs} ms`),
      });
    } catch (err) {
      if (!(err instanceof TelephonyError)) throw err;
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (err.retryable && !lastAttempt) {
        this.logger.warn(`Send ${job.id} to ${maskPhone(job.data.to)} still failing (Twilio ${err.code ?? err.status ?? 'no answer'}); the job will run again`);
        throw err;
      }
      await this.recordFailure(job, err);
      // a permanent refusal (invalid number, opted-out recipient) will not change on retry
      throw err.retryable ? err : new UnrecoverableError(err.message);
    }
  }

  /** the message an earlier run of this job got Twilio to accept, or a new one */
  private async adoptOrSend(job: SendJob): Promise<SentMessage> {
    const jobId = job.id!;
    const { from, to, body, mediaUrls } = job.data;
    const first = await this.redis.client.set(intentKey(jobId), String(Date.now()), 'EX', SENT_MARKER_TTL_S, 'NX');
    if (first !== 'OK') {
      const adopted = await this.findSentEarlier(job);
      if (adopted) {
        this.logger.warn(`Send ${jobId} to ${maskPhone(to)} had already reached Twilio (${adopted.sid}): adopted, not sent again`);
        return adopted;
      }
    }
    const sent = await this.telephony.sendSms({ from, to, body, mediaUrls, statusCallback: this.config.http.publicBaseUrl + STATUS_CALLBACK_PATH });
    await this.redis.client.set(sidOwnerKey(sent.sid), jobId, 'EX', SENT_MARKER_TTL_S);
    return sent;
  }

  private async findSentEarlier(job: SendJob): Promise<SentMessage | null> {
    const jobId = job.id!;
    const since = new Date(Number((await this.redis.client.get(intentKey(jobId))) ?? Date.now()) - CLOCK_SKEW_MS);
    const listed = await this.telephony.listSentMessages({ from: job.data.from, to: job.data.to, sentSince: since });
    // oldest first: of two identical texts, the first send job to look takes the first message
    const candidates = listed.filter((m) => m.body === job.data.body && m.dateCreated.getTime() >= since.getTime()).reverse();
    for (const message of candidates) {
      const owner = (await this.redis.client.set(sidOwnerKey(message.sid), jobId, 'EX', SENT_MARKER_TTL_S, 'NX', 'GET')) ?? jobId;
      if (owner === jobId) return { sid: message.sid, status: message.status };
    }
    return null;
  }

  private async recordFailure(job: SendJob, err: TelephonyError): Promise<void> {
    const errorCode = err.code !== null ? String(err.code) : err.status !== null ? String(err.status) : null;
    this.metrics?.relayed(job.data.direction, 'failed');
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
