import { describeStoreContract } from '../contract';
import { Session } from '../domain';
import { createTestDatabase, postgresUnreachableReason, TestDatabase } from './test/postgres-test-database';
import { emptiedBeforeEachTest, emptyAllTables, openSqlTestStore, SqlTestStore } from './test/sql-test-store';

const OPEN_TIMEOUT_MS = 60_000;
const RACE_TIMEOUT_MS = 60_000;

// Decided at collection time; CI has the server, a laptop may not.
const unreachable = postgresUnreachableReason();
if (unreachable) console.warn(`Skipping the PostgreSQL store tests: ${unreachable}`);
const describeOnPostgres = unreachable ? describe.skip : describe;

describeOnPostgres('sql store on PostgreSQL', () => {
  let database: TestDatabase;
  let store: SqlTestStore;
  beforeAll(async () => {
    database = await createTestDatabase();
    store = await openSqlTestStore({ DATABASE_URL: database.url });
  }, OPEN_TIMEOUT_MS);
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  it('reports the PostgreSQL server', () => {
    expect(store.database.kind).toBe('postgres');
  });

  describeStoreContract('sql (PostgreSQL)', emptiedBeforeEachTest(() => store));

  /** a second SqlStoreModule with its own pool: what another API or worker process would be */
  describe('two connection pools racing, like two processes', () => {
    let other: SqlTestStore;
    beforeAll(async () => {
      other = await openSqlTestStore({ DATABASE_URL: database.url });
    }, OPEN_TIMEOUT_MS);
    afterAll(async () => other?.close());
    beforeEach(async () => emptyAllTables(store.database.db));

    const poolOf = (i: number) => (i % 2 === 0 ? store.ports : other.ports);

    it(
      'first contacts and syncs of one phone from both pools end in one client',
      async () => {
        const phone = '+13035550177';
        const sync = { timeToPetId: 'ttp-two-pools', firstName: 'Two', lastName: 'Pools', email: null, phone, address: null };

        const results = await Promise.all(
          Array.from({ length: 30 }, (_, i) =>
            i % 3 === 0 ? poolOf(i).clients.upsertFromSync(sync) : poolOf(i).clients.findOrCreateByPhone(phone),
          ),
        );
        expect(new Set(results.map((r) => r.client.id)).size).toBe(1);
        expect(await other.ports.clients.findByPhone(phone)).toMatchObject({ source: 'sync', timeToPetId: 'ttp-two-pools' });
      },
      RACE_TIMEOUT_MS,
    );

    it(
      'first texts from both pools never share a pool number for one sitter',
      async () => {
        const ports = store.ports;
        const start = Date.UTC(2024, 0, 1);
        for (let i = 0; i < 8; i += 1) {
          const [pending] = await ports.numbers.createPending([{ lifecycle: 'pool', areaCode: '303' }]);
          await ports.numbers.markReady(pending.id, {
            phoneNumber: `+1303555${String(1000 + i)}`,
            twilioSid: `PN${String(i).padStart(32, '0')}`,
            purchasedAt: new Date(start + i * 60_000),
          });
        }
        const { sitter } = await ports.sitters.upsertByPhone({ name: 'Shared Sitter', phone: '+17205550100' });
        const clients = await Promise.all(
          Array.from({ length: 20 }, async (_, i) => (await ports.clients.findOrCreateByPhone(`+1720555${2000 + i}`)).client),
        );

        // every client texts twice, once through each pool
        const results = await Promise.all(
          clients.flatMap((client, i) =>
            [i, i + 1].map((k) =>
              poolOf(k).sessions.openOrGet({ clientId: client.id, sitterId: sitter.id, reservedNumber: '+17205550199', now: new Date() }),
            ),
          ),
        );
        const sessions = results.flatMap((r) => (r.outcome === 'exhausted' ? [] : [r.session]));
        const distinct = new Map<string, Session>(sessions.map((s) => [s.id, s]));
        expect(distinct.size).toBe(8);
        expect(new Set([...distinct.values()].map((s) => s.poolNumber)).size).toBe(8);
        expect(new Set([...distinct.values()].map((s) => s.clientId)).size).toBe(8);
        expect(results.filter((r) => r.outcome === 'created')).toHaveLength(8);
        expect(await other.ports.sessions.countActive()).toBe(8);
      },
      RACE_TIMEOUT_MS,
    );

    it(
      'one standby number offered to sitters through both pools goes to exactly one',
      async () => {
        const [standby] = await store.ports.numbers.createPending([{ lifecycle: 'standby', areaCode: '303' }]);
        await store.ports.numbers.markReady(standby.id, { phoneNumber: '+13035550188', twilioSid: `PN${'1'.repeat(32)}`, purchasedAt: new Date() });
        const sitters = await Promise.all(
          Array.from({ length: 10 }, async (_, i) => (await store.ports.sitters.upsertByPhone({ name: `S${i}`, phone: `+1720555${3000 + i}` })).sitter),
        );

        const results = await Promise.all(sitters.map((s, i) => poolOf(i).numbers.assignStandbyToSitter(standby.id, s.id)));
        expect(results.filter((r) => r !== null)).toHaveLength(1);
      },
      RACE_TIMEOUT_MS,
    );
  });
});

describeOnPostgres('sql store start-up on PostgreSQL', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => database?.drop());

  it(
    'two processes starting at once on an empty database both come up and migrate it once',
    async () => {
      const [a, b] = await Promise.all([openSqlTestStore({ DATABASE_URL: database.url }), openSqlTestStore({ DATABASE_URL: database.url })]);
      try {
        const result = (await a.database.db.execute('select count(*)::int as n from drizzle.__drizzle_migrations')) as unknown as {
          rows: { n: number }[];
        };
        expect(result.rows[0].n).toBeGreaterThan(0);
        const { sitter } = await a.ports.sitters.upsertByPhone({ name: 'Seen By Both', phone: '+13035550166' });
        expect(await b.ports.sitters.findById(sitter.id)).toEqual(sitter);
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    },
    OPEN_TIMEOUT_MS,
  );
});
