/**
 * The outreach conversation records (SPEC section 7), in the business's
 * words. Bound to SQL in every deployment (SqlOutreachConversations): the
 * practice-scoped decision needs a transaction and an advisory lock, and the
 * table is the outreach callers' contract whatever STORE_DRIVER says.
 * BIGINT ids (coordinator, created by) travel as decimal strings.
 */
export type OutreachStatus = 'active' | 'archived' | 'closed';

export interface OutreachConversation {
  id: string;
  tenantId: string;
  practiceId: string;
  coordinatorSaxId: string;
  patientPhone: string;
  friendlyName: string | null;
  twilioSid: string;
  createdBy: string;
  status: OutreachStatus;
  createdAt: Date;
  updatedAt: Date;
  archivedAt: Date | null;
  closedAt: Date | null;
}

/** Where the request's Twilio conversation came from: only a `created` one is ever deleted by us. */
export type TwilioOrigin = 'created' | 'reused' | 'provided';

export interface OpenConversationInput {
  tenantId: string;
  practiceId: string;
  coordinatorSaxId: string;
  patientPhone: string;
  friendlyName: string | null;
  createdBy: string;
  twilioSid: string;
  twilioOrigin: TwilioOrigin;
}

export type OpenOutcome =
  | { outcome: 'created' | 'existing' | 'reactivated'; conversation: OutreachConversation }
  /** another coordinator of the same practice holds the patient's active conversation */
  | { outcome: 'conflict'; holder: OutreachConversation }
  /**
   * the reused (50416) Twilio conversation belongs only to closed rows: its
   * close in Twilio has not happened yet (failed, or still queued). Nothing
   * was written.
   */
  | { outcome: 'retired_twilio_conversation' };

export type OpenDecision = OpenOutcome & {
  /** the request created its Twilio conversation and no row uses it after the decision: delete it */
  releaseCreated: boolean;
};

export interface ConversationFilter {
  tenantId: string;
  practiceId?: string;
  patientPhone?: string;
  status?: OutreachStatus;
}

export interface ConversationPage {
  conversations: OutreachConversation[];
  /** the last conversation's id when more follow; null on the last page */
  nextCursor: string | null;
}

export type ArchiveResult = { outcome: 'archived' | 'already_archived'; conversation: OutreachConversation } | { outcome: 'closed'; conversation: OutreachConversation };

export interface CloseResult {
  conversation: OutreachConversation;
  /** no other active or archived row uses its Twilio conversation: close that too */
  closeTwilio: boolean;
}

export abstract class OutreachConversationStore {
  /**
   * atomic, under a lock on tenant + practice + patient phone, in one
   * transaction: same coordinator active → existing; another coordinator
   * active in the practice → conflict; archived (and active) → reactivated
   * for this coordinator with its own Twilio conversation; else a new row.
   */
  abstract open(input: OpenConversationInput): Promise<OpenDecision>;
  /** soft-deleted rows (active = false) are not found */
  abstract findById(id: string): Promise<OutreachConversation | null>;
  /** newest first; `after` is a previous page's nextCursor */
  abstract list(filter: ConversationFilter, limit: number, after?: string): Promise<ConversationPage>;
  /** atomic: active → archived; archived stays; closed is final. Null when no such row. */
  abstract archive(id: string): Promise<ArchiveResult | null>;
  /** atomic: → closed (again: unchanged), deciding whether its Twilio conversation is still used. Null when no such row. */
  abstract close(id: string): Promise<CloseResult | null>;
  /** whether an active or archived row uses this Twilio conversation (before a retried close or delete) */
  abstract isTwilioConversationInUse(twilioSid: string): Promise<boolean>;
}
