import { Injectable, Logger, Optional } from '@nestjs/common';
import { AppConfig } from '@maskline/config';
import { JobName, JobOf, JobQueue, OnJob } from '@maskline/jobs';
import { Metrics } from '@maskline/metrics';
import { AuditLog, ClientRepository, MessageDirection, SessionRepository, SitterRepository } from '@maskline/store';
import { SentMessage } from '@maskline/telephony';
import { maskPhone } from '../../common/phone/phone';
import { RelaySenderService, SendSmsJobData } from '../relay/relay-sender.service';
import { clientLabel } from '../rules/client-prefix';
import { decideFailure, errorMeaning, OWNER_ALERT_AT_ONCE } from '../rules/delivery-status';
import { DeliveryFailure, DeliveryFailureLog, ListedFailure, RetryState } from './delivery-failure-log';
import { OwnerAndSitterAlerts } from './owner-and-sitter-alerts';

declare module '@maskline/jobs' {
  interface JobDataMap {
    [JobName.DeliveryFailure]: FailedMessageJobData;
    [JobName.DeliveryRetry]: DeliveryRetryJobData;
  }
}

/** A relayed message whose status callback said failed/undelivered, with what a retry needs to send it again. */
export interface FailedMessageJobData extends SendSmsJobData {
  twilioSid: string;
  status: string;
  errorCode: string | null;
  failedAt: string;
}
export interface DeliveryRetryJobData extends SendSmsJobData {
  /** the failed message this one sends again */
  retryOf: string;
}

const POLICY_RETENTION = { removeOnComplete: { age: 7 * 24 * 3600 }, removeOnFail: { age: 30 * 24 * 3600 } };
/** one retry per relayed message (its inbound MessageSid): the retry of a retry is never sent */
const RETRY_CLAIM = (relayKey: string) => `delivery:retry-claim:${relayKey}`;
const RETRY_CLAIM_TTL_MS = 30 * 24 * 3600_000;

/**
 * The failure policy of SPEC 6. The status callback only queues one policy
 * job per failed message (job id from its sid); the job decides: a temporary
 * code is retried once, DELIVERY_RETRY_DELAY_SECONDS later, as a delayed job
 * in Redis (it outlives restarts); anything else, and a retry's own failure,
 * is recorded, counted on the client, and alerts the sitter in the client's
 * thread; past OWNER_ALERT_THRESHOLD in the window the owner gets one
 * summary, and 30034/30002 reach the owner at once.
 */
@Injectable()
export class DeliveryFailureService {
  private readonly logger = new Logger(DeliveryFailureService.name);

  constructor(
    private readonly failures: DeliveryFailureLog,
    private readonly alerts: OwnerAndSitterAlerts,
    private readonly relay: RelaySenderService,
    private readonly jobs: JobQueue,
    private readonly sessions: SessionRepository,
    private readonly clients: ClientRepository,
    private readonly sitters: SitterRepository,
    private readonly audit: AuditLog,
    private readonly config: AppConfig,
    @Optional() private readonly metrics?: Metrics,
  ) {}

  /** from the status callback: the policy runs in the Delivery queue, once per failed message */
  async onFailure(data: FailedMessageJobData): Promise<void> {
    await this.jobs.queue(JobName.DeliveryFailure, data, { ...POLICY_RETENTION, jobId: `failure-${data.twilioSid}`, attempts: 8, backoff: { type: 'exponential', delay: 2_000 } });
  }

  /** an outcome of a retry becomes the retry state of the message it retried */
  async onOutcome(twilioSid: string, status: string): Promise<void> {
    const original = await this.failures.retryOrigin(twilioSid);
    if (original) await this.failures.setRetryState(original, status === 'delivered' || status === 'read' ? 'delivered' : 'failed');
  }

  listSince(since: Date, limit: number): Promise<ListedFailure[]> {
    return this.failures.listSince(since, limit);
  }

