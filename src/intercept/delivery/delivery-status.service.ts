import { Injectable } from '@nestjs/common';
import { MessageLog } from '@maskline/store';
import { DeliveryStatusUpdate, isDeliveryFailure, isDeliveryOutcome, statusRank } from '../rules/delivery-status';
import { DeliveryFailureService } from './delivery-failure.service';
import { PendingMessageLog } from './pending-message-log';

/**
 * Delivery statuses of relayed messages. A status only moves forward
 * (queued → sending → sent → delivered|undelivered|failed): a duplicate or
 * late callback stops at the rank check and changes nothing, so it never
 * retries or alerts twice. A failure hands the message to the failure policy.
 */
@Injectable()
export class DeliveryStatusService {
  constructor(
    private readonly pending: PendingMessageLog,
    private readonly messages: MessageLog,
    private readonly failures: DeliveryFailureService,
  ) {}

  async record(update: DeliveryStatusUpdate): Promise<void> {
    const rank = statusRank(update.status);
    if (rank === 0) return;
    const undo = await this.pending.advance(update.messageSid, rank);
    if (!undo) return;
    try {
      await this.apply(update);
    } catch (error) {
      // the callback failed (Twilio may deliver it again): it must then count as new
      await undo().catch(() => undefined);
      throw error;
    }
  }

  private async apply(update: DeliveryStatusUpdate): Promise<void> {
    if (!isDeliveryOutcome(update.status)) return this.pending.noteProgress(update.messageSid, update.status);
    const taken = await this.pending.take(update.messageSid, update);
    if (!taken) await this.messages.updateStatus(update.messageSid, update.status, update.errorCode);
    await this.failures.onOutcome(update.messageSid, update.status);
    if (!isDeliveryFailure(update.status)) return;
    // the message as sent: still waiting here, or already in the log (a flush came first)
    const message = taken ?? (await this.messages.findByTwilioSid(update.messageSid));
    if (!message) return;
    await this.failures.onFailure({
      twilioSid: update.messageSid,
      status: update.status,
      errorCode: update.errorCode,
      failedAt: new Date().toISOString(),
      direction: message.direction,
      sessionId: message.sessionId ?? null,
      inboundSid: message.inboundSid ?? update.messageSid,
      from: message.from,
      to: message.to,
      body: message.body,
      mediaUrls: message.mediaUrls ?? [],
    });
  }
}
