/**
 * Plain record types shared by every feature and both storage drivers
 * (SPEC section 2). No decorators, no driver details. Ids are opaque strings:
 * UUIDs in SQL, record ids (recXXXXXXXXXXXXXX) in Airtable. Phones are E.164.
 */

export type SitterStatus = 'pending' | 'active' | 'inactive';
export interface Sitter {
  id: string;
  name: string;
  phone: string;
  email: string | null;
  status: SitterStatus;
  /** E.164 of the sitter's reserved number, denormalized for the message path */
  reservedNumber: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export type ClientSource = 'sync' | 'first_contact';
export interface Client {
  id: string;
  /** display name used in the relay prefix; null until known */
  name: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string;
  timeToPetId: string | null;
  email: string | null;
  address: string | null;
  sitterId: string | null;
  lastActiveAt: Date | null;
  source: ClientSource;
  createdAt: Date;
  updatedAt: Date;
}

export type Lifecycle = 'pool' | 'reserved' | 'standby';
export type NumberStatus = 'pending' | 'ready' | 'failed' | 'released';
export interface InventoryNumber {
  id: string;
  phoneNumber: string | null;
  twilioSid: string | null;
  lifecycle: Lifecycle;
  status: NumberStatus;
  sitterId: string | null;
  /** preferred area code asked for; the bought number may come from an alternate */
  areaCode: string;
  purchasedAt: Date | null;
  purchaseReason: string | null;
  /** FriendlyName token set on the Twilio number; how a retried job finds what it bought */
  purchaseToken: string;
  verificationResult: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  jobId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export type SessionStatus = 'active' | 'closed';
export interface Session {
  id: string;
  clientId: string;
  sitterId: string;
  reservedNumber: string;
  poolNumber: string;
  status: SessionStatus;
  lastActivityAt: Date;
  createdAt: Date;
  closedAt: Date | null;
  closeReason: string | null;
}

export type MessageDirection = 'client_to_sitter' | 'sitter_to_client' | 'system_notice' | 'alert';
export interface Message {
  id: string;
  direction: MessageDirection;
  sessionId: string | null;
  from: string;
  to: string;
  body: string;
  mediaUrls: string[];
  /** MessageSid of the inbound webhook that caused this relay, when any */
  inboundSid: string | null;
  /** MessageSid of the outbound message Twilio created */
  twilioSid: string | null;
  status: string;
  errorCode: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export type AuditSeverity = 'info' | 'warning' | 'error';
export interface AuditEvent {
  id: string;
  eventType: string;
  category: string;
  severity: AuditSeverity;
  details: Record<string, unknown>;
  numberId: string | null;
  sitterId: string | null;
  clientId: string | null;
  /** masked or E.164 phone this event concerns, when any */
  phoneNumber: string | null;
  createdAt: Date;
}

export interface LifecycleCounts {
  pending: number;
  ready: number;
  failed: number;
  released: number;
}
