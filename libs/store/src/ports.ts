import {
  AuditEvent,
  AuditSeverity,
  Client,
  InventoryNumber,
  Lifecycle,
  LifecycleCounts,
  NumberStatus,
  Message,
  MessageDirection,
  Session,
  Sitter,
  SitterStatus,
} from './domain';

/**
 * Record ports. Features depend only on these abstract classes; the storage
 * module binds them to the `sql` or `airtable` driver. Methods are
 * single-purpose. Those documented "atomic" must stay correct when called
 * concurrently from many processes (SQL: constraints + transactions; Airtable:
 * a Redis lock around read-check-write, then a re-read to confirm).
 * Lookups return null when nothing matches; updates of a missing id throw
 * RecordNotFoundError.
 */

export class RecordNotFoundError extends Error {
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${entity} ${id} not found`);
    this.name = 'RecordNotFoundError';
  }
}

/** A uniqueness rule refused the write (e.g. a second reserved number for one sitter). */
export class UniqueConflictError extends Error {
  constructor(
    readonly entity: string,
    readonly rule: string,
  ) {
    super(`${entity}: ${rule} already taken`);
    this.name = 'UniqueConflictError';
  }
}

// ---------- sitters ----------
export interface UpsertSitterInput {
  name: string;
  phone: string;
  email?: string | null;
}
export abstract class SitterRepository {
  abstract findById(id: string): Promise<Sitter | null>;
  abstract findByPhone(phone: string): Promise<Sitter | null>;
  abstract findByReservedNumber(reservedNumber: string): Promise<Sitter | null>;
  /** atomic: create (status pending) or update name/email of the sitter with this real phone */
  abstract upsertByPhone(input: UpsertSitterInput): Promise<{ sitter: Sitter; created: boolean }>;
  /** sets or clears the denormalized reserved number (and status with it) */
  abstract setReservedNumber(id: string, reservedNumber: string | null, status: SitterStatus): Promise<Sitter>;
  /** sitters not marked inactive who hold no reserved number (the ops dashboard) */
  abstract countWithoutReservedNumber(): Promise<number>;
}

// ---------- clients ----------
export interface SyncClientInput {
  timeToPetId: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string;
  address: string | null;
}
export type SyncClientAction = 'created' | 'updated' | 'merged';
export abstract class ClientRepository {
  abstract findById(id: string): Promise<Client | null>;
  abstract findByPhone(phone: string): Promise<Client | null>;
  abstract findByTimeToPetId(timeToPetId: string): Promise<Client | null>;
  /** atomic: the client with this phone, or a new `first_contact` client (name null). Never two. */
  abstract findOrCreateByPhone(phone: string, sitterId?: string | null): Promise<{ client: Client; created: boolean }>;
  /**
   * atomic upsert from Time to Pet: by timeToPetId (updated); else merge into the
   * client with the same phone (merged; source becomes `sync`); else created.
   * Name = "first last" trimmed. If the ID's record has a different phone and another
   * client holds the new phone, the two are merged into the ID's record.
   */
  abstract upsertFromSync(input: SyncClientInput): Promise<{ client: Client; action: SyncClientAction }>;
  /** last active + linked sitter (when given) */
  abstract touch(id: string, at: Date, sitterId?: string | null): Promise<void>;
}

// ---------- number inventory ----------
export interface CreatePendingNumberInput {
  lifecycle: Lifecycle;
  areaCode: string;
  sitterId?: string | null;
  purchaseReason?: string | null;
}
export interface MarkNumberReadyInput {
  phoneNumber: string;
  twilioSid: string;
  purchasedAt: Date;
  verificationResult?: string | null;
}
export abstract class NumberRepository {
  /** one pending record per input, each with a fresh purchaseToken; all or nothing */
  abstract createPending(inputs: CreatePendingNumberInput[]): Promise<InventoryNumber[]>;
  abstract findById(id: string): Promise<InventoryNumber | null>;
  abstract findByPhone(phoneNumber: string): Promise<InventoryNumber | null>;
  abstract setJobId(id: string, jobId: string): Promise<InventoryNumber>;
  abstract markReady(id: string, input: MarkNumberReadyInput): Promise<InventoryNumber>;
  abstract markFailed(id: string, errorCode: string | null, errorMessage: string): Promise<InventoryNumber>;
  /** failed → pending again for a retry (clears the error), keeps the purchaseToken */
  abstract resetForRetry(id: string): Promise<InventoryNumber>;
  abstract countByLifecycle(lifecycle: Lifecycle): Promise<LifecycleCounts>;
  /** ready pool numbers, oldest purchase first */
  abstract listReadyPool(): Promise<InventoryNumber[]>;
  abstract findFirstReadyStandby(): Promise<InventoryNumber | null>;
  /** the reserved number (pending or ready) held for this sitter */
  abstract findReservedForSitter(sitterId: string): Promise<InventoryNumber | null>;
  /**
   * atomic: a ready standby number becomes reserved for the sitter. Returns null when
   * that number is no longer a ready standby (someone else took it). Throws
   * UniqueConflictError when the sitter already holds a pending/ready reserved number.
   */
  abstract assignStandbyToSitter(numberId: string, sitterId: string): Promise<InventoryNumber | null>;
  /** reserved → standby, sitter cleared */
  abstract returnToStandby(numberId: string): Promise<InventoryNumber>;
  /** atomic compare-and-set of the status: null when the record is not in `from` (someone changed it first) */
  abstract changeStatus(id: string, from: NumberStatus, to: NumberStatus): Promise<InventoryNumber | null>;
  abstract listRecent(limit: number): Promise<InventoryNumber[]>;
}

// ---------- sessions ----------
export interface OpenSessionInput {
  clientId: string;
  sitterId: string;
  reservedNumber: string;
  now: Date;
}
export type OpenSessionResult =
  | { outcome: 'existing' | 'created'; session: Session }
  | { outcome: 'exhausted' };
export abstract class SessionRepository {
  abstract findById(id: string): Promise<Session | null>;
  abstract findActiveForClientAndSitter(clientId: string, sitterId: string): Promise<Session | null>;
  abstract findActiveBySitterAndPoolNumber(sitterId: string, poolNumber: string): Promise<Session | null>;
  /**
   * atomic: the active session of (client, sitter), or a new one on a ready pool
   * number that no other active session of this sitter holds (claim a free pool
   * number for a sitter). `exhausted` when every ready pool number is taken for
   * this sitter. Concurrent calls never create two sessions for a pair nor put
   * two active sessions of one sitter on one pool number.
   */
  abstract openOrGet(input: OpenSessionInput): Promise<OpenSessionResult>;
  abstract touch(id: string, at: Date): Promise<void>;
  /** active → closed; null when it was not active (already closed) */
  abstract close(id: string, reason: string, at: Date): Promise<Session | null>;
  /** active sessions whose last activity is before the cutoff */
  abstract listIdleSince(cutoff: Date, limit: number): Promise<Session[]>;
  abstract listActiveByReservedNumber(reservedNumber: string): Promise<Session[]>;
  abstract countActive(): Promise<number>;
  /** active sessions (of any sitter) relayed through this pool number */
  abstract countActiveByPoolNumber(poolNumber: string): Promise<number>;
  abstract countAll(): Promise<number>;
}

// ---------- messages ----------
export interface RecordMessageInput {
  direction: MessageDirection;
  sessionId?: string | null;
  from: string;
  to: string;
  body: string;
  mediaUrls?: string[];
  inboundSid?: string | null;
  twilioSid?: string | null;
  status: string;
  errorCode?: string | null;
}
export abstract class MessageLog {
  /** may be queued by the driver (Airtable); never blocks a webhook on the store */
  abstract record(input: RecordMessageInput): Promise<void>;
  /** delivery status from Twilio's status callback, by outbound MessageSid */
  abstract updateStatus(twilioSid: string, status: string, errorCode: string | null): Promise<void>;
  abstract findByTwilioSid(twilioSid: string): Promise<Message | null>;
  abstract listBySession(sessionId: string): Promise<Message[]>;
}

// ---------- audit ----------
export interface RecordAuditInput {
  eventType: string;
  category: string;
  severity?: AuditSeverity;
  details?: Record<string, unknown>;
  numberId?: string | null;
  sitterId?: string | null;
  clientId?: string | null;
  phoneNumber?: string | null;
}
export abstract class AuditLog {
  /** may be queued by the driver (Airtable); lands exactly once even if the store is down for a while */
  abstract record(input: RecordAuditInput): Promise<void>;
  abstract listRecent(limit: number, eventType?: string): Promise<AuditEvent[]>;
}

/** Liveness of the configured store, for /health. */
export abstract class StoreHealth {
  abstract ping(): Promise<void>;
  abstract readonly driver: 'sql' | 'airtable';
}
