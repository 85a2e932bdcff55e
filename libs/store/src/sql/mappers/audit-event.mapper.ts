import { AuditEvent } from '../../domain';
import { AuditEventRow } from '../schema';

export function toAuditEvent(row: AuditEventRow): AuditEvent {
  return {
    id: row.id,
    eventType: row.eventType,
    category: row.category,
    severity: row.severity,
    details: row.details,
    numberId: row.numberId,
    sitterId: row.sitterId,
    clientId: row.clientId,
    phoneNumber: row.phoneNumber,
    createdAt: row.createdAt,
  };
}
