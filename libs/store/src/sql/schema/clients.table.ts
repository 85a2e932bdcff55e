import { isNotNull } from 'drizzle-orm';
import { index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sitters } from './sitters.table';
import { recordTimestamps } from './record-timestamps';

export const clientSource = pgEnum('client_source', ['sync', 'first_contact']);

export const clients = pgTable(
  'clients',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name'),
    firstName: text('first_name'),
    lastName: text('last_name'),
    phone: text('phone').notNull(),
    timeToPetId: text('time_to_pet_id'),
    email: text('email'),
    address: text('address'),
    sitterId: uuid('sitter_id').references(() => sitters.id, { onDelete: 'set null' }),
    lastActiveAt: timestamp('last_active_at', { withTimezone: true }),
    source: clientSource('source').notNull(),
    ...recordTimestamps(),
  },
  (t) => [
    uniqueIndex('clients_phone_unique').on(t.phone),
    uniqueIndex('clients_time_to_pet_id_unique').on(t.timeToPetId).where(isNotNull(t.timeToPetId)),
    index('clients_sitter_id_idx').on(t.sitterId),
  ],
);

export type ClientRow = typeof clients.$inferSelect;
