import { Injectable } from '@nestjs/common';
import { MessageLog } from '@maskline/store';
import { DeliveryStatusUpdate, isDeliveryOutcome } from '../rules/delivery-status';
import { PendingMessageLog } from './pending-message-log';

/** Delivery statuses of relayed messages (the failure policy of SPEC 6 builds on this). */
@Injectable()
export class DeliveryStatusService {
  constructor(
    private readonly pending: PendingMessageLog,
    private readonly messages: MessageLog,
  ) {}

  async record(update: DeliveryStatusUpdate): Promise<void> {
    if (!isDeliveryOutcome(update.status)) return this.pending.noteProgress(update.messageSid, update.status);
    if (await this.pending.settle(update.messageSid, update)) return;
    await this.messages.updateStatus(update.messageSid, update.status, update.errorCode);
  }
}
