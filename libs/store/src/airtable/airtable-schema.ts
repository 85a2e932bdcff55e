import { AirtableSchemaOverrides } from '@maskline/config';
import { AuditSeverity, ClientSource, Lifecycle, MessageDirection, NumberStatus, SessionStatus, SitterStatus } from '../domain';

/**
 * Table and field names of the business's Airtable base (SPEC section 2, seed
 * Zap designs). Operators may rename any of them through AIRTABLE_SCHEMA_JSON:
 * `{"tables":{"clients":"Customers"},"fields":{"clients":{"phone":"Mobile"}}}`
 * where keys are the logical names below.
 *
 * Design choices forced by Airtable:
 * - E.164 keys live in single-line text fields: a phone-number field cannot be
 *   an upsert merge field.
 * - References to other records are record ids in text fields ("... Record ID"),
 *   not linked-record fields: formulas compare a linked field by the linked
 *   record's primary value, never by id, so a linked field cannot be filtered on.
 * - Every table has a unique key field (Phone, Purchase Token, Session Key,
 *   Write ID, Event ID) so an uncertain create can be redone as a keyed upsert.
 */
export type AirtableFieldType = 'singleLineText' | 'multilineText' | 'email' | 'singleSelect' | 'dateTime';

export interface FieldDef {
  name: string;
  type: AirtableFieldType;
  /** singleSelect options (logical values) `npm run airtable:setup` gives a field it creates; writes add others (typecast) */
  choices?: readonly string[];
}

const text = (name: string): FieldDef => ({ name, type: 'singleLineText' });
const long = (name: string): FieldDef => ({ name, type: 'multilineText' });
const select = (name: string, choices: readonly string[]): FieldDef => ({ name, type: 'singleSelect', choices });
const date = (name: string): FieldDef => ({ name, type: 'dateTime' });
/** every value of a domain union: the object literal must name each one, and nothing else */
const every = <T extends string>(values: Record<T, true>): T[] => Object.keys(values) as T[];

export const AIRTABLE_DEFAULT_SCHEMA = {
  sitters: {
    name: 'Sitters',
    fields: {
      name: text('Name'),
      phone: text('Phone'),
      email: { name: 'Email', type: 'email' } as FieldDef,
      status: select('Status', every<SitterStatus>({ pending: true, active: true, inactive: true })),
      reservedNumber: text('Reserved Number'),
      createdAt: date('Created At'),
      updatedAt: date('Updated At'),
    },
  },
  clients: {
    name: 'Clients',
    fields: {
      name: text('Name'),
      firstName: text('First Name'),
      lastName: text('Last Name'),
      phone: text('Phone'),
      timeToPetId: text('Time to Pet ID'),
      email: { name: 'Email', type: 'email' } as FieldDef,
      address: long('Address'),
      sitterId: text('Sitter Record ID'),
      lastActiveAt: date('Last Active'),
      source: select('Source', every<ClientSource>({ sync: true, first_contact: true })),
      createdAt: date('Created At'),
      updatedAt: date('Updated At'),
    },
  },
  numbers: {
    name: 'Number Inventory',
    fields: {
      phoneNumber: text('Phone Number'),
      twilioSid: text('Twilio SID'),
      lifecycle: select('Lifecycle', every<Lifecycle>({ pool: true, reserved: true, standby: true })),
      status: select('Status', every<NumberStatus>({ pending: true, ready: true, failed: true, released: true })),
      sitterId: text('Sitter Record ID'),
      areaCode: text('Area Code'),
      purchasedAt: date('Purchased At'),
      purchaseReason: text('Purchase Reason'),
      purchaseToken: text('Purchase Token'),
      verificationResult: text('Verification Result'),
      errorCode: text('Error Code'),
      errorMessage: long('Error Message'),
      jobId: text('Job ID'),
      createdAt: date('Created At'),
      updatedAt: date('Updated At'),
    },
  },
  sessions: {
    name: 'Sessions',
    fields: {
      sessionKey: text('Session Key'),
      clientId: text('Client Record ID'),
      sitterId: text('Sitter Record ID'),
      reservedNumber: text('Reserved Number'),
      poolNumber: text('Pool Number'),
      status: select('Status', every<SessionStatus>({ active: true, closed: true })),
      lastActivityAt: date('Last Activity'),
      createdAt: date('Created At'),
      closedAt: date('Closed At'),
      closeReason: text('Close Reason'),
    },
  },
  messages: {
    name: 'Messages',
    fields: {
      writeId: text('Write ID'),
      direction: select('Direction', every<MessageDirection>({ client_to_sitter: true, sitter_to_client: true, system_notice: true, alert: true })),
      sessionId: text('Session Record ID'),
      from: text('From'),
      to: text('To'),
      body: long('Body'),
      mediaUrls: long('Media URLs'),
      inboundSid: text('Inbound SID'),
      twilioSid: text('Twilio SID'),
      status: text('Status'),
      errorCode: text('Error Code'),
      createdAt: date('Created At'),
      updatedAt: date('Updated At'),
    },
  },
  audit: {
    name: 'Audit Log',
    fields: {
      eventId: text('Event ID'),
      eventType: text('Event Type'),
      category: text('Category'),
      severity: select('Severity', every<AuditSeverity>({ info: true, warning: true, error: true })),
      details: long('Details'),
      numberId: text('Number Record ID'),
      sitterId: text('Sitter Record ID'),
      clientId: text('Client Record ID'),
      phoneNumber: text('Phone Number'),
      createdAt: date('Created At'),
    },
  },
} satisfies Record<string, { name: string; fields: Record<string, FieldDef> }>;

