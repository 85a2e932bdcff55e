import { Injectable } from '@nestjs/common';
import { AuditEvent } from '../domain';
import { AuditLog, RecordAuditInput } from '../ports';
import { AirtableGateway } from './airtable-gateway';
import { monotonicNow, sortableKey } from './airtable-keys';
import { fieldsOf, toAuditEvent } from './airtable-mappers';
import { AirtableTable } from './airtable-table';
import { AirtableTables } from './airtable-tables';
import { AirtableWriteQueue } from './airtable-write-queue';

/** Events are queued with a unique Event ID, so each lands exactly once even across an Airtable outage. */
@Injectable()
export class AirtableAuditLog extends AuditLog {
  private readonly table: AirtableTable<'audit', AuditEvent>;

  constructor(
    gateway: AirtableGateway,
    tables: AirtableTables,
    private readonly queue: AirtableWriteQueue,
  ) {
    super();
    this.table = new AirtableTable(gateway, tables.audit, 'audit event', toAuditEvent);
  }

  async record(input: RecordAuditInput): Promise<void> {
    const key = sortableKey('e');
    const fields = fieldsOf(this.table.t, {
      eventId: key,
      eventType: input.eventType,
      category: input.category,
      severity: input.severity ?? 'info',
      details: JSON.stringify(input.details ?? {}),
      numberId: input.numberId ?? null,
      sitterId: input.sitterId ?? null,
      clientId: input.clientId ?? null,
      phoneNumber: input.phoneNumber ?? null,
      createdAt: monotonicNow(),
    });
    await this.queue.addAudit({ key, fields });
  }

  listRecent(limit: number, eventType?: string): Promise<AuditEvent[]> {
    return this.table.list(eventType === undefined ? undefined : this.table.eq('eventType', eventType), [
      ['createdAt', 'desc'],
      ['eventId', 'desc'],
    ], { maxRecords: limit });
  }
}
