import { and, eq, inArray } from 'drizzle-orm';
import { SqlTx } from '../database/sql-query-layer';
import { ClientRow, clients, sessions } from '../schema';

/**
 * Folds a duplicate client (a first contact holding the phone a synced record
 * now has) into the record that stays: its sessions move over, the duplicate
 * row goes. Where both have an active session with the same sitter the
 * duplicate's is closed, since a pair has one active session. Returns the
 * keeper's fields to update with what only the duplicate knew.
 */
export async function mergeClientInto(tx: SqlTx, stray: ClientRow, keeper: ClientRow): Promise<Partial<ClientRow>> {
  const keeperSitters = tx
    .select({ sitterId: sessions.sitterId })
    .from(sessions)
    .where(and(eq(sessions.clientId, keeper.id), eq(sessions.status, 'active')));
  await tx
    .update(sessions)
    .set({ status: 'closed', closedAt: new Date(), closeReason: 'client_merged' })
    .where(and(eq(sessions.clientId, stray.id), eq(sessions.status, 'active'), inArray(sessions.sitterId, keeperSitters)));
  await tx.update(sessions).set({ clientId: keeper.id }).where(eq(sessions.clientId, stray.id));
  await tx.delete(clients).where(eq(clients.id, stray.id));

  const lastActiveAt =
    keeper.lastActiveAt && stray.lastActiveAt
      ? new Date(Math.max(keeper.lastActiveAt.getTime(), stray.lastActiveAt.getTime()))
      : (keeper.lastActiveAt ?? stray.lastActiveAt);
  return { sitterId: keeper.sitterId ?? stray.sitterId, lastActiveAt };
}
