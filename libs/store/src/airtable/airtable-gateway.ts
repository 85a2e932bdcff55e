import { Injectable, Logger, Optional } from '@nestjs/common';
import { AppConfig } from '@maskline/config';
import { Metrics } from '@maskline/metrics';
import Airtable from 'airtable';
import { AirtableRequestError, AirtableUnavailableError, classify, describe, toRequestError } from './airtable-errors';
import { Formula } from './airtable-formula';
import { AirtableRateLimiter, sleep } from './airtable-rate-limiter';

export type Fields = Record<string, unknown>;
export interface AirtableRow {
  id: string;
  createdTime: string;
  fields: Fields;
}
export interface ListOptions {
  filter?: Formula;
  fields?: string[];
  sort?: { field: string; direction?: 'asc' | 'desc' }[];
  maxRecords?: number;
}
/** how many times a 5xx/timeout may be tried before AirtableUnavailableError */
export interface RetryPolicy {
  attempts: number;
  /** a rate slot the caller already waited for: the first attempt spends it instead of waiting again */
  slot?: HeldSlot;
}

/** a field as the metadata API describes it */
export interface AirtableMetaField {
  id: string;
  name: string;
  type: string;
  options?: Record<string, unknown>;
}
export interface AirtableMetaTable {
  id: string;
  name: string;
  fields: AirtableMetaField[];
}
/** a field to create: Airtable's "field config" (type-specific options in Airtable's write format) */
export interface AirtableFieldConfig {
  name: string;
  type: string;
  options?: Record<string, unknown>;
}
export interface AirtableTableConfig {
  name: string;
  fields: AirtableFieldConfig[];
}

/** one request's worth of the base's budget, taken before deciding what to send in it */
export class HeldSlot {
  used = false;
}

// Airtable limits (PITFALLS: Airtable): 10 records per write, 100 per page,
// URLs under 16,000 characters (airtable.js itself switches at 15,000).
export const MAX_RECORDS_PER_WRITE = 10;
const PAGE_SIZE = 100;
const MAX_URL_QUERY = 15_000;
const RETRY_SAFE: RetryPolicy = { attempts: 4 };
// A base that keeps answering 429 after this many pauses is treated as unavailable.
const MAX_RATE_LIMIT_ROUNDS = 5;

export const chunk = <T>(items: T[], size = MAX_RECORDS_PER_WRITE): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

interface RequestSpec {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  qs?: Record<string, unknown>;
  body?: unknown;
}

/**
 * The only code that talks to Airtable. Uses the official airtable.js client
 * as the HTTP transport (auth, endpoint, request timeout) with its own 429
 * retry off, and adds what it lacks: the shared request budget, the base-wide
 * pause after a 429, retries of 5xx/timeouts for idempotent calls, batching by
 * 10, paging, and keyed upserts. Creates are never blindly retried: one whose
 * outcome is unknown is redone as an upsert on the table's unique key.
 */
@Injectable()
export class AirtableGateway {
  private readonly logger = new Logger('AirtableGateway');
  private readonly base: Airtable.Base;
  /** the meta API lives at /v0/meta/bases/{baseId}/..., i.e. a "base" named `meta` to airtable.js */
  private readonly metaBase: Airtable.Base;
  readonly baseId: string;
  private readonly pauseMs: number;

  constructor(
    config: AppConfig,
    private readonly limiter: AirtableRateLimiter,
    @Optional() private readonly metrics?: Metrics,
  ) {
    const c = config.store.airtable;
    if (!c.apiKey || !c.baseId) throw new Error('AIRTABLE_API_KEY and AIRTABLE_BASE_ID are required when STORE_DRIVER=airtable');
    const client = new Airtable({
      apiKey: c.apiKey,
      endpointUrl: c.endpointUrl,
      requestTimeout: c.requestTimeoutMs,
      // airtable.js would otherwise retry 429s on its own, per process, without the shared pause
      noRetryIfRateLimited: true,
    });
    this.base = client.base(c.baseId);
    this.metaBase = client.base('meta');
    this.baseId = c.baseId;
    this.pauseMs = c.rateLimitPauseMs;
  }

