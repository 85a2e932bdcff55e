import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppConfig } from '@maskline/config';
import { InventoryNumber, NumberRepository } from '@maskline/store';
import { enqueueBulk } from '../../queues/enqueue';
import { QueueName } from '../../queues/queue-names';
import { PURCHASE_JOB, PurchaseJobData, purchaseJobId, purchaseJobOptions } from './purchase-job';

const NOT_QUEUED_MESSAGE = 'The purchase could not be queued (Redis unavailable); retry it with POST /numbers/:id/retry';

/** The purchase jobs of pending Number records: one job per record, named after it. */
@Injectable()
export class PurchaseJobQueue {
  constructor(
    private readonly numbers: NumberRepository,
    private readonly config: AppConfig,
    @InjectQueue(QueueName.NumberPurchase) private readonly queue: Queue<PurchaseJobData>,
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
      if (replaceFinished) await Promise.all(created.map((n) => this.removeFinishedJob(n.id)));
      await enqueueBulk(
        this.queue,
        created.map((n) => ({ name: PURCHASE_JOB, data: { numberId: n.id }, opts: purchaseJobOptions(n.id, attempts) })),
      );
    } catch (error) {
      await this.markUnqueued(created);
      throw error;
    }
  }

  async markUnqueued(created: InventoryNumber[]): Promise<void> {
    await Promise.all(created.map((n) => this.numbers.markFailed(n.id, null, NOT_QUEUED_MESSAGE).catch(() => undefined)));
  }

  /** BullMQ ignores an add whose id is still stored; a finished job of this record must go first */
  private async removeFinishedJob(numberId: string): Promise<void> {
    const job = await this.queue.getJob(purchaseJobId(numberId));
    if (!job) return;
    const state = await job.getState();
    if (state === 'failed' || state === 'completed') await job.remove();
  }
}
