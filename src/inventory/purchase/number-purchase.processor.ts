import { Processor } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { QueueName } from '../../queues/queue-names';
import { RoleAwareWorkerHost } from '../../queues/role-aware-worker.host';
import { classifyPurchaseFailure } from '../rules/purchase-plan';
import { FulfilOutcome, NumberFulfilmentService } from './number-fulfilment.service';
import { PurchaseJobData } from './purchase-job';

/**
 * Runs purchase jobs. Transient failures (429, 5xx, timeouts) are thrown back
 * to BullMQ, which retries with exponential back-off; a permanent failure, or
 * the last attempt, marks the record failed and stops the job.
 */
@Processor(QueueName.NumberPurchase, { autorun: false, concurrency: 4 })
export class NumberPurchaseProcessor extends RoleAwareWorkerHost {
  private readonly logger = new Logger(NumberPurchaseProcessor.name);

  constructor(private readonly fulfilment: NumberFulfilmentService) {
    super();
  }

  async process(job: Job<PurchaseJobData>): Promise<FulfilOutcome> {
    try {
      return await this.fulfilment.fulfil(job.data.numberId, job.id!);
    } catch (error) {
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (classifyPurchaseFailure(error) === 'retry' && !lastAttempt) {
        this.logger.warn(`Purchase of number ${job.data.numberId} will be retried (attempt ${job.attemptsMade + 1}): ${(error as Error).message}`);
        throw error;
      }
      await this.fulfilment.fail(job.data.numberId, error);
      throw new UnrecoverableError((error as Error).message);
    }
  }
}
