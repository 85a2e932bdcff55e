import { AuditEvent, Client, InventoryNumber, Message, Session, Sitter } from '../domain';
import { AuditEventRow, ClientRow, MessageRow, NumberRow, SessionRow, SitterRow } from './schema';

/**
 * Rows → domain records. Field by field on purpose: a column added to a table
 * does not leak into the domain until someone maps it here.
 */

export function toSitter(row: SitterRow): Sitter {
  return {
    id: row.id,
    name: row.name,
    phone: row.phone,
    email: row.email,
    status: row.status,
    reservedNumber: row.reservedNumber,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function toClient(row: ClientRow): Client {
  return {
    id: row.id,
    name: row.name,
    firstName: row.firstName,
    lastName: row.lastName,
    phone: row.phone,
    timeToPetId: row.timeToPetId,
    email: row.email,
    address: row.address,
    sitterId: row.sitterId,
    lastActiveAt: row.lastActiveAt,
    source: row.source,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function toInventoryNumber(row: NumberRow): InventoryNumber {
  return {
    id: row.id,
    phoneNumber: row.phoneNumber,
    twilioSid: row.twilioSid,
    lifecycle: row.lifecycle,
    status: row.status,
    sitterId: row.sitterId,
    areaCode: row.areaCode,
    purchasedAt: row.purchasedAt,
    purchaseReason: row.purchaseReason,
    purchaseToken: row.purchaseToken,
    verificationResult: row.verificationResult,
    errorCode: row.errorCode,
    errorMessage: row.errorMessage,
    jobId: row.jobId,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

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
