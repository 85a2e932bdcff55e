import { TwilioErrors } from '../http/twilio-api-error';
import { NumberBook } from './number-book';
import { newSid } from './sids';

export type MessageStatus = 'queued' | 'sent' | 'delivered' | 'undelivered' | 'failed';

export interface MessageRecord {
  sid: string;
  from: string;
  to: string;
  body: string;
  mediaUrls: string[];
  statusCallback: string | null;
  status: MessageStatus;
  errorCode: number | null;
  dateCreated: Date;
  dateUpdated: Date;
  dateSent: Date | null;
}

export interface SendRequest {
  from?: string;
  to?: string;
  body?: string;
  mediaUrls: string[];
  statusCallback?: string;
}

export interface MessageListFilter {
  from?: string;
  to?: string;
  dateSent?: Date;
  dateSentAfter?: Date;
  dateSentBefore?: Date;
}

const E164 = /^\+[1-9]\d{6,14}$/;

/** Outbound messages the account sent (Messages create and Proxy message interactions). */
export class MessageLog {
  readonly messages: MessageRecord[] = [];

  constructor(private readonly numbers: NumberBook) {}

  send(request: SendRequest): MessageRecord {
    if (!request.to) throw TwilioErrors.toRequired();
    if (!E164.test(request.to)) throw TwilioErrors.invalidTo(request.to);
    if (!request.body && request.mediaUrls.length === 0) throw TwilioErrors.bodyRequired();
    if (!request.from) throw TwilioErrors.missingParameter('From');
    if (!this.numbers.findByPhone(request.from)) throw TwilioErrors.fromNotOwned(request.from);
    return this.record({ from: request.from, to: request.to, body: request.body ?? '', mediaUrls: request.mediaUrls, statusCallback: request.statusCallback });
  }

  /** Records a message the platform sends on its own (Proxy interactions): no sender check. */
  record(input: { from: string; to: string; body: string; mediaUrls: string[]; statusCallback?: string }): MessageRecord {
    const now = new Date();
    const message: MessageRecord = {
      sid: newSid(input.mediaUrls.length ? 'MM' : 'SM'),
      ...input,
      statusCallback: input.statusCallback ?? null,
      status: 'queued',
      errorCode: null,
      dateCreated: now,
      dateUpdated: now,
      dateSent: null,
    };
    this.messages.push(message);
    return message;
  }

  find(sid: string): MessageRecord | undefined {
    return this.messages.find((m) => m.sid === sid);
  }

  /**
   * Twilio's DateSent filters compare whole UTC days (`DateSent>=2025-01-01`:
   * on or after that day). A message still queued has no date_sent yet; here
   * its creation date stands in for it.
   */
  list(filter: MessageListFilter): MessageRecord[] {
    const day = (d: Date) => d.toISOString().slice(0, 10);
    const sentDay = (m: MessageRecord) => day(m.dateSent ?? m.dateCreated);
    const matches = (m: MessageRecord) =>
      (filter.from === undefined || m.from === filter.from) &&
      (filter.to === undefined || m.to === filter.to) &&
      (filter.dateSent === undefined || sentDay(m) === day(filter.dateSent)) &&
      (filter.dateSentAfter === undefined || sentDay(m) >= day(filter.dateSentAfter)) &&
      (filter.dateSentBefore === undefined || sentDay(m) <= day(filter.dateSentBefore));
    // Twilio lists newest first
    return this.messages.filter(matches).reverse();
  }

  reset(): void {
    this.messages.length = 0;
  }
}
