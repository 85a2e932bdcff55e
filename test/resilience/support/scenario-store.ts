import { Client as PgClient } from 'pg';
import type { StorePorts } from '../../../libs/store/src/contract/store-ports';
import { createTestDatabase, TestDatabase } from '../../../libs/store/src/sql/test/postgres-test-database';
import { openSqlTestStore, SqlTestStore } from '../../../libs/store/src/sql/test/sql-test-store';
import { airtableTestConfig, AirtableTestInstance, openAirtableStore, TEST_BASE_ID } from '../../../libs/store/testing/airtable-test-store';
import { FakeAirtableServer } from '../../../libs/store/testing/fake-airtable-server';
import { masklineFakeTables } from '../../../libs/store/testing/maskline-airtable-schema';
import { freePort } from '../../support/free-port';
import { TcpProxy } from './processes';

export interface PurchaseRecord {
  id: string;
  status: string;
  phone_number: string | null;
  purchase_token: string;
  error_message: string | null;
}

/**
 * The store a scenario's processes share, and the test's own view of it:
 * seeding through the ports, counting straight from the data (never through
 * the processes under test).
 */
export interface ScenarioStore {
  /** what the API and worker processes get in their environment */
  readonly env: Record<string, string>;
  readonly ports: StorePorts;
  /** waits until what was written through `ports` has landed */
  flush(): Promise<void>;
  purchaseRecords(ids: string[]): Promise<PurchaseRecord[]>;
  /** writes that landed more than once, described (empty: every write landed once) */
  doubledWrites(): Promise<string[]>;
  /** a few words on the store's own traffic for the scenario's summary line ('' for none) */
  traffic(): string;
  close(): Promise<void>;
}

/** A fresh PostgreSQL database, optionally reached through a TCP proxy the test can cut. */
export class SqlScenarioStore implements ScenarioStore {
  private constructor(
    private readonly db: TestDatabase,
    private readonly store: SqlTestStore,
    readonly proxy: TcpProxy | null,
  ) {}

  static async open(viaProxy: boolean): Promise<SqlScenarioStore> {
    const db = await createTestDatabase();
    const proxy = viaProxy ? await TcpProxy.start(5432) : null;
    // the test's own view never goes through the proxy; opening it migrates
    const store = await openSqlTestStore({ DATABASE_URL: db.url });
    return new SqlScenarioStore(db, store, proxy);
  }

  get env(): Record<string, string> {
    return { DATABASE_URL: this.proxy ? this.db.url.replace(':5432/', `:${this.proxy.port}/`) : this.db.url };
  }

  get ports(): StorePorts {
    return this.store.ports;
  }

  async flush(): Promise<void> {}

  purchaseRecords(ids: string[]): Promise<PurchaseRecord[]> {
    return this.query<PurchaseRecord>('select id, status, phone_number, purchase_token, error_message from number_inventory where id = any($1::uuid[])', [ids]);
  }

  async doubledWrites(): Promise<string[]> {
    // unique constraints hold these by construction; counted anyway, as the proof
    const rows = await this.query<{ what: string; n: string }>(
      `select 'message ' || inbound_sid as what, count(*) as n from messages where inbound_sid is not null and direction = 'client_to_sitter' group by inbound_sid having count(*) > 1
       union all select 'number token ' || purchase_token, count(*) from number_inventory group by purchase_token having count(*) > 1`,
      [],
    );
    return rows.map((r) => `${r.what} ×${r.n}`);
  }

  traffic(): string {
    return '';
  }

  async close(): Promise<void> {
    await this.store.close().catch(() => undefined);
    await this.proxy?.cut();
    await this.db.drop();
  }

  private async query<T>(text: string, values: unknown[]): Promise<T[]> {
    const client = new PgClient({ connectionString: this.db.url });
    await client.connect();
    try {
      return (await client.query(text, values)).rows as T[];
    } finally {
      await client.end();
    }
  }
}

/**
 * The Airtable driver against the fake Airtable server, which keeps
 * Airtable's real limits (5 requests/s per base, a 30 s penalty after a 429).
 * The test's view is one more API-role instance on the same Redis prefix, so
 * its requests share the processes' rate budget.
 */
export class AirtableScenarioStore implements ScenarioStore {
  private constructor(
    readonly fake: FakeAirtableServer,
    private readonly port: number,
    private readonly instance: AirtableTestInstance,
    /** split processes need PostgreSQL whatever the driver (the features that keep their own tables) */
    private readonly db: TestDatabase,
  ) {}

