import { sql } from 'drizzle-orm';
import { bigint, boolean, index, pgEnum, pgTable, timestamp, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { recordTimestamps } from './record-timestamps';

export const smsConversationStatus = pgEnum('sms_conversation_status', ['active', 'archived', 'closed']);

/**
 * Outreach conversations (SPEC section 7): always in this SQL database,
 * whatever STORE_DRIVER says. Column names and sizes are the outreach
 * callers' contract (seed 004); `active` is the soft-delete flag every
 * lookup reads. BIGINT ids are JavaScript bigints here (mode 'bigint') and
 * strings everywhere else, so no id above 2^53 loses precision.
 */
export const smsConversations = pgTable(
  'sms_conversations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull(),
    practiceId: uuid('practice_id').notNull(),
    coordinatorSaxId: bigint('coordinator_sax_id', { mode: 'bigint' }).notNull(),
    patientPhone: varchar('patient_phone', { length: 20 }).notNull(),
    friendlyName: varchar('friendly_name', { length: 255 }),
    twilioSid: varchar('twilio_sid', { length: 34 }).notNull(),
    createdBy: bigint('created_by', { mode: 'bigint' }).notNull(),
    status: smsConversationStatus('status').notNull().default('active'),
    active: boolean('active').notNull().default(true),
    ...recordTimestamps(),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [
    // the second line of defence behind the advisory lock: one active conversation per patient phone per practice
    uniqueIndex('sms_conversations_one_active_per_practice_phone')
      .on(t.tenantId, t.practiceId, t.patientPhone)
      .where(sql`${t.status} = 'active' and ${t.active}`),
    index('sms_conversations_practice_phone_idx').on(t.tenantId, t.practiceId, t.patientPhone),
    // "does another row still use this Twilio conversation?" before closing or deleting it
    index('sms_conversations_twilio_sid_idx').on(t.twilioSid),
    // the list route pages by (created_at, id) newest first within a tenant
    index('sms_conversations_tenant_created_idx').on(t.tenantId, t.createdAt, t.id),
  ],
);

export type SmsConversationRow = typeof smsConversations.$inferSelect;
