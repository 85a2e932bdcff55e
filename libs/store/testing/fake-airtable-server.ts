import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { FakeApiError, FakeFieldSchema, FakeRecord, FakeTable, FakeTableSchema, fieldFromConfig, ListParams } from './fake-airtable-table';

export type RequestKind = 'list' | 'get' | 'create' | 'update' | 'upsert' | 'delete' | 'meta' | 'createTable' | 'createField';

export interface LoggedRequest {
  /** ms since epoch when the request arrived */
  at: number;
  method: string;
  path: string;
  baseId: string;
  table?: string;
  kind: RequestKind;
  /** records in a write's body (or ids in a delete) */
  records?: number;
  /** filterByFormula of a list */
  formula?: string;
  status?: number;
}

export interface FakeAirtableOptions {
  /** the Bearer token every request must carry */
  token?: string;
  /** tables of every base (bases are created on first use) */
  tables?: FakeTableSchema[];
  /** Airtable's per-base limit */
  requestsPerSecond?: number;
  /** after a 429 the base answers 429 for this long (30 s on Airtable) */
  penaltyMs?: number;
  /** delay before answering each request */
  latencyMs?: number;
}

interface Fault {
  remaining: number;
  status: number;
  afterWrite: boolean;
  match?: (r: LoggedRequest) => boolean;
}

interface BaseState {
  tables: FakeTable[];
  served: number[];
  penaltyUntil: number;
}

const WRITE_KINDS: RequestKind[] = ['create', 'update', 'upsert', 'delete'];
const SCHEMA_WRITE_KINDS: RequestKind[] = ['createTable', 'createField'];

// What Airtable answers a token without the scope a call needs (e.g. schema.bases:write), and a model it cannot find.
const PERMISSION_REFUSED = {
  type: 'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND',
  message:
    'Invalid permissions, or the requested model was not found. Check that both your user and your token have the required permissions, and that the model names and/or ids are correct.',
};

/**
 * An Airtable-compatible HTTP server for tests: records API (list, get,
 * listRecords, create, update, upsert, delete), meta API (read the schema,
 * create table, create field), Bearer auth, the
 * 5 requests/s per-base limit with its penalty window, and fault injection.
 * Start with `await fake.start()`, point the driver at `fake.baseUrl`.
 */
export class FakeAirtableServer {
  readonly token: string;
  /** every request that passed auth, in arrival order */
  readonly requests: LoggedRequest[] = [];
  rateLimited = 0;
  requestsPerSecond: number;
  penaltyMs: number;
  latencyMs: number;
  /** null: the meta API answers normally; a status (e.g. 403) answers every meta request with it */
  metaStatus: number | null = null;
  /** true: create table / create field answer 403 as for a token without schema.bases:write */
  schemaWritesRefused = false;

  private server?: Server;
  private tables: FakeTableSchema[];
  private readonly bases = new Map<string, BaseState>();
  private faults: Fault[] = [];
  private down = false;

  constructor(opts: FakeAirtableOptions = {}) {
    this.token = opts.token ?? 'pat-fake-airtable-token';
    this.tables = opts.tables ?? [];
    this.requestsPerSecond = opts.requestsPerSecond ?? 5;
    this.penaltyMs = opts.penaltyMs ?? 30_000;
    this.latencyMs = opts.latencyMs ?? 0;
  }

