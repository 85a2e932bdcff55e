import {
  AuditEvent,
  AuditSeverity,
  Client,
  ClientSource,
  InventoryNumber,
  Lifecycle,
  Message,
  MessageDirection,
  NumberStatus,
  Session,
  SessionStatus,
  Sitter,
  SitterStatus,
} from '../domain';
import { AirtableRow, Fields } from './airtable-gateway';
import { FieldKey, ResolvedTable, TableKey } from './airtable-schema';

/**
 * Rows ↔ domain records. Select options that ops see in the base are Title
 * Case as the seed Zaps use them ({Lifecycle} = "Pool", {Status} = "Ready");
 * reading accepts any case. Airtable omits empty cells, so a missing cell is null.
 */
export function choiceLabel(value: string): string {
  return value
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
}

const fromChoice = (label: string | null): string | null => (label === null ? null : label.trim().toLowerCase().replace(/ +/g, '_'));

function reader<T extends TableKey>(t: ResolvedTable<T>, row: AirtableRow) {
  const raw = (k: FieldKey<T>) => row.fields[t.fields[k]];
  const str = (k: FieldKey<T>): string | null => {
    const v = raw(k);
    return v === undefined || v === null || v === '' ? null : String(v);
  };
  return {
    str,
    date: (k: FieldKey<T>): Date | null => {
      const v = str(k);
      return v === null ? null : new Date(v);
    },
    choice: <C extends string>(k: FieldKey<T>): C | null => fromChoice(str(k)) as C | null,
    json: <J>(k: FieldKey<T>, fallback: J): J => {
      const v = str(k);
      if (v === null) return fallback;
      try {
        return JSON.parse(v) as J;
      } catch {
        return fallback;
      }
    },
  };
}

/** logical values → a write's fields: Dates as ISO, undefined skipped, null clears the cell */
export function fieldsOf<T extends TableKey>(t: ResolvedTable<T>, values: Partial<Record<FieldKey<T>, unknown>>): Fields {
  const out: Fields = {};
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined) continue;
    out[t.fields[k as FieldKey<T>]] = v instanceof Date ? v.toISOString() : v;
  }
  return out;
}

const created = (row: AirtableRow, at: Date | null): Date => at ?? new Date(row.createdTime);

export function toSitter(row: AirtableRow, t: ResolvedTable<'sitters'>): Sitter {
  const r = reader(t, row);
  const createdAt = created(row, r.date('createdAt'));
  return {
    id: row.id,
    name: r.str('name') ?? '',
    phone: r.str('phone') ?? '',
    email: r.str('email'),
    status: r.choice<SitterStatus>('status') ?? 'pending',
    reservedNumber: r.str('reservedNumber'),
    createdAt,
    updatedAt: r.date('updatedAt') ?? createdAt,
  };
}

export function toClient(row: AirtableRow, t: ResolvedTable<'clients'>): Client {
  const r = reader(t, row);
  const createdAt = created(row, r.date('createdAt'));
  return {
    id: row.id,
    name: r.str('name'),
    firstName: r.str('firstName'),
    lastName: r.str('lastName'),
    phone: r.str('phone') ?? '',
    timeToPetId: r.str('timeToPetId'),
    email: r.str('email'),
    address: r.str('address'),
    sitterId: r.str('sitterId'),
    lastActiveAt: r.date('lastActiveAt'),
    source: r.choice<ClientSource>('source') ?? 'first_contact',
    createdAt,
    updatedAt: r.date('updatedAt') ?? createdAt,
  };
}

export function toNumber(row: AirtableRow, t: ResolvedTable<'numbers'>): InventoryNumber {
  const r = reader(t, row);
  const createdAt = created(row, r.date('createdAt'));
  return {
    id: row.id,
    phoneNumber: r.str('phoneNumber'),
    twilioSid: r.str('twilioSid'),
    lifecycle: r.choice<Lifecycle>('lifecycle') ?? 'pool',
    status: r.choice<NumberStatus>('status') ?? 'pending',
    sitterId: r.str('sitterId'),
    areaCode: r.str('areaCode') ?? '',
    purchasedAt: r.date('purchasedAt'),
    purchaseReason: r.str('purchaseReason'),
    purchaseToken: r.str('purchaseToken') ?? '',
    verificationResult: r.str('verificationResult'),
    errorCode: r.str('errorCode'),
    errorMessage: r.str('errorMessage'),
    jobId: r.str('jobId'),
    createdAt,
    updatedAt: r.date('updatedAt') ?? createdAt,
  };
}

export function toSession(row: AirtableRow, t: ResolvedTable<'sessions'>): Session {
  const r = reader(t, row);
  const createdAt = created(row, r.date('createdAt'));
  return {
    id: row.id,
    clientId: r.str('clientId') ?? '',
    sitterId: r.str('sitterId') ?? '',
    reservedNumber: r.str('reservedNumber') ?? '',
    poolNumber: r.str('poolNumber') ?? '',
    status: r.choice<SessionStatus>('status') ?? 'closed',
    lastActivityAt: r.date('lastActivityAt') ?? createdAt,
    createdAt,
    closedAt: r.date('closedAt'),
    closeReason: r.str('closeReason'),
  };
}

export function toMessage(row: AirtableRow, t: ResolvedTable<'messages'>): Message {
  const r = reader(t, row);
  const createdAt = created(row, r.date('createdAt'));
  return {
    id: row.id,
    // direction and status are stored as given: they are machine values, not ops-facing labels
    direction: (r.str('direction') ?? 'client_to_sitter') as MessageDirection,
    sessionId: r.str('sessionId'),
    from: r.str('from') ?? '',
    to: r.str('to') ?? '',
    body: r.str('body') ?? '',
    mediaUrls: r.json<string[]>('mediaUrls', []),
    inboundSid: r.str('inboundSid'),
    twilioSid: r.str('twilioSid'),
    status: r.str('status') ?? '',
    errorCode: r.str('errorCode'),
    createdAt,
    updatedAt: r.date('updatedAt') ?? createdAt,
  };
}

export function toAuditEvent(row: AirtableRow, t: ResolvedTable<'audit'>): AuditEvent {
  const r = reader(t, row);
  return {
    id: row.id,
    eventType: r.str('eventType') ?? '',
    category: r.str('category') ?? '',
    severity: (r.str('severity') ?? 'info') as AuditSeverity,
    details: r.json<Record<string, unknown>>('details', {}),
    numberId: r.str('numberId'),
    sitterId: r.str('sitterId'),
    clientId: r.str('clientId'),
    phoneNumber: r.str('phoneNumber'),
    createdAt: created(row, r.date('createdAt')),
  };
}
