import { ValidationFailedError } from '../../common/http/app-errors';
import { stripControl } from '../../common/http/text-policy';
import { MESSAGE_SID } from './inbound-sms';

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