  get baseUrl(): string {
    if (!this.server) throw new Error('FakeAirtableServer is not started');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** forgets records, logs, penalties and faults */
  reset(): void {
    this.bases.clear();
    this.requests.length = 0;
    this.rateLimited = 0;
    this.faults = [];
    this.down = false;
    this.metaStatus = null;
    this.schemaWritesRefused = false;
  }

  /** replaces the schema of bases created from now on (call reset() to apply it to existing ones) */
  setSchema(tables: FakeTableSchema[]): void {
    this.tables = tables;
  }

  /**
   * The next n matching requests answer `status`. With afterWrite the write is
   * applied first and only the answer fails (an "uncertain" outcome, like a
   * timeout after Airtable committed). A 429 also starts the penalty window.
   */
  failNext(n: number, status = 503, opts: { afterWrite?: boolean; match?: (r: LoggedRequest) => boolean } = {}): void {
    this.faults.push({ remaining: n, status, afterWrite: opts.afterWrite ?? false, match: opts.match });
  }

  /** while down every request answers 503 */
  setDown(down: boolean): void {
    this.down = down;
  }

  /** starts the rate-limit penalty of a base now, as if it had just been exceeded */
  triggerRateLimit(baseId: string): void {
    this.base(baseId).penaltyUntil = Date.now() + this.penaltyMs;
  }

  /** the tables and fields of a base as the meta API lists them, for assertions */
  schemaOf(baseId: string) {
    return this.base(baseId).tables.map((t) => t.meta());
  }

  /** the records of a table, for assertions */
  records(baseId: string, table: string): FakeRecord[] {
    return this.table(baseId, table).all();
  }

  /** inserts records directly (no request logged, no rate limit) */
  seed(baseId: string, table: string, rows: Record<string, unknown>[]): FakeRecord[] {
    return rows.map((fields) => this.table(baseId, table).seed(fields));
  }

  /** the most requests (matching filter) that arrived within any window of `windowMs` */
  maxRequestsInWindow(windowMs = 1000, filter: (r: LoggedRequest) => boolean = () => true): number {
    const times = this.requests.filter(filter).map((r) => r.at);
    let max = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i] - times[j] >= windowMs) j++;
      max = Math.max(max, i - j + 1);
    }
    return max;
  }

  private base(baseId: string): BaseState {
    let b = this.bases.get(baseId);
    if (!b) {
      b = { tables: this.tables.map((t) => new FakeTable(t)), served: [], penaltyUntil: 0 };
      this.bases.set(baseId, b);
    }
    return b;
  }

  private table(baseId: string, nameOrId: string): FakeTable {
    const t = this.base(baseId).tables.find((x) => x.name === nameOrId || x.id === nameOrId);
    if (!t) throw new FakeApiError(404, 'TABLE_NOT_FOUND', `Could not find table ${nameOrId} in application ${baseId}`);
    return t;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrived = Date.now();
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = (req.method ?? 'GET').toUpperCase();
    let body: any = undefined;
    try {
      const raw = await readBody(req);
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      return send(res, 400, { error: { type: 'INVALID_REQUEST_BODY', message: 'Could not parse the request body as JSON' } });
    }
    if (this.latencyMs) await new Promise((r) => setTimeout(r, this.latencyMs));

    if (req.headers.authorization !== `Bearer ${this.token}`) {
      return send(res, 401, { error: { type: 'AUTHENTICATION_REQUIRED', message: 'Authentication required' } });
    }
    const route = parseRoute(method, url.pathname);
    if (!route) return send(res, 404, { error: { type: 'NOT_FOUND', message: 'Could not find what you are looking for' } });
    if (route.kind === 'update' && body?.performUpsert) route.kind = 'upsert';

    const entry: LoggedRequest = {
      at: arrived,
      method,
      path: url.pathname,
      baseId: route.baseId,
      table: route.table,
      kind: route.kind,
      records: recordCount(route.kind, body, url),
      formula: route.kind === 'list' ? ((method === 'GET' ? url.searchParams.get('filterByFormula') : body?.filterByFormula) ?? undefined) : undefined,
    };
    this.requests.push(entry);
    const answer = (status: number, payload: unknown) => {
      entry.status = status;
      send(res, status, payload);
    };

    if (this.down) return answer(503, { error: { type: 'SERVICE_UNAVAILABLE', message: 'The service is temporarily unavailable' } });
    if (this.overLimit(route.baseId, entry.at)) {
      this.rateLimited++;
      return answer(429, RATE_LIMITED_BODY);
    }
    const fault = this.faults.find((f) => f.remaining > 0 && (!f.match || f.match(entry)));
    if (fault) fault.remaining--;
    this.faults = this.faults.filter((f) => f.remaining > 0);
    if (fault && fault.status === 429) {
      this.triggerRateLimit(route.baseId);
      this.rateLimited++;
      return answer(429, RATE_LIMITED_BODY);
    }
    const writes = WRITE_KINDS.includes(route.kind) || SCHEMA_WRITE_KINDS.includes(route.kind);
    if (fault && !(fault.afterWrite && writes)) return answer(fault.status, faultBody(fault.status));

    try {
      const result = this.dispatch(route, method, url, body ?? {});
      if (fault) return answer(fault.status, faultBody(fault.status));
      answer(200, result);
    } catch (e) {
      if (e instanceof FakeApiError) return answer(e.status, { error: { type: e.type, message: e.message } });
      answer(500, { error: { type: 'SERVER_ERROR', message: String(e) } });
    }
  }

  /** sliding one-second window per base; exceeding it starts the penalty */
  private overLimit(baseId: string, now: number): boolean {
    const b = this.base(baseId);
    if (now < b.penaltyUntil) return true;
    b.served = b.served.filter((t) => now - t < 1000);
    if (b.served.length >= this.requestsPerSecond) {
      b.penaltyUntil = now + this.penaltyMs;
      return true;
    }
    b.served.push(now);
    return false;
  }

  /** POST /v0/meta/bases/{baseId}/tables: at least one field, the first being the primary field */
  private createTable(baseId: string, body: any) {
    const tables = this.base(baseId).tables;
    const name = typeof body.name === 'string' ? body.name.trim() : '';
    if (!name || tables.some((t) => t.name.toLowerCase() === name.toLowerCase())) {
      throw new FakeApiError(422, 'DUPLICATE_TABLE_NAME', `Table name "${name}" is empty or already used in this base`);
    }
    if (!Array.isArray(body.fields) || body.fields.length === 0) throw new FakeApiError(422, 'INVALID_REQUEST_UNKNOWN', 'A table needs at least one field');
    const fields: FakeFieldSchema[] = [];
    for (const config of body.fields) fields.push(fieldFromConfig(config, (n) => fields.some((f) => f.name.toLowerCase() === n.toLowerCase())));
    const table = new FakeTable({ name, fields });
    tables.push(table);
    return table.meta();
  }

  /** POST /v0/meta/bases/{baseId}/tables/{tableId}/fields: by table id, as Airtable documents it */
  private createField(baseId: string, tableId: string, body: any) {
    const table = this.base(baseId).tables.find((t) => t.id === tableId);
    if (!table) throw new FakeApiError(404, 'NOT_FOUND', `Could not find table ${tableId} in application ${baseId}`);
    return table.addField(fieldFromConfig(body, (n) => table.fieldNamed(n) !== undefined));
  }

  private dispatch(route: Route, method: string, url: URL, body: any): unknown {
    if (route.kind === 'meta' || SCHEMA_WRITE_KINDS.includes(route.kind)) {
      if (this.metaStatus !== null) throw new FakeApiError(this.metaStatus, 'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND', 'Not allowed');
      if (route.kind === 'meta') return { tables: this.schemaOf(route.baseId) };
      if (this.schemaWritesRefused) throw new FakeApiError(403, PERMISSION_REFUSED.type, PERMISSION_REFUSED.message);
      return route.kind === 'createTable' ? this.createTable(route.baseId, body) : this.createField(route.baseId, route.table!, body);
    }
    const table = this.table(route.baseId, route.table!);
    const typecast = body.typecast === true;
    switch (route.kind) {
      case 'list':
        return table.list(method === 'GET' ? listParamsFromQuery(url.searchParams) : listParamsFromBody(body));
      case 'get':
        return table.get(route.recordId!);
      case 'create':
        return Array.isArray(body.records) ? { records: table.create(body.records, typecast) } : table.create([{ fields: body.fields }], typecast)[0];
      case 'upsert':
        return table.upsert(body.records, body.performUpsert.fieldsToMergeOn, typecast);
      case 'update':
        if (route.recordId) return table.update([{ id: route.recordId, fields: body.fields }], typecast, method === 'PUT')[0];
        return { records: table.update(body.records, typecast, method === 'PUT') };
      default: {
        const ids = route.recordId ? [route.recordId] : url.searchParams.getAll('records[]');
        const deleted = table.delete(ids);
        return route.recordId ? deleted[0] : { records: deleted };
      }
    }
  }
}

