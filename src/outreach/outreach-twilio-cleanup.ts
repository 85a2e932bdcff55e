import { Injectable, Logger } from '@nestjs/common';
import { CAPPED_BACKOFF, JobName, JobOf, JobQueue, OnJob } from '@maskline/jobs';
import { AuditLog, AuditSeverity } from '@maskline/store';
import { TelephonyError, TelephonyGateway } from '@maskline/telephony';
import { OutreachConversationStore } from './outreach-conversations.port';

declare module '@maskline/jobs' {
  interface JobDataMap {
    /** handler: OutreachTwilioCleanup.runRelease */
    [JobName.OutreachReleaseConversation]: ReleaseConversationJobData;
  }
}

/** What to do with a Twilio conversation no outreach row uses: delete an orphan a request created, close a closed row's. */
export type TwilioRelease = 'delete' | 'close';

export interface ReleaseConversationJobData {
  twilioSid: string;
  how: TwilioRelease;
  reason: string;
}

// 20 attempts from 2 s, capped at a minute between them: about a quarter of an hour of Twilio trouble
const RELEASE_ATTEMPTS = 20;
const releaseJobId = (twilioSid: string, how: TwilioRelease) => `outreach-${how}-${twilioSid}`;

/**
 * Ends Twilio conversations outreach no longer uses. A conversation a request
 * created and the database did not keep is deleted (left alone it would hold
 * the patient's binding and block the next conversation); a closed row's is
 * closed. The call is made at once; when Twilio fails it is audited and
 * retried by a queued job, which checks again that no row uses the
 * conversation before acting. Nothing is lost: a job out of attempts, or a
 * job Redis would not take, is audited as an error naming the conversation.
 */
@Injectable()
export class OutreachTwilioCleanup {
  private readonly logger = new Logger(OutreachTwilioCleanup.name);

  constructor(
    private readonly telephony: TelephonyGateway,
    private readonly store: OutreachConversationStore,
    private readonly jobs: JobQueue,
    private readonly audit: AuditLog,
  ) {}

  /** ends it now, or audits and queues a retry; never throws */
  async release(twilioSid: string, how: TwilioRelease, reason: string): Promise<void> {
    try {
      await this.perform(twilioSid, how);
      return;
    } catch (error) {
      this.logger.warn({ twilioSid, how, reason, err: (error as Error).message }, 'Twilio conversation release failed; queued for retry');
      await this.record('outreach.twilio_release_failed', 'warning', { twilioSid, how, reason }, error);
    }
    try {
      // an earlier job for this conversation that ran out of attempts would make BullMQ ignore the add
      await this.jobs.removeFinished(JobName.OutreachReleaseConversation, releaseJobId(twilioSid, how));
      await this.jobs.queue(
        JobName.OutreachReleaseConversation,
        { twilioSid, how, reason },
        { jobId: releaseJobId(twilioSid, how), attempts: RELEASE_ATTEMPTS, backoff: { type: CAPPED_BACKOFF, delay: 2_000 } },
      );
    } catch (error) {
      this.logger.error({ twilioSid, how, err: (error as Error).message }, 'Twilio conversation release could not be queued');
      await this.record('outreach.twilio_release_unqueued', 'error', { twilioSid, how, reason }, error);
    }
  }

  @OnJob(JobName.OutreachReleaseConversation)
  async runRelease(job: JobOf<JobName.OutreachReleaseConversation>): Promise<'released' | 'in_use'> {
    const data = job.data;
    // a row may have come to use it since (a caller-provided twilio_sid): then it is not ours to end
    if (await this.store.isTwilioConversationInUse(data.twilioSid)) {
      await this.record('outreach.twilio_release_skipped', 'info', data);
      return 'in_use';
    }
    try {
      await this.perform(data.twilioSid, data.how);
    } catch (error) {
      if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) await this.record('outreach.twilio_release_abandoned', 'error', data, error);
      throw error;
    }
    await this.record('outreach.twilio_released', 'info', data);
    return 'released';
  }

  private perform(twilioSid: string, how: TwilioRelease): Promise<void> {
    return how === 'delete' ? this.telephony.deleteConversation(twilioSid) : this.telephony.closeConversation(twilioSid);
  }

  private async record(eventType: string, severity: AuditSeverity, data: ReleaseConversationJobData, error?: unknown): Promise<void> {
    const failure = error === undefined ? {} : { error: (error as Error).message, twilio_code: error instanceof TelephonyError ? error.code : null };
    await this.audit
      .record({ eventType, category: 'outreach', severity, details: { twilio_sid: data.twilioSid, action: data.how, reason: data.reason, ...failure } })
      .catch((auditError: unknown) => this.logger.error({ twilioSid: data.twilioSid, eventType, err: (auditError as Error).message }, 'outreach audit event not recorded'));
  }
}