type Defaults = typeof AIRTABLE_DEFAULT_SCHEMA;
export type TableKey = keyof Defaults;
export type FieldKey<T extends TableKey> = keyof Defaults[T]['fields'] & string;

export interface ResolvedTable<T extends TableKey> {
  key: T;
  name: string;
  /** logical field → the base's field name */
  fields: { [F in FieldKey<T>]: string };
  types: { [F in FieldKey<T>]: AirtableFieldType };
}
export type ResolvedSchema = { [T in TableKey]: ResolvedTable<T> };

export const TABLE_KEYS = Object.keys(AIRTABLE_DEFAULT_SCHEMA) as TableKey[];

/** Applies AIRTABLE_SCHEMA_JSON overrides; unknown logical names fail start-up with the list of valid ones. */
export function resolveAirtableSchema(overrides: AirtableSchemaOverrides = {}): ResolvedSchema {
  const unknownTables = [...Object.keys(overrides.tables ?? {}), ...Object.keys(overrides.fields ?? {})].filter(
    (t) => !(t in AIRTABLE_DEFAULT_SCHEMA),
  );
  if (unknownTables.length) {
    throw new Error(`AIRTABLE_SCHEMA_JSON names unknown tables ${unknownTables.join(', ')}; use ${TABLE_KEYS.join(', ')}`);
  }
  const out: Record<string, unknown> = {};
  for (const key of TABLE_KEYS) {
    const def = AIRTABLE_DEFAULT_SCHEMA[key];
    const fieldOverrides = overrides.fields?.[key] ?? {};
    const unknownFields = Object.keys(fieldOverrides).filter((f) => !(f in def.fields));
    if (unknownFields.length) {
      throw new Error(
        `AIRTABLE_SCHEMA_JSON names unknown fields of ${key}: ${unknownFields.join(', ')}; use ${Object.keys(def.fields).join(', ')}`,
      );
    }
    const fields: Record<string, string> = {};
    const types: Record<string, AirtableFieldType> = {};
    for (const [f, d] of Object.entries(def.fields) as [string, FieldDef][]) {
      fields[f] = fieldOverrides[f] ?? d.name;
      types[f] = d.type;
    }
    out[key] = { key, name: overrides.tables?.[key] ?? def.name, fields, types };
  }
  return out as ResolvedSchema;
}
