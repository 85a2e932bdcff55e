import type { JobsOptions } from 'bullmq';

/** The one job name on the NumberPurchase queue: buy the number one pending Number record describes. */
export const PURCHASE_JOB = 'purchase-number';

export interface PurchaseJobData {
  numberId: string;
}

// First retry after 2 s, then 4, 8, 16...: Twilio's 429s and 5xx clear within seconds to minutes.
const BACKOFF_MS = 2000;

/**
 * One job per record, with an id derived from the record: adding it twice is
 * a no-op, and the record's answer can name its job before it runs. Ids must
 * not contain `:` (BullMQ); record ids are UUIDs or Airtable rec ids.
 */
export function purchaseJobId(numberId: string): string {
  return `purchase-${numberId}`;
}

export function purchaseJobOptions(numberId: string, attempts: number): JobsOptions {
  return { jobId: purchaseJobId(numberId), attempts, backoff: { type: 'exponential', delay: BACKOFF_MS } };
}
