import { randomBytes } from 'node:crypto';
import { CellValue, compileFormula, FormulaError } from './fake-airtable-formula';

/** An error the fake answers as Airtable does: `{"error":{"type","message"}}` with this status. */
export class FakeApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export interface FakeFieldSchema {
  name: string;
  /** Airtable field type: singleLineText, multilineText, email, phoneNumber, singleSelect, dateTime, number, checkbox */
  type: string;
  /** singleSelect choices; when given, other values need typecast (which adds them) */
  options?: string[];
}
export interface FakeTableSchema {
  name: string;
  fields: FakeFieldSchema[];
}

export interface FakeRecord {
  id: string;
  createdTime: string;
  fields: Record<string, unknown>;
}

export interface ListParams {
  filterByFormula?: string;
  pageSize?: number;
  offset?: string;
  maxRecords?: number;
  fields?: string[];
  sort?: { field: string; direction?: string }[];
}

export interface WriteRecord {
  id?: string;
  fields?: Record<string, unknown>;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export function airtableId(prefix: string): string {
  const bytes = randomBytes(14);
  return prefix + Array.from(bytes, (b) => ALNUM[b % ALNUM.length]).join('');
}

// Airtable's per-request write limit (PITFALLS: Airtable).
const MAX_WRITE = 10;
const MAX_PAGE = 100;

const TEXT_TYPES = new Set(['singleLineText', 'multilineText', 'email', 'phoneNumber', 'url', 'singleSelect']);

export class FakeTable {
  readonly id = airtableId('tbl');
  readonly records = new Map<string, FakeRecord>();
  private readonly fieldByName: Map<string, FakeFieldSchema & { id: string }>;

  constructor(readonly schema: FakeTableSchema) {
    this.fieldByName = new Map(schema.fields.map((f) => [f.name, { ...f, options: f.options && [...f.options], id: airtableId('fld') }]));
  }

  get name(): string {
    return this.schema.name;
  }

  /** adds a column (metadata API create field); the caller has validated it */
  addField(field: FakeFieldSchema) {
    if (this.fieldByName.has(field.name)) throw new Error(`field ${field.name} exists`);
    this.fieldByName.set(field.name, { ...field, options: field.options && [...field.options], id: airtableId('fld') });
    return this.meta().fields.find((f) => f.name === field.name)!;
  }

  /** the field this name would collide with: Airtable names are unique regardless of letter case */
  fieldNamed(name: string): FakeFieldSchema | undefined {
    return [...this.fieldByName.values()].find((f) => f.name.toLowerCase() === name.trim().toLowerCase());
  }

  meta() {
    const fields = [...this.fieldByName.values()].map((f) => ({
      id: f.id,
      name: f.name,
      type: f.type,
      ...(f.options ? { options: { choices: f.options.map((name) => ({ name })) } } : {}),
    }));
    return { id: this.id, name: this.name, primaryFieldId: fields[0]?.id, fields, views: [] };
  }

  list(params: ListParams): { records: FakeRecord[]; offset?: string } {
    const pageSize = params.pageSize ?? MAX_PAGE;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE) {
      throw new FakeApiError(422, 'INVALID_REQUEST_UNKNOWN', `pageSize must be 1..${MAX_PAGE}`);
    }
    params.fields?.forEach((f) => this.field(f));
    params.sort?.forEach((s) => this.field(s.field));
    let rows = [...this.records.values()];
    if (params.filterByFormula) {
      let formula;
      try {
        formula = compileFormula(params.filterByFormula);
      } catch (e) {
        if (!(e instanceof FormulaError)) throw e;
        throw new FakeApiError(422, 'INVALID_FILTER_BY_FORMULA', `The formula for filtering records is invalid: ${e.message}`);
      }
      const unknown = formula.fields.filter((f) => !this.fieldByName.has(f));
      if (unknown.length) {
        throw new FakeApiError(422, 'INVALID_FILTER_BY_FORMULA', `Unknown field names: ${unknown.join(', ')}`);
      }
      rows = rows.filter((r) => formula.matches({ id: r.id, cell: (f) => this.cell(r, f) }));
    }
    for (const s of [...(params.sort ?? [])].reverse()) {
      const dir = s.direction === 'desc' ? -1 : 1;
      rows.sort((a, b) => dir * compareCells(this.cell(a, s.field), this.cell(b, s.field)));
    }
    if (params.maxRecords !== undefined) rows = rows.slice(0, params.maxRecords);
    const start = params.offset === undefined ? 0 : decodeOffset(params.offset);
    const page = rows.slice(start, start + pageSize);
    const next = start + pageSize < rows.length ? `itr${randomBytes(6).toString('hex')}/${start + pageSize}` : undefined;
    const records = page.map((r) => (params.fields ? project(r, params.fields) : clone(r)));
    return next ? { records, offset: next } : { records };
  }