// Airtable's own 429 body (as seen from api.airtable.com).
const RATE_LIMITED_BODY = { errors: [{ error: 'RATE_LIMIT_REACHED', message: 'Rate limit exceeded. Please try again later' }] };

function faultBody(status: number) {
  return { error: { type: status >= 500 ? 'SERVER_ERROR' : 'INJECTED_FAULT', message: `injected ${status}` } };
}

interface Route {
  kind: RequestKind;
  baseId: string;
  table?: string;
  recordId?: string;
}

function parseRoute(method: string, pathname: string): Route | null {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] !== 'v0') return null;
  if (parts[1] === 'meta') {
    if (parts[2] !== 'bases' || parts[4] !== 'tables') return null;
    if (parts.length === 5) return method === 'GET' ? { kind: 'meta', baseId: parts[3] } : method === 'POST' ? { kind: 'createTable', baseId: parts[3] } : null;
    return parts.length === 7 && parts[6] === 'fields' && method === 'POST' ? { kind: 'createField', baseId: parts[3], table: parts[5] } : null;
  }
  const [, baseId, table, third] = parts;
  if (!baseId || !table || parts.length > 4) return null;
  if (third === 'listRecords' && method === 'POST') return { kind: 'list', baseId, table };
  const kinds: Record<string, RequestKind> = third
    ? { GET: 'get', PATCH: 'update', PUT: 'update', DELETE: 'delete' }
    : { GET: 'list', POST: 'create', PATCH: 'update', PUT: 'update', DELETE: 'delete' };
  const kind = kinds[method];
  return kind ? { kind, baseId, table, recordId: third } : null;
}

function recordCount(kind: RequestKind, body: any, url: URL): number | undefined {
  if (kind === 'delete') return url.searchParams.getAll('records[]').length || 1;
  if (!WRITE_KINDS.includes(kind)) return undefined;
  return Array.isArray(body?.records) ? body.records.length : 1;
}

function listParamsFromQuery(q: URLSearchParams): ListParams {
  const num = (k: string) => (q.has(k) ? Number(q.get(k)) : undefined);
  const sort: { field: string; direction?: string }[] = [];
  for (let i = 0; q.has(`sort[${i}][field]`); i++) {
    sort.push({ field: q.get(`sort[${i}][field]`)!, direction: q.get(`sort[${i}][direction]`) ?? undefined });
  }
  const fields = q.getAll('fields[]');
  return {
    filterByFormula: q.get('filterByFormula') ?? undefined,
    pageSize: num('pageSize'),
    maxRecords: num('maxRecords'),
    offset: q.get('offset') ?? undefined,
    fields: fields.length ? fields : undefined,
    sort: sort.length ? sort : undefined,
  };
}

function listParamsFromBody(b: any): ListParams {
  return {
    filterByFormula: b.filterByFormula,
    pageSize: b.pageSize,
    maxRecords: b.maxRecords,
    offset: b.offset,
    fields: b.fields,
    sort: b.sort,
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, payload: unknown): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