  async list(table: string, opts: ListOptions = {}, policy: RetryPolicy = RETRY_SAFE): Promise<AirtableRow[]> {
    const rows: AirtableRow[] = [];
    let offset: string | undefined;
    do {
      const params: Record<string, unknown> = { pageSize: PAGE_SIZE };
      if (opts.filter) params.filterByFormula = opts.filter.text;
      if (opts.fields) params.fields = opts.fields;
      if (opts.sort) params.sort = opts.sort;
      if (opts.maxRecords !== undefined) params.maxRecords = opts.maxRecords;
      if (offset) params.offset = offset;
      const long = encodeURIComponent(opts.filter?.text ?? '').length > MAX_URL_QUERY;
      const page = await this.send(
        `list ${table}`,
        long ? { method: 'POST', path: `${tablePath(table)}/listRecords`, body: params } : { method: 'GET', path: tablePath(table), qs: params },
        policy,
      );
      rows.push(...page.records);
      offset = page.offset;
    } while (offset);
    return rows;
  }

  async first(table: string, opts: ListOptions, policy?: RetryPolicy): Promise<AirtableRow | null> {
    return (await this.list(table, { ...opts, maxRecords: 1 }, policy))[0] ?? null;
  }

  async find(table: string, id: string): Promise<AirtableRow | null> {
    if (!isRecordId(id)) return null;
    try {
      return await this.send(`find ${table}`, { method: 'GET', path: `${tablePath(table)}/${id}` }, RETRY_SAFE);
    } catch (e) {
      if (isMissingRecord(e)) return null;
      throw e;
    }
  }

  /**
   * Creates rows, 10 per request. A request that fails with an unknown outcome
   * (5xx, timeout) is redone as an upsert on `keyField`, so it lands once.
   */
  async create(table: string, rows: Fields[], keyField: string): Promise<AirtableRow[]> {
    const out: AirtableRow[] = [];
    for (const batch of chunk(rows)) {
      try {
        const res = await this.send(`create ${table}`, { method: 'POST', path: tablePath(table), body: writeBody(batch) }, { attempts: 1 });
        out.push(...res.records);
      } catch (e) {
        if (!(e instanceof AirtableUnavailableError)) throw e;
        this.logger.warn(`create in ${table} had an unknown outcome (${describe(e.cause)}); redoing it as an upsert on ${keyField}`);
        out.push(...(await this.upsert(table, batch, [keyField])).rows);
      }
    }
    return out;
  }

  async update(table: string, rows: { id: string; fields: Fields }[], policy: RetryPolicy = RETRY_SAFE): Promise<AirtableRow[]> {
    const out: AirtableRow[] = [];
    for (const batch of chunk(rows)) {
      const res = await this.send(`update ${table}`, { method: 'PATCH', path: tablePath(table), body: { records: batch, typecast: true } }, policy);
      out.push(...res.records);
    }
    return out;
  }

  /** one record by id; null when no such record exists in this table */
  async updateRecord(table: string, id: string, fields: Fields): Promise<AirtableRow | null> {
    if (!isRecordId(id)) return null;
    try {
      return (await this.update(table, [{ id, fields }]))[0];
    } catch (e) {
      if (isMissingRecord(e)) return null;
      throw e;
    }
  }

  /** PATCH with performUpsert: idempotent, so safe to retry; createdIds come from the raw answer (airtable.js drops them) */
  async upsert(table: string, rows: Fields[], mergeOn: string[], policy: RetryPolicy = RETRY_SAFE): Promise<{ rows: AirtableRow[]; createdIds: string[] }> {
    const out: AirtableRow[] = [];
    const createdIds: string[] = [];
    for (const batch of chunk(rows)) {
      const res = await this.send(
        `upsert ${table}`,
        { method: 'PATCH', path: tablePath(table), body: { performUpsert: { fieldsToMergeOn: mergeOn }, ...writeBody(batch) } },
        policy,
      );
      out.push(...res.records);
      createdIds.push(...(res.createdRecords ?? []));
    }
    return { rows: out, createdIds };
  }

