import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@maskline/config';
import { RedisService, settleBullConnections } from '@maskline/redis';
import { Job, Worker } from 'bullmq';
import { AirtableGateway } from './airtable-gateway';
import { WriteBatcher } from './airtable-write-batcher';
import { AirtableWriteHandlers } from './airtable-write-handlers';
import { AIRTABLE_WRITES_QUEUE, AirtableWriteJob, RecordJobData, StatusJobData, TouchJobData } from './airtable-write-queue';

// Enough jobs in flight at once for every batcher to fill requests of 10;
// a job mostly waits (for its batch or the request budget), so this is cheap.
const CONCURRENCY = 50;

/** backoff per failed attempt: exponential from a second up to a minute, with jitter so retries spread */
export function writeBackoff(attemptsMade: number): number {
  return Math.round(Math.min(60_000, 1000 * 2 ** Math.max(0, attemptsMade - 1)) * (0.8 + Math.random() * 0.4));
}

/**
 * Consumer of AIRTABLE_WRITES_QUEUE. Runs in every process that loads the
 * Airtable store (BullMQ hands each job to one of them); each job kind goes
 * through its own batcher so several waiting writes share one request.
 */
@Injectable()
export class AirtableWriteWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('AirtableWriteWorker');
  private worker?: Worker;
  private readonly batchers: {
    audit: WriteBatcher<RecordJobData>;
    messages: WriteBatcher<RecordJobData>;
    statuses: WriteBatcher<StatusJobData>;
    sessions: WriteBatcher<string>;
    clients: WriteBatcher<string>;
  };

  constructor(
    private readonly redis: RedisService,
    private readonly config: AppConfig,
    handlers: AirtableWriteHandlers,
    gateway: AirtableGateway,
  ) {
    const slot = () => gateway.holdSlot();
    this.batchers = {
      audit: new WriteBatcher((items, held) => handlers.landRecords('audit', items, held), slot),
      messages: new WriteBatcher((items, held) => handlers.landRecords('messages', items, held), slot),
      statuses: new WriteBatcher((items) => handlers.landStatuses(items)),
      sessions: new WriteBatcher((ids) => handlers.landTouches('sessions', ids)),
      clients: new WriteBatcher((ids) => handlers.landTouches('clients', ids)),
    };
  }

  onApplicationBootstrap(): void {
    this.worker = new Worker(AIRTABLE_WRITES_QUEUE, (job) => this.process(job), {
      connection: this.redis.bullConnection('worker'),
      prefix: this.config.redis.prefix,
      concurrency: CONCURRENCY,
      settings: { backoffStrategy: writeBackoff },
    });
    this.worker.on('failed', (job, err) => this.logger.warn(`${job?.name} write failed (attempt ${job?.attemptsMade}): ${err.message}`));
    this.worker.on('error', (err) => this.logger.error(`write worker: ${err.message}`));
  }

  private process(job: Job): Promise<void> {
    switch (job.name as AirtableWriteJob) {
      case AirtableWriteJob.AuditRecord:
        return this.batchers.audit.submit(job.data as RecordJobData);
      case AirtableWriteJob.MessageRecord:
        return this.batchers.messages.submit(job.data as RecordJobData);
      case AirtableWriteJob.MessageStatus:
        return this.batchers.statuses.submit(job.data as StatusJobData);
      case AirtableWriteJob.Touch: {
        const data = job.data as TouchJobData;
        return this.batchers[data.table].submit(data.id);
      }
      default:
        return Promise.reject(new Error(`no handler for Airtable write job ${job.name}`));
    }
  }

  async onModuleDestroy(): Promise<void> {
    if (!this.worker) return;
    await settleBullConnections(this.worker);
    await this.worker.close();
  }
}
