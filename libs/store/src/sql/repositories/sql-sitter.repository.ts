import { Injectable } from '@nestjs/common';
import { and, count, desc, eq, isNull, ne } from 'drizzle-orm';
import { Sitter, SitterStatus } from '../../domain';
import { RecordNotFoundError, SitterRepository, UpsertSitterInput } from '../../ports';
import { isRecordId, updatedRow } from '../database/sql-query-layer';
import { SqlDatabase } from '../database/sql-database';
import { toSitter } from '../sql-mappers';
import { sitters } from '../schema';

@Injectable()
export class SqlSitterRepository extends SitterRepository {
  constructor(private readonly database: SqlDatabase) {
    super();
  }

  async findById(id: string): Promise<Sitter | null> {
    if (!isRecordId(id)) return null;
    const [row] = await this.database.db.select().from(sitters).where(eq(sitters.id, id));
    return row ? toSitter(row) : null;
  }

  async findByPhone(phone: string): Promise<Sitter | null> {
    const [row] = await this.database.db.select().from(sitters).where(eq(sitters.phone, phone));
    return row ? toSitter(row) : null;
  }

  async countWithoutReservedNumber(): Promise<number> {
    const [row] = await this.database.db
      .select({ count: count() })
      .from(sitters)
      .where(and(isNull(sitters.reservedNumber), ne(sitters.status, 'inactive')));
    return Number(row.count);
  }

  async findByReservedNumber(reservedNumber: string): Promise<Sitter | null> {
    // not unique in the table: during a hand-over the newest holder is the one that counts
    const [row] = await this.database.db
      .select()
      .from(sitters)
      .where(eq(sitters.reservedNumber, reservedNumber))
      .orderBy(desc(sitters.updatedAt))
      .limit(1);
    return row ? toSitter(row) : null;
  }

  /**
   * Insert-or-nothing, then update: the unique phone index makes concurrent
   * first calls agree on one row, and sitters are never deleted, so the row the
   * insert lost to is there to update.
   */
  async upsertByPhone(input: UpsertSitterInput): Promise<{ sitter: Sitter; created: boolean }> {
    const db = this.database.db;
    const [inserted] = await db
      .insert(sitters)
      .values({ name: input.name, phone: input.phone, email: input.email ?? null })
      .onConflictDoNothing({ target: sitters.phone })
      .returning();
    if (inserted) return { sitter: toSitter(inserted), created: true };

    const changes = input.email === undefined ? { name: input.name } : { name: input.name, email: input.email };
    const [updated] = await db.update(sitters).set(changes).where(eq(sitters.phone, input.phone)).returning();
    if (!updated) throw new Error('sitter row disappeared during upsert by phone');
    return { sitter: toSitter(updated), created: false };
  }

  async setReservedNumber(id: string, reservedNumber: string | null, status: SitterStatus): Promise<Sitter> {
    return this.update(id, { reservedNumber, status });
  }

  private async update(id: string, changes: Partial<typeof sitters.$inferInsert>): Promise<Sitter> {
    if (!isRecordId(id)) throw new RecordNotFoundError('sitter', id);
    const rows = await this.database.db.update(sitters).set(changes).where(eq(sitters.id, id)).returning();
    return toSitter(updatedRow(rows, 'sitter', id));
  }
}