  all(): FakeRecord[] {
    return [...this.records.values()].map(clone);
  }

  get(id: string): FakeRecord {
    const r = this.records.get(id);
    if (!r) throw new FakeApiError(404, 'NOT_FOUND', 'Could not find what you are looking for');
    return clone(r);
  }

  create(input: WriteRecord[], typecast: boolean): FakeRecord[] {
    this.checkBatch(input, 'created');
    const prepared = input.map((r) => this.normalize(r.fields ?? {}, typecast));
    return prepared.map((fields) => clone(this.insert(fields)));
  }

  update(input: WriteRecord[], typecast: boolean, destructive: boolean): FakeRecord[] {
    this.checkBatch(input, 'updated');
    const prepared = input.map((r) => {
      if (!r.id || !this.records.has(r.id)) {
        throw new FakeApiError(422, 'ROW_DOES_NOT_EXIST', `Record ID ${r.id} does not exist in this table`);
      }
      return { id: r.id, fields: this.normalize(r.fields ?? {}, typecast) };
    });
    return prepared.map(({ id, fields }) => clone(this.apply(id, fields, destructive)));
  }

  /** PATCH with performUpsert: match on fieldsToMergeOn; 0 matches creates, 1 updates, more is an error */
  upsert(input: WriteRecord[], mergeOn: string[], typecast: boolean) {
    this.checkBatch(input, 'updated');
    if (!Array.isArray(mergeOn) || mergeOn.length < 1 || mergeOn.length > 3) {
      throw new FakeApiError(422, 'INVALID_REQUEST_UNKNOWN', 'fieldsToMergeOn needs 1 to 3 fields');
    }
    mergeOn.forEach((f) => this.field(f));
    const plan = input.map((r) => {
      const fields = this.normalize(r.fields ?? {}, typecast);
      if (r.id) {
        if (!this.records.has(r.id)) throw new FakeApiError(422, 'ROW_DOES_NOT_EXIST', `Record ID ${r.id} does not exist`);
        return { id: r.id, fields };
      }
      for (const f of mergeOn) {
        if (fields[f] === undefined) throw new FakeApiError(422, 'INVALID_VALUE_FOR_COLUMN', `Merge field ${f} has no value`);
      }
      const hits = [...this.records.values()].filter((rec) => mergeOn.every((f) => String(rec.fields[f] ?? '') === String(fields[f])));
      if (hits.length > 1) {
        throw new FakeApiError(422, 'INVALID_RECORDS', `Found ${hits.length} records matching the fields to merge on; expected at most one`);
      }
      return { id: hits[0]?.id, fields };
    });
    const keys = plan.filter((p) => !p.id).map((p) => mergeOn.map((f) => String(p.fields[f])).join('\u0000'));
    if (new Set(keys).size !== keys.length) {
      throw new FakeApiError(422, 'INVALID_RECORDS', 'Two records of the request have the same merge field values');
    }
    const createdRecords: string[] = [];
    const updatedRecords: string[] = [];
    const records = plan.map(({ id, fields }) => {
      if (id) {
        updatedRecords.push(id);
        return clone(this.apply(id, fields, false));
      }
      const rec = this.insert(fields);
      createdRecords.push(rec.id);
      return clone(rec);
    });
    return { records, createdRecords, updatedRecords };
  }

