import { ValidationFailedError } from '../../common/http/app-errors';
import { stripControl } from '../../common/http/text-policy';

/** Twilio sends at most 10 media items per MMS (MediaUrl0..MediaUrl9). */
export const MAX_MEDIA = 10;

export const MESSAGE_SID = /^(SM|MM)[0-9a-fA-F]{32}$/;

/** The fields of Twilio's incoming-message webhook the relay uses. */
export interface InboundSms {
  messageSid: string;
  from: string;
  to: string;
  body: string;
  mediaUrls: string[];
}

// Not only E.164: short codes and alphanumeric senders reach a number too, and are audited as unknown senders.
const ADDRESS = /^[+\w][\w ]{0,31}$/;

/** a posted text field, with control characters stripped (what a phone sent is relayed, cleaned) */
function field(params: Record<string, unknown>, name: string): string | undefined {
  const value = params[name];
  return typeof value === 'string' ? stripControl(value, name === 'Body') : undefined;
}

/**
 * Reads the form Twilio posted (already signature-checked). A MessageSid
 * that is not Twilio's SM/MM shape is refused: it becomes a queue job id.
 */
export function parseInboundSms(params: Record<string, unknown>): InboundSms {
  const problems: { field: string; messages: string[] }[] = [];
  const messageSid = field(params, 'MessageSid') ?? field(params, 'SmsMessageSid');
  if (!messageSid || !MESSAGE_SID.test(messageSid)) problems.push({ field: 'MessageSid', messages: ['MessageSid must be a Twilio message SID (SM/MM + 32 hex)'] });
  const from = field(params, 'From');
  if (!from || !ADDRESS.test(from)) problems.push({ field: 'From', messages: ['From must be a phone number or sender id'] });
  const to = field(params, 'To');
  if (!to || !ADDRESS.test(to)) problems.push({ field: 'To', messages: ['To must be a phone number'] });
  if (problems.length) throw new ValidationFailedError(problems);

  const numMedia = Math.min(MAX_MEDIA, Math.max(0, Number.parseInt(field(params, 'NumMedia') ?? '0', 10) || 0));
  const mediaUrls: string[] = [];
  for (let i = 0; i < numMedia; i += 1) {
    const url = field(params, `MediaUrl${i}`);
    if (url && /^https?:\/\//i.test(url)) mediaUrls.push(url);
  }
  return { messageSid: messageSid!, from: from!, to: to!, body: field(params, 'Body') ?? '', mediaUrls };
}
