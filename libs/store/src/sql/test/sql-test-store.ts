import { Test, TestingModule } from '@nestjs/testing';
import { getTableName, sql } from 'drizzle-orm';
import { ConfigModule, loadConfig } from '@maskline/config';
import { AuditLog, ClientRepository, MessageLog, NumberRepository, SessionRepository, SitterRepository, StoreHealth } from '../../ports';
import { MakeStore, StorePorts } from '../../contract';
import { SqlDatabase } from '../database/sql-database';
import { SqlDb } from '../database/sql-query-layer';
import { SqlStoreModule } from '../sql-store.module';
import { auditEvents, clients, messages, numbers, sessions, sitters } from '../schema';

/** SqlStoreModule as the app builds it, opened (connected + migrated) */
export interface SqlTestStore {
  moduleRef: TestingModule;
  database: SqlDatabase;
  ports: StorePorts;
  close(): Promise<void>;
}

export async function openSqlTestStore(env: Record<string, string>): Promise<SqlTestStore> {
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env })), SqlStoreModule],
  }).compile();
  moduleRef.useLogger(false);
  await moduleRef.init();
  return {
    moduleRef,
    database: moduleRef.get(SqlDatabase),
    ports: {
      sitters: moduleRef.get(SitterRepository),
      clients: moduleRef.get(ClientRepository),
      numbers: moduleRef.get(NumberRepository),
      sessions: moduleRef.get(SessionRepository),
      messages: moduleRef.get(MessageLog),
      audit: moduleRef.get(AuditLog),
      health: moduleRef.get(StoreHealth),
    },
    close: () => moduleRef.close(),
  };
}

const ALL_TABLES = [sitters, clients, numbers, sessions, messages, auditEvents];

export async function emptyAllTables(db: SqlDb): Promise<void> {
  const names = ALL_TABLES.map((table) => `"${getTableName(table)}"`).join(', ');
  await db.execute(sql.raw(`truncate ${names} restart identity cascade`));
}

/** the contract's makeStore over one open store: empty every table before each test */
export function emptiedBeforeEachTest(store: () => SqlTestStore): MakeStore {
  return async () => {
    await emptyAllTables(store().database.db);
    return { ports: store().ports, cleanup: async () => undefined };
  };
}
