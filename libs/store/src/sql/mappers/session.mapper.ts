import { Session } from '../../domain';
import { SessionRow } from '../schema';

export function toSession(row: SessionRow): Session {
  return {
    id: row.id,
    clientId: row.clientId,
    sitterId: row.sitterId,
    reservedNumber: row.reservedNumber,
    poolNumber: row.poolNumber,
    status: row.status,
    lastActivityAt: row.lastActivityAt,
    createdAt: row.createdAt,
    closedAt: row.closedAt,
    closeReason: row.closeReason,
  };
}
