import { Message } from '../../domain';
import { MessageRow } from '../schema';

export function toMessage(row: MessageRow): Message {
  return {
    id: row.id,
    direction: row.direction,
    sessionId: row.sessionId,
    from: row.from,
    to: row.to,
    body: row.body,
    mediaUrls: row.mediaUrls,
    inboundSid: row.inboundSid,
    twilioSid: row.twilioSid,
    status: row.status,
    errorCode: row.errorCode,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
