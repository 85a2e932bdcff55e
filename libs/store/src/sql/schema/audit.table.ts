import { sql } from 'drizzle-orm';
import { bigint, index, jsonb, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const auditSeverity = pgEnum('audit_severity', ['info', 'warning', 'error']);

/** Related ids are plain text, not foreign keys: an audit line must always land. */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** insertion order; "newest first" must not depend on timestamp ties */
    seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    eventType: text('event_type').notNull(),
    category: text('category').notNull(),
    severity: auditSeverity('severity').notNull().default('info'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    numberId: text('number_id'),
    sitterId: text('sitter_id'),
    clientId: text('client_id'),
    phoneNumber: text('phone_number'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('audit_events_seq_idx').on(t.seq), index('audit_events_type_seq_idx').on(t.eventType, t.seq)],
);

export type AuditEventRow = typeof auditEvents.$inferSelect;
