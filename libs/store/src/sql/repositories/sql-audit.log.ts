import { Injectable } from '@nestjs/common';
import { desc, eq } from 'drizzle-orm';
import { AuditEvent } from '../../domain';
import { AuditLog, RecordAuditInput } from '../../ports';
import { SqlDatabase } from '../database/sql-database';
import { toAuditEvent } from '../sql-mappers';
import { auditEvents } from '../schema';

@Injectable()
export class SqlAuditLog extends AuditLog {
  constructor(private readonly database: SqlDatabase) {
    super();
  }

  async record(input: RecordAuditInput): Promise<void> {
    await this.database.db.insert(auditEvents).values({
      eventType: input.eventType,
      category: input.category,
      severity: input.severity ?? 'info',
      details: input.details ?? {},
      numberId: input.numberId ?? null,
      sitterId: input.sitterId ?? null,
      clientId: input.clientId ?? null,
      phoneNumber: input.phoneNumber ?? null,
    });
  }

  async listRecent(limit: number, eventType?: string): Promise<AuditEvent[]> {
    const rows = await this.database.db
      .select()
      .from(auditEvents)
      .where(eventType === undefined ? undefined : eq(auditEvents.eventType, eventType))
      .orderBy(desc(auditEvents.seq))
      .limit(limit);
    return rows.map(toAuditEvent);
  }
}
