import { ValidationFailedError } from '../../common/http/app-errors';
import { stripControl } from '../../common/http/text-policy';
import { MESSAGE_SID } from './inbound-sms';
import { messageStatusRank } from '@maskline/telephony';

/**
 * Twilio posts a status callback for every step (queued, sent, delivered...).
 * Only outcomes reach the store: with the Airtable driver every write costs
 * part of a 5 requests/s budget. After an outcome nothing else is written,
 * so a late `sent` arriving out of order cannot overwrite `delivered`.
 */
const OUTCOMES = new Set(['delivered', 'undelivered', 'failed', 'read', 'canceled']);

export interface DeliveryStatusUpdate {
  messageSid: string;
  status: string;
  errorCode: string | null;
}

export function isDeliveryOutcome(status: string): boolean {
  return OUTCOMES.has(status);
}

/** MessageSid, MessageStatus (SmsStatus in older callbacks) and ErrorCode of a status callback. */
export function parseStatusCallback(params: Record<string, unknown>): DeliveryStatusUpdate {
  const text = (name: string) => {
    const value = params[name];
    const clean = typeof value === 'string' ? stripControl(value, false) : '';
    return clean === '' ? null : clean;
  };
  const messageSid = text('MessageSid') ?? text('SmsSid');
  const status = text('MessageStatus') ?? text('SmsStatus');
  const problems = [
    ...(messageSid && MESSAGE_SID.test(messageSid) ? [] : [{ field: 'MessageSid', messages: ['MessageSid must be a Twilio message SID (SM/MM + 32 hex)'] }]),
    ...(status ? [] : [{ field: 'MessageStatus', messages: ['MessageStatus is required'] }]),
  ];
  if (problems.length) throw new ValidationFailedError(problems);
  const errorCode = text('ErrorCode');
  return { messageSid: messageSid!, status: status!.toLowerCase(), errorCode: errorCode && errorCode !== '0' ? errorCode : null };
}

/**
 * Where a status sits on the one way a message moves:
 * queued → sending → sent → delivered|undelivered|failed (→ read).
 * Twilio may post `sent` after `delivered`, or one callback twice: only a
 * status ranked above the one recorded changes anything. 0: not a step of
 * an outbound message (never recorded).
 */
export function statusRank(status: string): number {
  return messageStatusRank(status) ?? 0;
}

export function isDeliveryFailure(status: string): boolean {
  return status === 'failed' || status === 'undelivered';
}

/** Twilio's meaning of the delivery error codes a relay meets (twilio.com/docs/api/errors). */
const MEANINGS: Record<string, string> = {
  '30001': 'Queue overflow',
  '30002': 'Account suspended',
  '30003': 'Unreachable destination handset',
  '30004': 'Message blocked',
  '30005': 'Unknown destination handset',
  '30006': 'Landline or unreachable carrier',
  '30007': 'Message filtered by the carrier',
  '30008': 'Unknown error',
  '30010': 'Message price exceeds max price',
  '30019': 'Content size exceeds carrier limit',
  '30032': 'Toll-free number has not been verified',
  '30034': 'Message from an unregistered number (A2P 10DLC)',
  '21610': 'Recipient unsubscribed (STOP)',
  '21614': 'Not a mobile number',
};

export function errorMeaning(code: string | null): string {
  if (code === null) return 'No error code given';
  return MEANINGS[code] ?? `Twilio error ${code}`;
}

/** 30034 and 30002 make every later text fail too: the owner hears of them at once. */
export const OWNER_ALERT_AT_ONCE: ReadonlySet<string> = new Set(['30034', '30002']);

export type FailureAction = 'retry' | 'alert_sitter' | 'record';

/**
 * The failure policy of SPEC 6 for one failed message. A temporary code is
 * retried once (`alreadyRetried`: this relay had its retry); anything else,
 * or the retry's own failure, alerts the sitter when the message belongs to
 * a client's thread. Alerts and notices never alert nor retry: an alert
 * about an alert would loop.
 */
export function decideFailure(input: { direction: string; errorCode: string | null; temporaryCodes: readonly string[]; alreadyRetried: boolean }): FailureAction {
  if (input.direction === 'alert') return 'record';
  const temporary = input.errorCode !== null && input.temporaryCodes.includes(input.errorCode);
  if (temporary && !input.alreadyRetried) return 'retry';
  return input.direction === 'client_to_sitter' || input.direction === 'sitter_to_client' ? 'alert_sitter' : 'record';
}
