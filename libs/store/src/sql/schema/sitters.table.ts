import { index, pgEnum, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { recordTimestamps } from './record-timestamps';

export const sitterStatus = pgEnum('sitter_status', ['pending', 'active', 'inactive']);

export const sitters = pgTable(
  'sitters',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    phone: text('phone').notNull(),
    email: text('email'),
    status: sitterStatus('status').notNull().default('pending'),
    reservedNumber: text('reserved_number'),
    ...recordTimestamps(),
  },
  (t) => [uniqueIndex('sitters_phone_unique').on(t.phone), index('sitters_reserved_number_idx').on(t.reservedNumber)],
);

export type SitterRow = typeof sitters.$inferSelect;
