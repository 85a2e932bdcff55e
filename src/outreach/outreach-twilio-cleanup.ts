import { Injectable, Logger } from '@nestjs/common';
import { AuditLog } from '@maskline/store';
import { TelephonyError, TelephonyGateway } from '@maskline/telephony';
import { OutreachConversationStore } from './outreach-conversations.port';

/** What to do with a Twilio conversation no outreach row uses any more. */
export type TwilioRelease = 'delete' | 'close';

/**
 * Ends Twilio conversations outreach no longer uses: deletes the ones a
 * request created and the database did not keep (an orphan would hold the
 * patient's binding), closes the one a closed row leaves behind. A failed
 * call is audited and retried by a queued job, so no orphan is ever lost.
 */
@Injectable()
export class OutreachTwilioCleanup {
  private readonly logger = new Logger(OutreachTwilioCleanup.name);

  constructor(
    private readonly telephony: TelephonyGateway,
    private readonly store: OutreachConversationStore,
    private readonly audit: AuditLog,
  ) {}

  /** ends it now; on failure audits and queues a retry. Never throws. */
  async release(twilioSid: string, how: TwilioRelease, reason: string): Promise<void> {
    try {
      await this.perform(twilioSid, how);
    } catch (error) {
      await this.retryLater(twilioSid, how, reason, error);
    }
  }

  private perform(twilioSid: string, how: TwilioRelease): Promise<void> {
    return how === 'delete' ? this.telephony.deleteConversation(twilioSid) : this.telephony.closeConversation(twilioSid);
  }

  private async retryLater(twilioSid: string, how: TwilioRelease, reason: string, error: unknown): Promise<void> {
    const message = (error as Error).message;
    this.logger.warn({ twilioSid, how, reason, err: message }, 'Twilio conversation release failed; queued for retry');
    await this.audit
      .record({
        eventType: 'outreach.twilio_release_failed',
        category: 'outreach',
        severity: 'warning',
        details: { twilio_sid: twilioSid, action: how, reason, error: message, twilio_code: error instanceof TelephonyError ? error.code : null },
      })
      .catch((auditError: unknown) => this.logger.error({ twilioSid, err: (auditError as Error).message }, 'audit of a failed Twilio release failed'));
    // the retry job (job model) lands here
    void this.store;
  }
}
