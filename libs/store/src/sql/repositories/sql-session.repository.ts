import { Injectable } from '@nestjs/common';
import { and, asc, count, eq, isNotNull, lt, notExists, sql } from 'drizzle-orm';
import { Session } from '../../domain';
import { OpenSessionInput, OpenSessionResult, RecordNotFoundError, SessionRepository } from '../../ports';
import { isRecordId, latest, lockForTransaction, SqlTx, updatedRow } from '../database/sql-query-layer';
import { SqlDatabase } from '../database/sql-database';
import { retryOnRace } from '../database/sql-errors';
import { toSession } from '../sql-mappers';
import { numbers, sessions } from '../schema';

const isActive = eq(sessions.status, 'active');

@Injectable()
export class SqlSessionRepository extends SessionRepository {
  constructor(private readonly database: SqlDatabase) {
    super();
  }

  async findById(id: string): Promise<Session | null> {
    if (!isRecordId(id)) return null;
    const [row] = await this.database.db.select().from(sessions).where(eq(sessions.id, id));
    return row ? toSession(row) : null;
  }

  async findActiveForClientAndSitter(clientId: string, sitterId: string): Promise<Session | null> {
    if (!isRecordId(clientId) || !isRecordId(sitterId)) return null;
    const [row] = await this.database.db
      .select()
      .from(sessions)
      .where(and(eq(sessions.clientId, clientId), eq(sessions.sitterId, sitterId), isActive));
    return row ? toSession(row) : null;
  }

  async findActiveBySitterAndPoolNumber(sitterId: string, poolNumber: string): Promise<Session | null> {
    if (!isRecordId(sitterId)) return null;
    const [row] = await this.database.db
      .select()
      .from(sessions)
      .where(and(eq(sessions.sitterId, sitterId), eq(sessions.poolNumber, poolNumber), isActive));
    return row ? toSession(row) : null;
  }

  /**
   * Per-sitter advisory lock: every open for one sitter, in any process, runs
   * one at a time, so "find the pair's session, else claim a free pool number"
   * never races. The two partial unique indexes on active sessions back it up;
   * should one still fire, the retry answers from the winner's row.
   */
  async openOrGet(input: OpenSessionInput): Promise<OpenSessionResult> {
    if (!isRecordId(input.clientId)) throw new RecordNotFoundError('client', input.clientId);
    if (!isRecordId(input.sitterId)) throw new RecordNotFoundError('sitter', input.sitterId);
    return retryOnRace(() =>
      this.database.transaction(async (tx): Promise<OpenSessionResult> => {
        await lockForTransaction(tx, 'sitter-sessions', input.sitterId);
        const [existing] = await tx
          .select()
          .from(sessions)
          .where(and(eq(sessions.clientId, input.clientId), eq(sessions.sitterId, input.sitterId), isActive));
        if (existing) return { outcome: 'existing', session: toSession(existing) };

        const poolNumber = await this.claimPoolNumberForSitter(tx, input.sitterId);
        if (!poolNumber) return { outcome: 'exhausted' };
        const [created] = await tx
          .insert(sessions)
          .values({
            clientId: input.clientId,
            sitterId: input.sitterId,
            reservedNumber: input.reservedNumber,
            poolNumber,
            lastActivityAt: input.now,
          })
          .returning();
        return { outcome: 'created', session: toSession(created) };
      }),
    );
  }

  async touch(id: string, at: Date): Promise<void> {
    if (!isRecordId(id)) throw new RecordNotFoundError('session', id);
    const rows = await this.database.db
      .update(sessions)
      .set({ lastActivityAt: latest(sessions.lastActivityAt, at) })
      .where(eq(sessions.id, id))
      .returning({ id: sessions.id });
    updatedRow(rows, 'session', id);
  }

  async close(id: string, reason: string, at: Date): Promise<Session | null> {
    if (!isRecordId(id)) throw new RecordNotFoundError('session', id);
    const [row] = await this.database.db
      .update(sessions)
      .set({ status: 'closed', closedAt: at, closeReason: reason })
      .where(and(eq(sessions.id, id), isActive))
      .returning();
    if (row) return toSession(row);
    if (!(await this.findById(id))) throw new RecordNotFoundError('session', id);
    return null;
  }

  async listIdleSince(cutoff: Date, limit: number): Promise<Session[]> {
    const rows = await this.database.db
      .select()
      .from(sessions)
      .where(and(isActive, lt(sessions.lastActivityAt, cutoff)))
      .orderBy(asc(sessions.lastActivityAt))
      .limit(limit);
    return rows.map(toSession);
  }

  async listActiveByReservedNumber(reservedNumber: string): Promise<Session[]> {
    const rows = await this.database.db
      .select()
      .from(sessions)
      .where(and(eq(sessions.reservedNumber, reservedNumber), isActive))
      .orderBy(asc(sessions.createdAt));
    return rows.map(toSession);
  }

  async countActive(): Promise<number> {
    const [row] = await this.database.db.select({ count: count() }).from(sessions).where(isActive);
    return Number(row.count);
  }

  async countActiveByPoolNumber(poolNumber: string): Promise<number> {
    const [row] = await this.database.db.select({ count: count() }).from(sessions).where(and(eq(sessions.poolNumber, poolNumber), isActive));
    return Number(row.count);
  }

  async countAll(): Promise<number> {
    const [row] = await this.database.db.select({ count: count() }).from(sessions);
    return Number(row.count);
  }

  /** the oldest ready pool number no active session of this sitter holds; call under the sitter's lock */
  private async claimPoolNumberForSitter(tx: SqlTx, sitterId: string): Promise<string | null> {
    const heldBySitter = tx
      .select({ one: sql`1` })
      .from(sessions)
      .where(and(eq(sessions.sitterId, sitterId), isActive, eq(sessions.poolNumber, numbers.phoneNumber)));
    const [free] = await tx
      .select({ phoneNumber: numbers.phoneNumber })
      .from(numbers)
      .where(and(eq(numbers.lifecycle, 'pool'), eq(numbers.status, 'ready'), isNotNull(numbers.phoneNumber), notExists(heldBySitter)))
      .orderBy(asc(numbers.purchasedAt), asc(numbers.createdAt))
      .limit(1);
    return free?.phoneNumber ?? null;
  }
}
