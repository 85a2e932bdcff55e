import { sql } from 'drizzle-orm';
import { index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { clients } from './clients.table';
import { sitters } from './sitters.table';

export const sessionStatus = pgEnum('session_status', ['active', 'closed']);

export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    clientId: uuid('client_id')
      .notNull()
      .references(() => clients.id),
    sitterId: uuid('sitter_id')
      .notNull()
      .references(() => sitters.id),
    reservedNumber: text('reserved_number').notNull(),
    poolNumber: text('pool_number').notNull(),
    status: sessionStatus('status').notNull().default('active'),
    lastActivityAt: timestamp('last_activity_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    closeReason: text('close_reason'),
  },
  // Partial-index predicates are literal SQL: drizzle-kit renders eq() there as $1 placeholders.
  (t) => [
    // the two rules the relay depends on: one thread per pair, one pair per (sitter, P)
    uniqueIndex('sessions_one_active_per_client_sitter').on(t.clientId, t.sitterId).where(sql`${t.status} = 'active'`),
    uniqueIndex('sessions_one_active_per_sitter_pool_number').on(t.sitterId, t.poolNumber).where(sql`${t.status} = 'active'`),
    index('sessions_active_last_activity_idx').on(t.lastActivityAt).where(sql`${t.status} = 'active'`),
    index('sessions_reserved_number_idx').on(t.reservedNumber),
    index('sessions_client_id_idx').on(t.clientId),
  ],
);

export type SessionRow = typeof sessions.$inferSelect;
