import type { Session } from '@maskline/store';
import { SessionDto } from './dto/session.dto';

export function toSessionDto(session: Session): SessionDto {
  return {
    session_id: session.id,
    client_id: session.clientId,
    sitter_id: session.sitterId,
    pool_number: session.poolNumber,
    reserved_number: session.reservedNumber,
    status: session.status,
    last_activity_at: session.lastActivityAt.toISOString(),
    created_at: session.createdAt.toISOString(),
    closed_at: session.closedAt?.toISOString() ?? null,
    close_reason: session.closeReason,
  };
}
