import { Injectable } from '@nestjs/common';
import { CAPPED_BACKOFF, JobName, JobQueue, QueueName } from '@maskline/jobs';
import { JobsOptions } from 'bullmq';
import { Fields } from './airtable-gateway';
import { AirtableMessageLedger } from './airtable-message-ledger';
import { sleep } from './airtable-rate-limiter';
import { TouchedTable } from './airtable-touch-ledger';

// handled by AirtableWriteWorker
declare module '@maskline/jobs' {
  interface JobDataMap {
    [JobName.AirtableAuditRecord]: RecordJobData;
    [JobName.AirtableMessageRecord]: RecordJobData;
    [JobName.AirtableMessageStatus]: StatusJobData;
    [JobName.AirtableTouch]: TouchJobData;
  }
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
const WRITE_JOB_OPTIONS: JobsOptions = {
  attempts: 300,
  backoff: { type: CAPPED_BACKOFF, delay: 1000 },
  removeOnComplete: { age: 3600, count: 5000 },
  removeOnFail: { age: 14 * 24 * 3600 },
};

/**
 * Producer side of the write-behind queue. Adding a job is one Redis call,
 * so MessageLog/AuditLog writes cost a webhook nothing and survive an
 * Airtable outage; AirtableWriteWorker lands them in batches.
 */
@Injectable()
export class AirtableWriteQueue {
  constructor(
    private readonly jobs: JobQueue,
    private readonly messages: AirtableMessageLedger,
  ) {}

  async addAudit(data: RecordJobData): Promise<void> {
    await this.jobs.queue(JobName.AirtableAuditRecord, data, { ...WRITE_JOB_OPTIONS, jobId: data.key });
  }

  /** a status callback may beat its message to Airtable: marking it queued tells the two cases apart */
  async addMessage(data: RecordJobData): Promise<void> {
    if (data.twilioSid) await this.messages.markQueued(data.twilioSid);
    await this.jobs.queue(JobName.AirtableMessageRecord, data, { ...WRITE_JOB_OPTIONS, jobId: data.key });
  }

  async addStatus(data: StatusJobData): Promise<void> {
    await this.jobs.queue(JobName.AirtableMessageStatus, data, {
      ...WRITE_JOB_OPTIONS,
      delay: STATUS_DELAY_MS,
      deduplication: { id: `status-${data.twilioSid}`, keepLastIfActive: true },
    });
  }

  async addTouch(data: TouchJobData): Promise<void> {
    await this.jobs.queue(JobName.AirtableTouch, data, {
      ...WRITE_JOB_OPTIONS,
      delay: TOUCH_DELAY_MS,
      deduplication: { id: `touch-${data.table}-${data.id}`, keepLastIfActive: true },
    });
  }

  /**
   * Lands everything queued now (delayed touches and retry backoffs included)
   * and resolves when the queue is empty. For tests and graceful shutdowns.
   */
  async drain(timeoutMs = 60_000): Promise<void> {
    const queue = this.jobs.queueNamed(QueueName.AirtableWrites);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await queue.promoteJobs();
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'paused', 'waiting-children');
      const busy = Object.values(counts).reduce((a, b) => a + b, 0);
      if (busy === 0) return;
      if (Date.now() > deadline) throw new Error(`${QueueName.AirtableWrites} still holds ${busy} jobs after ${timeoutMs} ms`);
      await sleep(25);
    }
  }
}
