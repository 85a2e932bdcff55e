import { Injectable } from '@nestjs/common';
import type { JobsOptions } from 'bullmq';
import { AppConfig } from '@maskline/config';
import { JobName, JobQueue } from '@maskline/jobs';
import { InventoryNumber, NumberRepository } from '@maskline/store';

declare module '@maskline/jobs' {
  interface JobDataMap {
    /** buy the number one pending Number record describes (handler: NumberFulfilmentService.runPurchaseJob) */
    [JobName.PurchaseNumber]: PurchaseJobData;
  }
}

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

function purchaseJobOptions(numberId: string, attempts: number): JobsOptions {
  return { jobId: purchaseJobId(numberId), attempts, backoff: { type: 'exponential', delay: BACKOFF_MS } };
}

const NOT_QUEUED_MESSAGE = 'The purchase could not be queued (Redis unavailable); retry it with POST /numbers/:id/retry';

/** The purchase jobs of pending Number records: one job per record, named after it. */
@Injectable()
export class PurchaseJobQueue {
  constructor(
    private readonly numbers: NumberRepository,
    private readonly config: AppConfig,
    private readonly jobs: JobQueue,
  ) {}

  /**
   * Queues the job of every record in one Redis round trip. A record without
   * a job would stay pending for ever (and block the pool's "pending_exists"
   * rule): when Redis refuses the jobs, the records are marked failed,
   * retryable, before the error (503) goes out.
   */
  async queueAll(created: InventoryNumber[], replaceFinished = false): Promise<void> {
    const attempts = this.config.inventory.purchaseAttempts;
    try {
      if (replaceFinished) await Promise.all(created.map((n) => this.jobs.removeFinished(JobName.PurchaseNumber, purchaseJobId(n.id))));
      await this.jobs.queueAll(created.map((n) => ({ name: JobName.PurchaseNumber, data: { numberId: n.id }, options: purchaseJobOptions(n.id, attempts) })));
    } catch (error) {
      await this.markUnqueued(created);
      throw error;
    }
  }

  async markUnqueued(created: InventoryNumber[]): Promise<void> {
    await Promise.all(created.map((n) => this.numbers.markFailed(n.id, null, NOT_QUEUED_MESSAGE).catch(() => undefined)));
  }
}
