import { Injectable } from '@nestjs/common';
import { and, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import { retryOnRace, SmsConversationRow, smsConversations as t, SqlDatabase, SqlTx } from '@maskline/store';
import {
  ArchiveResult,
  CloseResult,
  ConversationFilter,
  ConversationPage,
  OpenConversationInput,
  OpenDecision,
  OpenOutcome,
  OutreachConversation,
  OutreachConversationStore,
} from './outreach-conversations.port';

function toConversation(row: SmsConversationRow): OutreachConversation {
  return {
    id: row.id,
    tenantId: row.tenantId,
    practiceId: row.practiceId,
    coordinatorSaxId: row.coordinatorSaxId.toString(),
    patientPhone: row.patientPhone,
    friendlyName: row.friendlyName,
    twilioSid: row.twilioSid,
    createdBy: row.createdBy.toString(),
    status: row.status,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    archivedAt: row.archivedAt,
    closedAt: row.closedAt,
  };
}

interface PatientKey {
  tenantId: string;
  practiceId: string;
  patientPhone: string;
}

/**
 * The lock of seed 004, as written there: every decision about one patient
 * phone in one practice waits for the one before it, in any process. The
 * key is hashed by PostgreSQL (hashtext) over the canonical uuid text, so a
 * database function written to the seed would share it.
 */
async function lockPatient(tx: SqlTx, key: PatientKey): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${key.tenantId}::uuid::text || '|' || ${key.practiceId}::uuid::text || '|' || ${key.patientPhone}))`);
}

const livingRow = eq(t.active, true);
const usesTwilio = (twilioSid: string) => and(eq(t.twilioSid, twilioSid), livingRow, inArray(t.status, ['active', 'archived']));

/**
 * The outreach port on the SQL database (PGlite or PostgreSQL), which is
 * opened whatever STORE_DRIVER says (SqlDatabaseModule).
 *
 * The decision is plain statements in one Drizzle transaction rather than a
 * database function: one code path for PGlite and PostgreSQL, migrations
 * that stay pure DDL, and steps a reader can follow beside the service.
 * Atomicity comes from the advisory lock taken first in the transaction
 * (held to commit); the partial unique index is the second line of defence,
 * and retryOnRace reruns the unit if it ever fires.
 */
@Injectable()
export class SqlOutreachConversations extends OutreachConversationStore {
  constructor(private readonly database: SqlDatabase) {
    super();
  }

  open(input: OpenConversationInput): Promise<OpenDecision> {
    return retryOnRace(() =>
      this.database.transaction(async (tx) => {
        await lockPatient(tx, input);
        const decision = await this.decide(tx, input);
        const kept = 'conversation' in decision && decision.conversation.twilioSid === input.twilioSid;
        const releaseCreated = input.twilioOrigin === 'created' && !kept && !(await this.inUse(tx, input.twilioSid));
        return { ...decision, releaseCreated };
      }),
    );
  }

  /** seed 004's practice-scoped steps, in order */
  private async decide(tx: SqlTx, input: OpenConversationInput): Promise<OpenOutcome> {
    const coordinator = BigInt(input.coordinatorSaxId);
    const rows = await tx
      .select()
      .from(t)
      .where(and(eq(t.tenantId, input.tenantId), eq(t.practiceId, input.practiceId), eq(t.patientPhone, input.patientPhone), livingRow, inArray(t.status, ['active', 'archived'])))
      .orderBy(desc(t.updatedAt));
    const active = rows.filter((row) => row.status === 'active');

    // 1. the same coordinator's active conversation: returned as it is
    const own = active.find((row) => row.coordinatorSaxId === coordinator);
    if (own) return { outcome: 'existing', conversation: toConversation(own) };
    // 2. another coordinator of this practice holds it (other practices never conflict: the rows above are this practice's)
    if (active.length > 0) return { outcome: 'conflict', holder: toConversation(active[0]) };
    // 3. archived: reactivated for this coordinator, keeping its Twilio conversation
    const archived = rows.find((row) => row.status === 'archived');
    if (archived) {
      const [row] = await tx.update(t).set({ status: 'active', coordinatorSaxId: coordinator, archivedAt: null }).where(eq(t.id, archived.id)).returning();
      return { outcome: 'reactivated', conversation: toConversation(row) };
    }
    // a conversation found through 50416 that only closed rows use is still closing in Twilio: never hand it out again
    if (input.twilioOrigin === 'reused' && (await this.retired(tx, input.twilioSid))) return { outcome: 'retired_twilio_conversation' };
    // 4. a new row
    const [row] = await tx
      .insert(t)
      .values({
        tenantId: input.tenantId,
        practiceId: input.practiceId,
        coordinatorSaxId: coordinator,
        patientPhone: input.patientPhone,
        friendlyName: input.friendlyName,
        twilioSid: input.twilioSid,
        createdBy: BigInt(input.createdBy),
      })
      .returning();
    return { outcome: 'created', conversation: toConversation(row) };
  }

  async findById(id: string): Promise<OutreachConversation | null> {
    const [row] = await this.database.db
      .select()
      .from(t)
      .where(and(eq(t.id, id), livingRow));
    return row ? toConversation(row) : null;
  }

  async list(filter: ConversationFilter, limit: number, after?: string): Promise<ConversationPage> {
    const conditions = [eq(t.tenantId, filter.tenantId), livingRow];
    if (filter.practiceId) conditions.push(eq(t.practiceId, filter.practiceId));
    if (filter.patientPhone) conditions.push(eq(t.patientPhone, filter.patientPhone));
    if (filter.status) conditions.push(eq(t.status, filter.status));
    // keyset paging on (created_at, id), read from the cursor's row so no timestamp precision is lost in the cursor
    if (after) conditions.push(sql`(${t.createdAt}, ${t.id}) < (select c.created_at, c.id from sms_conversations c where c.id = ${after}::uuid)`);
    const rows = await this.database.db
      .select()
      .from(t)
      .where(and(...conditions))
      .orderBy(desc(t.createdAt), desc(t.id))
      .limit(limit + 1);
    const page = rows.slice(0, limit).map(toConversation);
    return { conversations: page, nextCursor: rows.length > limit ? page[page.length - 1].id : null };
  }

  archive(id: string): Promise<ArchiveResult | null> {
    return this.underPatientLock(id, async (tx, row) => {
      if (row.status !== 'active') return { outcome: row.status === 'closed' ? 'closed' : 'already_archived', conversation: toConversation(row) };
      const [updated] = await tx.update(t).set({ status: 'archived', archivedAt: new Date() }).where(eq(t.id, id)).returning();
      return { outcome: 'archived', conversation: toConversation(updated) };
    });
  }

  close(id: string): Promise<CloseResult | null> {
    return this.underPatientLock(id, async (tx, row) => {
      const closed =
        row.status === 'closed' ? row : (await tx.update(t).set({ status: 'closed', closedAt: new Date() }).where(eq(t.id, id)).returning())[0];
      const [other] = await tx
        .select({ id: t.id })
        .from(t)
        .where(and(usesTwilio(row.twilioSid), ne(t.id, id)))
        .limit(1);
      return { conversation: toConversation(closed), closeTwilio: !other };
    });
  }

  isTwilioConversationInUse(twilioSid: string): Promise<boolean> {
    return this.inUse(this.database.db, twilioSid);
  }

  /** a row's change under the same lock as the decision, so it never interleaves with an open of that patient */
  private async underPatientLock<R>(id: string, work: (tx: SqlTx, row: SmsConversationRow) => Promise<R>): Promise<R | null> {
    const found = await this.findById(id);
    if (!found) return null;
    return this.database.transaction(async (tx) => {
      await lockPatient(tx, found);
      const [row] = await tx.select().from(t).where(eq(t.id, id));
      return work(tx, row);
    });
  }

  private async inUse(executor: Pick<SqlTx, 'select'>, twilioSid: string): Promise<boolean> {
    const [row] = await executor.select({ id: t.id }).from(t).where(usesTwilio(twilioSid)).limit(1);
    return row !== undefined;
  }

  /** used by closed rows only */
  private async retired(tx: SqlTx, twilioSid: string): Promise<boolean> {
    const [closed] = await tx
      .select({ id: t.id })
      .from(t)
      .where(and(eq(t.twilioSid, twilioSid), livingRow, eq(t.status, 'closed')))
      .limit(1);
    return closed !== undefined && !(await this.inUse(tx, twilioSid));
  }
}
