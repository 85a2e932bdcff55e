import { isNotNull, sql } from 'drizzle-orm';
import { bigint, index, jsonb, pgEnum, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { recordTimestamps } from './record-timestamps';

export const messageDirection = pgEnum('message_direction', ['client_to_sitter', 'sitter_to_client', 'system_notice', 'alert']);

/**
 * The relay's history. session_id is deliberately not a foreign key: a log
 * line must land even when what it refers to is odd or gone.
 */
export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** insertion order; timestamps of one burst can tie */
    seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    direction: messageDirection('direction').notNull(),
    sessionId: text('session_id'),
    from: text('from_number').notNull(),
    to: text('to_number').notNull(),
    body: text('body').notNull(),
    mediaUrls: jsonb('media_urls').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    inboundSid: text('inbound_sid'),
    twilioSid: text('twilio_sid'),
    status: text('status').notNull(),
    errorCode: text('error_code'),
    ...recordTimestamps(),
  },
  (t) => [
    // a relay job retried after Twilio accepted the send records the same MessageSid again
    uniqueIndex('messages_twilio_sid_unique').on(t.twilioSid).where(isNotNull(t.twilioSid)),
    index('messages_session_seq_idx').on(t.sessionId, t.seq),
  ],
);

export type MessageRow = typeof messages.$inferSelect;
