import { randomBytes } from 'node:crypto';

let lastMs = 0;
let seq = 0;

/**
 * Strictly increasing within this process, so records written in one burst
 * keep their order even when they share a millisecond (Airtable can only sort
 * by field values; these are the tie-breakers).
 */
export function monotonicNow(): Date {
  const now = Date.now();
  lastMs = now > lastMs ? now : lastMs + 1;
  return new Date(lastMs);
}

/**
 * A unique key that sorts by creation time: 12 hex digits of ms, 6 of a
 * per-process counter, 8 random. Used for Write ID, Event ID, Session Key and
 * Purchase Token: the key an uncertain create or a retried job upserts on.
 * Hex and dashes only, so it is also a valid BullMQ job id.
 */
export function sortableKey(prefix = ''): string {
  seq = (seq + 1) % 0x1000000;
  const time = Date.now().toString(16).padStart(12, '0');
  return `${prefix}${time}${seq.toString(16).padStart(6, '0')}-${randomBytes(4).toString('hex')}`;
}
