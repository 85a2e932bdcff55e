import { areaCodeOf, localityOf } from '../state/number-stock';
import { newSid } from '../state/sids';

export interface InboundSmsInput {
  from: string;
  to: string;
  body: string;
  mediaUrls?: string[];
  /** defaults to a fresh SM/MM sid */
  messageSid?: string;
}

/** An inbound message the simulator delivered, kept so it can be delivered again. */
export interface InboundSmsRecord {
  messageSid: string;
  from: string;
  to: string;
  body: string;
  mediaUrls: string[];
  url: string;
  method: 'POST' | 'GET';
  params: Record<string, string>;
}

const CONTENT_TYPES: Record<string, string> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', mp4: 'video/mp4', pdf: 'application/pdf' };

function contentTypeOf(url: string): string {
  const extension = /\.([a-z0-9]+)(?:\?|$)/i.exec(url)?.[1]?.toLowerCase() ?? '';
  return CONTENT_TYPES[extension] ?? 'image/jpeg';
}

function geography(prefix: 'From' | 'To', phone: string): Record<string, string> {
  const { locality, region } = localityOf(areaCodeOf(phone) ?? '');
  return { [`${prefix}City`]: locality?.toUpperCase() ?? '', [`${prefix}State`]: region ?? '', [`${prefix}Zip`]: '', [`${prefix}Country`]: 'US' };
}

/** The form fields of Programmable Messaging's incoming-message webhook. */
export function inboundSmsParams(accountSid: string, input: InboundSmsInput): { messageSid: string; params: Record<string, string> } {
  const mediaUrls = input.mediaUrls ?? [];
  const messageSid = input.messageSid ?? newSid(mediaUrls.length ? 'MM' : 'SM');
  const params: Record<string, string> = {
    ...geography('To', input.to),
    ...geography('From', input.from),
    SmsMessageSid: messageSid,
    SmsSid: messageSid,
    MessageSid: messageSid,
    SmsStatus: 'received',
    AccountSid: accountSid,
    From: input.from,
    To: input.to,
    Body: input.body,
    NumMedia: String(mediaUrls.length),
    NumSegments: String(Math.max(1, Math.ceil(input.body.length / 160))),
    ReferralNumMedia: '0',
    ApiVersion: '2010-04-01',
  };
  mediaUrls.forEach((url, i) => {
    params[`MediaUrl${i}`] = url;
    params[`MediaContentType${i}`] = contentTypeOf(url);
  });
  return { messageSid, params };
}
