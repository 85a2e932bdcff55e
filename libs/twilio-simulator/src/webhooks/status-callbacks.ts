import { setTimeout as sleep } from 'node:timers/promises';
import { MessageRecord, MessageStatus } from '../state/message-log';
import { SignedWebhookClient } from './signed-webhook-client';
import { sharedAbortController } from '../shared-abort';

/** How delivery to one recipient ends, instead of `delivered`. */
export interface DeliveryOutcome {
  status: 'undelivered' | 'failed';
  /** Twilio's delivery error code, e.g. 30003 (unreachable) or 30007 (filtered) */
  errorCode: number;
  /** only the next this many messages to the recipient end so; then they are delivered again (unset: all) */
  times?: number;
}

/** US carriers' answer to a text from a number in no registered Messaging Service */
export const UNREGISTERED_SENDER: DeliveryOutcome = { status: 'failed', errorCode: 30034 };

/**
 * Moves each sent message through its statuses (queued, sent, delivered, or
 * the failure configured for its recipient) and, when the message has a
 * StatusCallback, posts Twilio's signed status callback for every step,
 * asynchronously and in order.
 */
export class StatusCallbackDispatcher {
  private readonly outcomes = new Map<string, DeliveryOutcome>();
  /** set by the simulator: whether carriers refuse this sender (A2P 10DLC) */
  blocksSender: (from: string) => boolean = () => false;
  private cancel = sharedAbortController();

  constructor(
    private readonly client: SignedWebhookClient,
    private readonly accountSid: string,
    private readonly stepDelayMs: number,
  ) {}

  setOutcome(to: string, outcome: DeliveryOutcome): void {
    this.outcomes.set(to, { ...outcome });
  }

  dispatch(message: MessageRecord): void {
    void this.run(message, this.cancel.signal);
  }

  /** Stops every pending progression and forgets configured outcomes. */
  reset(): void {
    this.cancel.abort();
    this.cancel = sharedAbortController();
    this.outcomes.clear();
  }

  private outcomeFor(message: MessageRecord): DeliveryOutcome | undefined {
    if (this.blocksSender(message.from)) return UNREGISTERED_SENDER;
    const outcome = this.outcomes.get(message.to);
    if (outcome?.times !== undefined) {
      if (outcome.times <= 1) this.outcomes.delete(message.to);
      else outcome.times -= 1;
    }
    return outcome;
  }

  private steps(message: MessageRecord): { statuses: MessageStatus[]; errorCode: number | null } {
    const outcome = this.outcomeFor(message);
    if (!outcome) return { statuses: ['queued', 'sent', 'delivered'], errorCode: null };
    // a failed message never left Twilio; an undelivered one was sent but the carrier refused it
    return { statuses: outcome.status === 'failed' ? ['queued', 'failed'] : ['queued', 'sent', 'undelivered'], errorCode: outcome.errorCode };
  }

  private async run(message: MessageRecord, signal: AbortSignal): Promise<void> {
    const { statuses, errorCode } = this.steps(message);
    for (const status of statuses) {
      const cancelled = await sleep(this.stepDelayMs, false, { signal }).catch(() => true);
      if (cancelled) return;
      const now = new Date();
      const failed = status === 'failed' || status === 'undelivered';
      Object.assign(message, { status, dateUpdated: now, errorCode: failed ? errorCode : null });
      if (status === 'sent') message.dateSent = now;
      if (message.statusCallback) await this.client.deliver('status-callback', message.statusCallback, this.params(message)).catch(() => undefined);
    }
  }

  private params(message: MessageRecord): Record<string, string> {
    const params: Record<string, string> = {
      AccountSid: this.accountSid,
      ApiVersion: '2010-04-01',
      From: message.from,
      To: message.to,
      MessageSid: message.sid,
      SmsSid: message.sid,
      MessageStatus: message.status,
      SmsStatus: message.status,
    };
    if (message.errorCode !== null) params.ErrorCode = String(message.errorCode);
    return params;
  }
}
