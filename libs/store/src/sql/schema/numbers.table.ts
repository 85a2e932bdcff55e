import { isNotNull, sql } from 'drizzle-orm';
import { index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sitters } from './sitters.table';
import { recordTimestamps } from './record-timestamps';

export const numberLifecycle = pgEnum('number_lifecycle', ['pool', 'reserved', 'standby']);
export const numberStatus = pgEnum('number_status', ['pending', 'ready', 'failed', 'released']);

export const numbers = pgTable(
  'number_inventory',
  {
    id: uuid('id').primaryKey(),
    phoneNumber: text('phone_number'),
    twilioSid: text('twilio_sid'),
    lifecycle: numberLifecycle('lifecycle').notNull(),
    status: numberStatus('status').notNull().default('pending'),
    sitterId: uuid('sitter_id').references(() => sitters.id, { onDelete: 'set null' }),
    areaCode: text('area_code').notNull(),
    purchasedAt: timestamp('purchased_at', { withTimezone: true }),
    purchaseReason: text('purchase_reason'),
    purchaseToken: text('purchase_token').notNull(),
    verificationResult: text('verification_result'),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    jobId: text('job_id'),
    ...recordTimestamps(),
  },
  (t) => [
    uniqueIndex('numbers_phone_number_unique').on(t.phoneNumber).where(isNotNull(t.phoneNumber)),
    uniqueIndex('numbers_purchase_token_unique').on(t.purchaseToken),
    // a sitter never holds two reserved numbers that are bought or being bought
    uniqueIndex('numbers_one_open_reserved_per_sitter')
      .on(t.sitterId)
      .where(sql`${t.lifecycle} = 'reserved' and ${t.status} in ('pending', 'ready')`),
    index('numbers_lifecycle_status_idx').on(t.lifecycle, t.status, t.purchasedAt),
    index('numbers_created_at_idx').on(t.createdAt),
  ],
);

export type NumberRow = typeof numbers.$inferSelect;
