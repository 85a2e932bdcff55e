import { Injectable } from '@nestjs/common';
import { JobName, JobOf, OnJob } from '@maskline/jobs';
import { AirtableGateway } from './airtable-gateway';
import { WriteBatcher } from './airtable-write-batcher';
import { AirtableWriteHandlers } from './airtable-write-handlers';
import { RecordJobData, StatusJobData } from './airtable-write-queue';

/**
 * Consumer of the AirtableWrites queue (run by the worker host, in worker
 * processes only). Each job kind goes through its own batcher so several
 * waiting writes share one request; a job resolves when its batch landed.
 */
@Injectable()
export class AirtableWriteWorker {
  private readonly batchers: {
    audit: WriteBatcher<RecordJobData>;
    messages: WriteBatcher<RecordJobData>;
    statuses: WriteBatcher<StatusJobData>;
    sessions: WriteBatcher<string>;
    clients: WriteBatcher<string>;
  };

  constructor(handlers: AirtableWriteHandlers, gateway: AirtableGateway) {
    const slot = () => gateway.holdSlot();
    this.batchers = {
      audit: new WriteBatcher((items, held) => handlers.landRecords('audit', items, held), slot),
      messages: new WriteBatcher((items, held) => handlers.landRecords('messages', items, held), slot),
      statuses: new WriteBatcher((items) => handlers.landStatuses(items)),
      sessions: new WriteBatcher((ids) => handlers.landTouches('sessions', ids)),
      clients: new WriteBatcher((ids) => handlers.landTouches('clients', ids)),
    };
  }

  @OnJob(JobName.AirtableAuditRecord)
  landAudit(job: JobOf<JobName.AirtableAuditRecord>): Promise<void> {
    return this.batchers.audit.submit(job.data);
  }

  @OnJob(JobName.AirtableMessageRecord)
  landMessage(job: JobOf<JobName.AirtableMessageRecord>): Promise<void> {
    return this.batchers.messages.submit(job.data);
  }

  @OnJob(JobName.AirtableMessageStatus)
  landStatus(job: JobOf<JobName.AirtableMessageStatus>): Promise<void> {
    return this.batchers.statuses.submit(job.data);
  }

  @OnJob(JobName.AirtableTouch)
  landTouch(job: JobOf<JobName.AirtableTouch>): Promise<void> {
    return this.batchers[job.data.table].submit(job.data.id);
  }
}
