import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { describeStoreContract } from '../contract';
import { resolveMigrationsFolder } from './database/migrations-folder';
import { emptiedBeforeEachTest, openSqlTestStore, SqlTestStore } from './test/sql-test-store';

const OPEN_TIMEOUT_MS = 60_000;

describe('sql store on in-memory PGlite', () => {
  let store: SqlTestStore;
  beforeAll(async () => {
    store = await openSqlTestStore({ DATA_DIR: 'memory://' });
  }, OPEN_TIMEOUT_MS);
  afterAll(async () => store?.close());

  it('reports the embedded database', () => {
    expect(store.database.kind).toBe('pglite');
  });

  describeStoreContract('sql (PGlite in memory)', emptiedBeforeEachTest(() => store));
});

describe('sql store on PGlite in a data folder', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'maskline-pglite-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it(
    'refuses a second opener of the folder while the first holds it',
    async () => {
      const first = await openSqlTestStore({ DATA_DIR: dataDir });
      try {
        await expect(openSqlTestStore({ DATA_DIR: dataDir })).rejects.toThrow(/in use by process \d+.*DATABASE_URL/);
      } finally {
        await first.close();
      }
    },
    OPEN_TIMEOUT_MS * 2,
  );

  it(
    'keeps its records when reopened and applies each migration once',
    async () => {
      const journal = JSON.parse(readFileSync(join(resolveMigrationsFolder(), 'meta', '_journal.json'), 'utf8'));
      const appliedMigrations = async (s: SqlTestStore) => {
        // drizzle's own bookkeeping table: one row per applied migration
        const result = (await s.database.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`)) as { rows: { n: number }[] };
        return result.rows[0].n;
      };

      const first = await openSqlTestStore({ DATA_DIR: dataDir });
      const { sitter } = await first.ports.sitters.upsertByPhone({ name: 'Persisted Sitter', phone: '+13035550101' });
      await first.ports.audit.record({ eventType: 'persisted', category: 'test' });
      expect(await appliedMigrations(first)).toBe(journal.entries.length);
      await first.close();

      const reopened = await openSqlTestStore({ DATA_DIR: dataDir });
      try {
        expect(await reopened.ports.sitters.findById(sitter.id)).toEqual(sitter);
        expect((await reopened.ports.audit.listRecent(5)).map((e) => e.eventType)).toEqual(['persisted']);
        expect(await appliedMigrations(reopened)).toBe(journal.entries.length);
      } finally {
        await reopened.close();
      }
    },
    OPEN_TIMEOUT_MS * 2,
  );
});