  delete(ids: string[]): { id: string; deleted: true }[] {
    if (ids.length > MAX_WRITE) {
      throw new FakeApiError(422, 'INVALID_RECORDS', `A maximum of ${MAX_WRITE} records can be deleted per request`);
    }
    for (const id of ids) if (!this.records.has(id)) throw new FakeApiError(404, 'NOT_FOUND', `Record ${id} not found`);
    return ids.map((id) => (this.records.delete(id), { id, deleted: true as const }));
  }

  /** direct insert for test seeding (skips the 10-record limit, still validates fields) */
  seed(fields: Record<string, unknown>): FakeRecord {
    return clone(this.insert(this.normalize(fields, true)));
  }

  private checkBatch(input: WriteRecord[], verb: string): void {
    if (!Array.isArray(input) || input.length === 0) throw new FakeApiError(422, 'INVALID_RECORDS', 'records must be a non-empty array');
    if (input.length > MAX_WRITE) {
      throw new FakeApiError(
        422,
        'INVALID_RECORDS',
        `A maximum of ${MAX_WRITE} records can be ${verb} per request but you have provided ${input.length}.`,
      );
    }
  }

  private insert(fields: Record<string, unknown>): FakeRecord {
    const rec: FakeRecord = { id: airtableId('rec'), createdTime: new Date().toISOString(), fields: {} };
    for (const [k, v] of Object.entries(fields)) if (v !== null) rec.fields[k] = v;
    this.records.set(rec.id, rec);
    return rec;
  }

  private apply(id: string, fields: Record<string, unknown>, destructive: boolean): FakeRecord {
    const rec = this.records.get(id)!;
    if (destructive) rec.fields = {};
    for (const [k, v] of Object.entries(fields)) {
      if (v === null) delete rec.fields[k];
      else rec.fields[k] = v;
    }
    return rec;
  }

  private field(name: string) {
    const f = this.fieldByName.get(name);
    if (!f) throw new FakeApiError(422, 'UNKNOWN_FIELD_NAME', `Unknown field name: "${name}"`);
    return f;
  }

  /** validates and converts one write's fields; null means "clear the cell" (Airtable omits empty cells) */
  private normalize(fields: Record<string, unknown>, typecast: boolean): Record<string, unknown> {
    if (typeof fields !== 'object' || fields === null) throw new FakeApiError(422, 'INVALID_RECORDS', 'fields must be an object');
    const out: Record<string, unknown> = {};
    for (const [name, raw] of Object.entries(fields)) {
      const f = this.field(name);
      const bad = () =>
        new FakeApiError(422, 'INVALID_VALUE_FOR_COLUMN', `Field "${name}" cannot accept the provided value ${JSON.stringify(raw)}`);
      if (raw === null || raw === undefined || raw === '' || (Array.isArray(raw) && raw.length === 0)) {
        out[name] = null;
      } else if (TEXT_TYPES.has(f.type)) {
        if (typeof raw !== 'string' && !(typecast && typeof raw === 'number')) throw bad();
        const value = String(raw);
        if (f.type === 'singleSelect' && f.options && !f.options.includes(value)) {
          if (!typecast) {
            throw new FakeApiError(422, 'INVALID_MULTIPLE_CHOICE_OPTIONS', `Insufficient permissions to create new select option "${value}"`);
          }
          f.options.push(value);
        }
        out[name] = value;
      } else if (f.type === 'dateTime' || f.type === 'date') {
        const d = typeof raw === 'string' ? new Date(raw) : null;
        if (!d || Number.isNaN(d.getTime())) throw bad();
        out[name] = d.toISOString();
      } else if (f.type === 'number') {
        const n = typeof raw === 'number' ? raw : typecast && typeof raw === 'string' ? Number(raw) : NaN;
        if (Number.isNaN(n)) throw bad();
        out[name] = n;
      } else if (f.type === 'checkbox') {
        if (typeof raw !== 'boolean') throw bad();
        out[name] = raw || null;
      } else {
        out[name] = raw;
      }
    }
    return out;
  }

