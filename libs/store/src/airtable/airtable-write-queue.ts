import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@maskline/config';
import { RedisService, settleBullConnections } from '@maskline/redis';
import { JobsOptions, Queue } from 'bullmq';
import { Fields } from './airtable-gateway';
import { AirtableMessageLedger } from './airtable-message-ledger';
import { sleep } from './airtable-rate-limiter';
import { TouchedTable } from './airtable-touch-ledger';
import { AIRTABLE_WRITES_QUEUE } from './airtable-writes-queue.name';

export { AIRTABLE_WRITES_QUEUE };

export enum AirtableWriteJob {
  AuditRecord = 'audit.record',
  MessageRecord = 'message.record',
  MessageStatus = 'message.status',
  Touch = 'touch',
}

export interface RecordJobData {
  /** the record's unique key (Event ID / Write ID): a retried job upserts on it, never duplicates */
  key: string;
  fields: Fields;
  twilioSid?: string | null;
}
/** the status itself waits in AirtableMessageLedger: one job writes all callbacks of a message */
export interface StatusJobData {
  twilioSid: string;
}
export interface TouchJobData {
  table: TouchedTable;
  id: string;
}

// Touches of one record within this window land as one write (see AirtableTouchLedger);
// readers see them at once, so only Airtable's own view lags, by seconds on a 14-day timer.
const TOUCH_DELAY_MS = 30_000;
// Twilio's callbacks for one message (queued, sent, delivered) mostly come within this window.
const STATUS_DELAY_MS = 3000;

// Enough attempts to ride out hours of Airtable downtime with the backoff capped
// at a minute; a write that still fails stays in the failed list for a retry from Bull Board.
const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 300,
  backoff: { type: 'custom' },
  removeOnComplete: { age: 3600, count: 5000 },
  removeOnFail: { age: 14 * 24 * 3600 },
};

/**
 * Producer side of the write-behind queue. Adding a job is one Redis call,
 * so MessageLog/AuditLog writes cost a webhook nothing and survive an
 * Airtable outage; AirtableWriteWorker lands them in batches.
 */
@Injectable()
export class AirtableWriteQueue implements OnModuleDestroy {
  private readonly logger = new Logger('AirtableWriteQueue');
  readonly queue: Queue;

  constructor(
    redis: RedisService,
    config: AppConfig,
    private readonly messages: AirtableMessageLedger,
  ) {
    this.queue = new Queue(AIRTABLE_WRITES_QUEUE, {
      connection: redis.bullConnection('producer'),
      prefix: config.redis.prefix,
      defaultJobOptions: DEFAULT_JOB_OPTIONS,
    });
    // without a listener an 'error' event (Redis dropped) would crash the process
    this.queue.on('error', (e) => this.logger.warn(`write queue: ${e.message}`));
  }

  async addAudit(data: RecordJobData): Promise<void> {
    await this.queue.add(AirtableWriteJob.AuditRecord, data, { jobId: data.key });
  }

  /** a status callback may beat its message to Airtable: marking it queued tells the two cases apart */
  async addMessage(data: RecordJobData): Promise<void> {
    if (data.twilioSid) await this.messages.markQueued(data.twilioSid);
    await this.queue.add(AirtableWriteJob.MessageRecord, data, { jobId: data.key });
  }

  async addStatus(data: StatusJobData): Promise<void> {
    await this.queue.add(AirtableWriteJob.MessageStatus, data, {
      delay: STATUS_DELAY_MS,
      deduplication: { id: `status-${data.twilioSid}`, keepLastIfActive: true },
    });
  }

  async addTouch(data: TouchJobData): Promise<void> {
    await this.queue.add(AirtableWriteJob.Touch, data, {
      delay: TOUCH_DELAY_MS,
      deduplication: { id: `touch-${data.table}-${data.id}`, keepLastIfActive: true },
    });
  }

  /**
   * Lands everything queued now (delayed touches and retry backoffs included)
   * and resolves when the queue is empty. For tests and graceful shutdowns.
   */
  async drain(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.queue.promoteJobs();
      const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'paused', 'waiting-children');
      const busy = Object.values(counts).reduce((a, b) => a + b, 0);
      if (busy === 0) return;
      if (Date.now() > deadline) throw new Error(`${AIRTABLE_WRITES_QUEUE} still holds ${busy} jobs after ${timeoutMs} ms`);
      await sleep(25);
    }
  }

  async onModuleDestroy(): Promise<void> {
    await settleBullConnections(this.queue);
    await this.queue.close();
  }
}
