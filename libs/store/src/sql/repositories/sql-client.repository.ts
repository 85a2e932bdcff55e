import { Injectable } from '@nestjs/common';
import { eq } from 'drizzle-orm';
import { Client } from '../../domain';
import { ClientRepository, RecordNotFoundError, SyncClientAction, SyncClientInput } from '../../ports';
import { isRecordId, latest, lockForTransaction, updatedRow } from '../database/sql-query-layer';
import { SqlDatabase } from '../database/sql-database';
import { retryOnRace } from '../database/sql-errors';
import { toClient } from '../sql-mappers';
import { clients } from '../schema';
import { mergeClientInto } from './client-merge';

/** the client fields Time to Pet owns */
function syncedFields(input: SyncClientInput) {
  const name = `${input.firstName ?? ''} ${input.lastName ?? ''}`.trim();
  return {
    timeToPetId: input.timeToPetId,
    firstName: input.firstName,
    lastName: input.lastName,
    name: name || null,
    email: input.email,
    phone: input.phone,
    address: input.address,
    source: 'sync' as const,
  };
}

@Injectable()
export class SqlClientRepository extends ClientRepository {
  constructor(private readonly database: SqlDatabase) {
    super();
  }

  async findById(id: string): Promise<Client | null> {
    if (!isRecordId(id)) return null;
    const [row] = await this.database.db.select().from(clients).where(eq(clients.id, id));
    return row ? toClient(row) : null;
  }

  async findByPhone(phone: string): Promise<Client | null> {
    const [row] = await this.database.db.select().from(clients).where(eq(clients.phone, phone));
    return row ? toClient(row) : null;
  }

  async findByTimeToPetId(timeToPetId: string): Promise<Client | null> {
    const [row] = await this.database.db.select().from(clients).where(eq(clients.timeToPetId, timeToPetId));
    return row ? toClient(row) : null;
  }

  /**
   * Lock-free on purpose (it is on the message path): the unique phone index
   * decides the race; a loser waits for the winner's commit and reads its row.
   */
  async findOrCreateByPhone(phone: string, sitterId: string | null = null): Promise<{ client: Client; created: boolean }> {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const [inserted] = await this.database.db
        .insert(clients)
        .values({ phone, sitterId, source: 'first_contact' })
        .onConflictDoNothing({ target: clients.phone })
        .returning();
      if (inserted) return { client: toClient(inserted), created: true };
      const existing = await this.findByPhone(phone);
      if (existing) return { client: existing, created: false };
      // the row we collided with was merged away between the two statements: insert again
    }
    throw new Error('could not find or create the client after 3 attempts');
  }

  /**
   * Syncs of one Time to Pet id or one phone run one at a time (advisory locks,
   * Time to Pet id first so two syncs never wait on each other in a circle).
   * First contacts take no lock: if one lands between our read and write, the
   * unique phone index refuses our write and the retry merges into it.
   */
  async upsertFromSync(input: SyncClientInput): Promise<{ client: Client; action: SyncClientAction }> {
    const fields = syncedFields(input);
    return retryOnRace(() =>
      this.database.transaction(async (tx) => {
        await lockForTransaction(tx, 'client-time-to-pet-id', input.timeToPetId);
        await lockForTransaction(tx, 'client-phone', input.phone);
        const [byId] = await tx.select().from(clients).where(eq(clients.timeToPetId, input.timeToPetId)).for('update');
        const [byPhone] = await tx.select().from(clients).where(eq(clients.phone, input.phone)).for('update');

        if (!byId && !byPhone) {
          const [created] = await tx.insert(clients).values(fields).returning();
          return { client: toClient(created), action: 'created' as const };
        }
        const keeper = byId ?? byPhone;
        const stray = byId && byPhone && byPhone.id !== byId.id ? byPhone : null;
        const absorbed = stray ? await mergeClientInto(tx, stray, keeper) : {};
        const [row] = await tx
          .update(clients)
          .set({ ...fields, ...absorbed })
          .where(eq(clients.id, keeper.id))
          .returning();
        return { client: toClient(row), action: byId && !stray ? ('updated' as const) : ('merged' as const) };
      }),
    );
  }

  async touch(id: string, at: Date, sitterId?: string | null): Promise<void> {
    if (!isRecordId(id)) throw new RecordNotFoundError('client', id);
    const rows = await this.database.db
      .update(clients)
      .set({ lastActiveAt: latest(clients.lastActiveAt, at), ...(sitterId ? { sitterId } : {}) })
      .where(eq(clients.id, id))
      .returning({ id: clients.id });
    updatedRow(rows, 'client', id);
  }
}