  static async open(redisUrl: string, prefix: string): Promise<AirtableScenarioStore> {
    const port = await freePort();
    const fake = await new FakeAirtableServer({ tables: masklineFakeTables(), penaltyMs: 30_000, requestsPerSecond: 5 }).start(port);
    const instance = await openAirtableStore(airtableTestConfig(fake, prefix, { REDIS_URL: redisUrl, LOG_LEVEL: 'silent' }), { consumesWrites: false });
    return new AirtableScenarioStore(fake, port, instance, await createTestDatabase());
  }

  get env(): Record<string, string> {
    return { DATABASE_URL: this.db.url, STORE_DRIVER: 'airtable', AIRTABLE_API_KEY: this.fake.token, AIRTABLE_BASE_ID: TEST_BASE_ID, AIRTABLE_ENDPOINT_URL: `http://127.0.0.1:${this.port}` };
  }

  get ports(): StorePorts {
    return this.instance.ports;
  }

  flush(): Promise<void> {
    return this.instance.queue.drain(5 * 60_000);
  }

  /** Airtable unreachable (connections refused), as in an outage */
  down(): Promise<void> {
    return this.fake.stop();
  }

  async up(): Promise<void> {
    await this.fake.start(this.port);
  }

  async purchaseRecords(ids: string[]): Promise<PurchaseRecord[]> {
    const wanted = new Set(ids);
    return this.records('Number Inventory')
      .filter((r) => wanted.has(r.id))
      .map((r) => ({
        id: r.id,
        status: String(r.fields['Status'] ?? '').toLowerCase(),
        phone_number: (r.fields['Phone Number'] as string | undefined) ?? null,
        purchase_token: String(r.fields['Purchase Token'] ?? ''),
        error_message: (r.fields['Error Message'] as string | undefined) ?? null,
      }));
  }

  async doubledWrites(): Promise<string[]> {
    const doubled = (table: string, field: string, keep: (f: Record<string, unknown>) => boolean = () => true) => {
      const seen = new Map<string, number>();
      for (const r of this.records(table)) {
        const key = r.fields[field];
        if (typeof key === 'string' && key && keep(r.fields)) seen.set(key, (seen.get(key) ?? 0) + 1);
      }
      return [...seen].filter(([, n]) => n > 1).map(([key, n]) => `${table} ${field} ${key} ×${n}`);
    };
    return [
      ...doubled('Messages', 'Write ID'),
      ...doubled('Messages', 'Inbound SID', (f) => f['Direction'] === 'client_to_sitter'),
      ...doubled('Number Inventory', 'Purchase Token'),
      ...doubled('Audit Log', 'Event ID'),
      ...doubled('Sessions', 'Session Key', (f) => f['Status'] === 'active'),
    ];
  }

  traffic(): string {
    const requests = this.fake.requests;
    const t0 = requests[0]?.at ?? 0;
    const perTenSeconds = new Map<number, number>();
    for (const r of requests) perTenSeconds.set(Math.floor((r.at - t0) / 10_000), (perTenSeconds.get(Math.floor((r.at - t0) / 10_000)) ?? 0) + 1);
    if (process.env.RESILIENCE_DEBUG) {
      process.stdout.write(`airtable requests per 10 s: ${JSON.stringify([...perTenSeconds])}\n`);
      const kinds = new Map<string, number>();
      for (const r of requests.slice(Math.floor(requests.length / 2))) kinds.set(`${r.kind} ${r.table} ${r.status} ${r.formula?.slice(0, 80) ?? ''}`, (kinds.get(`${r.kind} ${r.table} ${r.status} ${r.formula?.slice(0, 80) ?? ''}`) ?? 0) + 1);
      process.stdout.write(`airtable requests, second half, by kind: ${JSON.stringify([...kinds].sort((a, b) => b[1] - a[1]).slice(0, 15), null, 1)}\n`);
    }
    return `airtable requests=${requests.length} 429s=${this.fake.rateLimited} busiest second=${this.fake.maxRequestsInWindow(1000)}`;
  }

  /** requests the fake answered 429 */
  get rateLimited(): number {
    return this.fake.rateLimited;
  }

  async close(): Promise<void> {
    await this.instance.close().catch(() => undefined);
    await this.fake.stop();
    await this.db.drop();
  }

  private records(table: string) {
    return this.fake.records(TEST_BASE_ID, table);
  }
}