  /** a record already gone counts as deleted (a retried delete whose first answer was lost finds nothing) */
  async delete(table: string, ids: string[]): Promise<void> {
    const remove = (batch: string[]) => this.send(`delete ${table}`, { method: 'DELETE', path: tablePath(table), qs: { records: batch } }, RETRY_SAFE);
    for (const batch of chunk(ids)) {
      try {
        await remove(batch);
      } catch (e) {
        if (!isMissingRecord(e)) throw e;
        // one missing id fails the whole batch: delete the others one by one
        for (const id of batch) await remove([id]).catch((err) => (isMissingRecord(err) ? undefined : Promise.reject(err)));
      }
    }
  }

  /** waits for a request slot now; pass it in RetryPolicy.slot to the request it is for */
  async holdSlot(): Promise<HeldSlot> {
    await this.limiter.acquire();
    return new HeldSlot();
  }

  /** GET /v0/meta/bases/{baseId}/tables (scope schema.bases:read) */
  async metaTables(): Promise<AirtableMetaTable[]> {
    const res = await this.send('read schema', { method: 'GET', path: `/bases/${this.baseId}/tables` }, RETRY_SAFE, this.metaBase);
    return res.tables;
  }

  /**
   * POST /v0/meta/bases/{baseId}/tables (scope schema.bases:write); the first
   * field becomes the primary field. Tried once: a retry after an unknown
   * outcome could meet the table it already made, and re-planning from the
   * base is the safe redo.
   */
  async metaCreateTable(table: AirtableTableConfig): Promise<AirtableMetaTable> {
    return this.send(`create table ${table.name}`, { method: 'POST', path: `/bases/${this.baseId}/tables`, body: table }, { attempts: 1 }, this.metaBase);
  }

  /** POST /v0/meta/bases/{baseId}/tables/{tableId}/fields (scope schema.bases:write); tried once, as above */
  async metaCreateField(tableId: string, field: AirtableFieldConfig): Promise<AirtableMetaField> {
    const path = `/bases/${this.baseId}/tables/${encodeURIComponent(tableId)}/fields`;
    return this.send(`create field ${field.name}`, { method: 'POST', path, body: field }, { attempts: 1 }, this.metaBase);
  }

  private async send(operation: string, req: RequestSpec, policy: RetryPolicy, base = this.base): Promise<any> {
    let failures = 0;
    let rateLimited = 0;
    for (;;) {
      if (policy.slot && !policy.slot.used) policy.slot.used = true;
      else await this.limiter.acquire();
      try {
        this.metrics?.airtableRequests.inc();
        return (await base.makeRequest(req)).body;
      } catch (err) {
        const outcome = classify(err);
        if (outcome === 'permanent') throw toRequestError(operation, err);
        if (outcome === 'rate-limited') {
          this.metrics?.airtableRateLimited.inc();
          if (++rateLimited > MAX_RATE_LIMIT_ROUNDS) throw new AirtableUnavailableError(operation, err);
          this.logger.warn(`Airtable answered 429 during ${operation}; pausing base ${this.baseId} for ${this.pauseMs} ms`);
          await this.limiter.pause(this.pauseMs);
          continue; // acquire() waits out the pause in every process
        }
        if (++failures >= policy.attempts) throw new AirtableUnavailableError(operation, err);
        await sleep(Math.min(4000, 250 * 2 ** (failures - 1)) * (0.75 + Math.random() / 2));
      }
    }
  }
}

const tablePath = (table: string) => `/${encodeURIComponent(table)}`;

/**
 * Records to create or upsert. Empty cells are left out (a new record has
 * none to clear). typecast: a select option ops have not created yet is added
 * instead of refusing the write.
 */
function writeBody(rows: Fields[]) {
  return {
    records: rows.map((fields) => ({ fields: Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null && v !== undefined)) })),
    typecast: true,
  };
}

/** record ids are rec + 14 letters/digits; anything else cannot exist and must not reach a URL */
export const isRecordId = (id: string) => /^rec[A-Za-z0-9]{14}$/.test(id);

// A record id of another table answers 404 on GET and 422 ROW_DOES_NOT_EXIST on PATCH.
const isMissingRecord = (e: unknown) =>
  e instanceof AirtableRequestError && (e.status === 404 || ['ROW_DOES_NOT_EXIST', 'MODEL_ID_NOT_FOUND'].includes(e.type));