  @OnJob(JobName.DeliveryFailure)
  async applyPolicy(job: JobOf<JobName.DeliveryFailure>): Promise<{ action: string }> {
    const d = job.data;
    const temporary = d.errorCode !== null && this.config.relay.temporaryFailureCodes.includes(d.errorCode);
    const alreadyRetried = temporary && d.direction !== 'alert' ? !(await this.failures.claim(RETRY_CLAIM(d.inboundSid), d.twilioSid, RETRY_CLAIM_TTL_MS)) : false;
    const action = decideFailure({ direction: d.direction, errorCode: d.errorCode, temporaryCodes: this.config.relay.temporaryFailureCodes, alreadyRetried });
    const session = d.sessionId ? await this.sessions.findById(d.sessionId) : null;
    const client = session ? await this.clients.findById(session.clientId) : null;
    const meaning = errorMeaning(d.errorCode);
    const failure: DeliveryFailure = {
      messageSid: d.twilioSid,
      failedAt: d.failedAt,
      status: d.status,
      errorCode: d.errorCode,
      meaning,
      direction: d.direction,
      sessionId: d.sessionId,
      clientId: client?.id ?? null,
      clientLabel: client ? clientLabel(client.name, client.phone) : null,
      action,
      retryOf: await this.failures.retryOrigin(d.twilioSid),
    };
    const retryState: RetryState = action === 'retry' ? 'scheduled' : 'none';
    await this.failures.record(failure, retryState);
    this.metrics?.deliveryFailed(d.errorCode);
    this.logger.warn(`Message ${d.twilioSid} (${d.direction}) to ${maskPhone(d.to)} ${d.status}: ${d.errorCode ?? 'no code'} ${meaning}; ${action}`);
    await this.audit.record({
      eventType: 'delivery_failed',
      category: 'delivery',
      severity: action === 'retry' ? 'warning' : 'error',
      details: { message_sid: d.twilioSid, status: d.status, error_code: d.errorCode, meaning, direction: d.direction, session_id: d.sessionId, action, retry_of: failure.retryOf },
      clientId: client?.id ?? null,
      sitterId: session?.sitterId ?? null,
      phoneNumber: maskPhone(d.to),
    });

    if (action === 'retry') {
      await this.scheduleRetry(d);
      return { action };
    }
    // an alert's own failure is only recorded: it must not feed the owner alerts either
    if (d.direction === 'alert') return { action };
    const failedAt = new Date(d.failedAt);
    const inWindow = await this.failures.countPermanent(d.twilioSid, failedAt, failure.clientId, this.config.alerts.ownerWindowMs);
    if (action === 'alert_sitter' && session && failure.clientLabel) {
      const sitter = await this.sitters.findById(session.sitterId);
      if (sitter) {
        await this.alerts.alertSitter({
          failedSid: d.twilioSid,
          direction: d.direction as 'client_to_sitter' | 'sitter_to_client',
          sessionId: session.id,
          sitterPhone: sitter.phone,
          poolNumber: session.poolNumber,
          clientLabel: failure.clientLabel,
          errorCode: d.errorCode,
          meaning,
        });
      }
    }
    if (this.ownerReachable() && inWindow > this.config.alerts.ownerThreshold) await this.alerts.summaryOnceInWindow(d.twilioSid, d.from, failedAt);
    if (this.ownerReachable() && d.errorCode && OWNER_ALERT_AT_ONCE.has(d.errorCode)) await this.alerts.atOnce(d.errorCode, meaning, d.twilioSid, d.from, failedAt);
    return { action };
  }

  /** the one retry: from the same number to the same person with the same body */
  @OnJob(JobName.DeliveryRetry)
  async sendRetry(job: JobOf<JobName.DeliveryRetry>): Promise<SentMessage> {
    const sent = await this.relay.sendOnce(job);
    await this.failures.linkRetry(job.data.retryOf, sent.sid);
    this.logger.log(`Retry of ${job.data.retryOf} sent to ${maskPhone(job.data.to)} (${sent.sid})`);
    await this.audit.record({
      eventType: 'delivery_retry_sent',
      category: 'delivery',
      details: { message_sid: sent.sid, retry_of: job.data.retryOf, session_id: job.data.sessionId, direction: job.data.direction },
      phoneNumber: maskPhone(job.data.to),
    });
    return sent;
  }

  private async scheduleRetry(d: FailedMessageJobData): Promise<void> {
    const delay = this.config.relay.deliveryRetryDelayMs;
    const retry: DeliveryRetryJobData = { direction: d.direction as MessageDirection, sessionId: d.sessionId, inboundSid: d.inboundSid, from: d.from, to: d.to, body: d.body, mediaUrls: d.mediaUrls, retryOf: d.twilioSid };
    await this.jobs.queue(JobName.DeliveryRetry, retry, { ...POLICY_RETENTION, jobId: `retry-${d.twilioSid}`, delay, attempts: this.config.relay.sendAttempts, backoff: { type: 'exponential', delay: 1_000 } });
    await this.audit.record({
      eventType: 'delivery_retry_scheduled',
      category: 'delivery',
      details: { message_sid: d.twilioSid, error_code: d.errorCode, retry_in_seconds: Math.round(delay / 1000), session_id: d.sessionId },
      phoneNumber: maskPhone(d.to),
    });
  }

  private ownerReachable(): boolean {
    return !!(this.config.alerts.ownerWebhookUrl || this.config.alerts.ownerPhone);
  }
}
