import type { JobsOptions } from 'bullmq';
import type { MessageDirection } from '@maskline/store';
import type { InboundSms } from '../rules/inbound-sms';

/** The jobs of the Relay queue: one per inbound webhook, one per outgoing SMS, one per sent SMS to log. */
export enum RelayJob {
  RouteInbound = 'route-inbound',
  SendSms = 'send-sms',
  /** writes a sent message to the MessageLog if its delivery outcome has not done so by then */
  FlushMessageLog = 'flush-message-log',
}

export interface RouteInboundJobData extends InboundSms {
  receivedAt: string;
  /** how many times this message waited for a pool number (SPEC 3.4) */
  timesHeld?: number;
}

export interface SendSmsJobData {
  direction: MessageDirection;
  sessionId: string | null;
  /** the inbound message this send relays (its MessageSid) */
  inboundSid: string;
  from: string;
  to: string;
  body: string;
  mediaUrls: string[];
}

// Job ids come from Twilio's MessageSid (SM/MM + hex: never all digits, no ':'),
// so Twilio redelivering a webhook adds nothing, and a routing job that runs
// twice (stalled worker) enqueues the same send again, which is also a no-op.
export const inboundJobId = (messageSid: string) => `inbound-${messageSid}`;
export const sendJobId = (inboundSid: string) => `send-${inboundSid}`;
export const flushJobId = (twilioSid: string) => `log-${twilioSid}`;

export interface FlushMessageLogJobData {
  twilioSid: string;
}

// Completed jobs are kept two days: the window in which a redelivered MessageSid is recognised.
const KEEP = { removeOnComplete: { age: 2 * 24 * 3600 }, removeOnFail: { age: 30 * 24 * 3600 } };

export const routeInboundJobOptions = (messageSid: string): JobsOptions => ({
  ...KEEP,
  jobId: inboundJobId(messageSid),
  attempts: 5,
  backoff: { type: 'exponential', delay: 2_000 },
});

/** Delivery receipts normally arrive within seconds; a message still unreported after this is logged as it stands. */
export const FLUSH_MESSAGE_LOG_AFTER_MS = 2 * 60_000;

export const flushMessageLogJobOptions = (twilioSid: string): JobsOptions => ({
  ...KEEP,
  jobId: flushJobId(twilioSid),
  delay: FLUSH_MESSAGE_LOG_AFTER_MS,
  attempts: 8,
  backoff: { type: 'exponential', delay: 5_000 },
});

export const sendSmsJobOptions = (inboundSid: string, attempts: number): JobsOptions => ({
  ...KEEP,
  jobId: sendJobId(inboundSid),
  attempts,
  backoff: { type: 'exponential', delay: 1_000 },
});