  private cell(rec: FakeRecord, name: string): CellValue {
    const v = rec.fields[name];
    if (v === undefined || v === null) return null;
    const type = this.fieldByName.get(name)?.type;
    if (type === 'dateTime' || type === 'date') return new Date(v as string);
    return v as CellValue;
  }
}

function compareCells(a: CellValue, b: CellValue): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  const x = a instanceof Date ? a.getTime() : a;
  const y = b instanceof Date ? b.getTime() : b;
  return x < y ? -1 : x > y ? 1 : 0;
}

function decodeOffset(offset: string): number {
  const m = /^itr[0-9a-f]+\/(\d+)$/.exec(offset);
  if (!m) throw new FakeApiError(422, 'LIST_RECORDS_ITERATOR_NOT_AVAILABLE', 'The offset is invalid or has expired');
  return Number(m[1]);
}

const clone = (r: FakeRecord): FakeRecord => ({ id: r.id, createdTime: r.createdTime, fields: { ...r.fields } });

function project(r: FakeRecord, fields: string[]): FakeRecord {
  const out: Record<string, unknown> = {};
  for (const f of fields) if (r.fields[f] !== undefined) out[f] = r.fields[f];
  return { id: r.id, createdTime: r.createdTime, fields: out };
}

// Field types the metadata API creates (those with a write format); computed
// ones (formula, rollup, lookup, count, autoNumber, createdTime, ...) it refuses.
const CREATABLE_TYPES = new Set([
  'singleLineText',
  'multilineText',
  'richText',
  'email',
  'url',
  'phoneNumber',
  'number',
  'percent',
  'currency',
  'rating',
  'duration',
  'checkbox',
  'singleSelect',
  'multipleSelects',
  'date',
  'dateTime',
  'multipleAttachments',
  'multipleRecordLinks',
  'singleCollaborator',
  'multipleCollaborators',
]);
const DATE_FORMATS = ['local', 'friendly', 'us', 'european', 'iso'];
const TIME_FORMATS = ['12hour', '24hour'];

/**
 * A field config of a create-table or create-field request, checked as
 * Airtable does for the types Maskline uses: a known, creatable type; select
 * choices; a date format, and for dateTime a time format and time zone; a
 * name no other field of the table has in any letter case (all 422).
 */
export function fieldFromConfig(config: any, taken: (name: string) => boolean): FakeFieldSchema {
  const invalid = (type: string, message: string) => new FakeApiError(422, type, message);
  const name = typeof config?.name === 'string' ? config.name.trim() : '';
  if (!name || taken(name)) throw invalid('DUPLICATE_OR_EMPTY_FIELD_NAME', `Field name "${name}" is empty or already used in this table`);
  const type = config.type;
  if (!CREATABLE_TYPES.has(type)) throw invalid('INVALID_FIELD_TYPE', `Field type ${JSON.stringify(type)} is unknown or cannot be created`);
  const o = config.options ?? {};
  const bad = (what: string) => invalid('INVALID_FIELD_TYPE_OPTIONS', `Field "${name}" of type ${type} needs ${what}`);
  let choices: string[] | undefined;
  if (type === 'singleSelect' || type === 'multipleSelects') {
    if (!Array.isArray(o.choices) || o.choices.some((c: any) => typeof c?.name !== 'string' || !c.name)) throw bad('options.choices [{name}]');
    choices = o.choices.map((c: { name: string }) => c.name);
  }
  if ((type === 'date' || type === 'dateTime') && !DATE_FORMATS.includes(o.dateFormat?.name)) throw bad(`options.dateFormat.name in ${DATE_FORMATS.join('|')}`);
  if (type === 'dateTime') {
    if (!TIME_FORMATS.includes(o.timeFormat?.name)) throw bad(`options.timeFormat.name in ${TIME_FORMATS.join('|')}`);
    if (typeof o.timeZone !== 'string' || !o.timeZone) throw bad('options.timeZone ("utc", "client" or an IANA zone)');
  }
  return { name, type, ...(choices ? { options: choices } : {}) };
}
