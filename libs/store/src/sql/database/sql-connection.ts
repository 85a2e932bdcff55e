import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Logger } from '@nestjs/common';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/node-postgres';
import { migrate as migratePostgres } from 'drizzle-orm/node-postgres/migrator';
import { Pool, PoolClient } from 'pg';
import { AppConfig } from '@maskline/config';
import { advisoryLockKey, SqlDb, SqlTx } from './sql-query-layer';
import { lockPgliteFolder } from './pglite-folder-lock';

export type SqlConnectionOptions =
  | { kind: 'postgres'; url: string; poolSize?: number }
  /** dataDir null: an in-memory database (tests) */
  | { kind: 'pglite'; dataDir: string | null };

/** An open database: the query layer, how to migrate it and how to close it. */
export interface SqlConnection {
  readonly kind: SqlConnectionOptions['kind'];
  readonly db: SqlDb;
  /** runs `work` in one transaction: committed when it resolves, rolled back when it throws */
  transaction<T>(work: (tx: SqlTx) => Promise<T>): Promise<T>;
  migrate(migrationsFolder: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * PGlite's CommonJS build loads its wasm helpers with dynamic import(), which
 * Jest's module sandbox refuses without --experimental-vm-modules
 * (electric-sql/pglite#224), so any test booting the embedded store would
 * fail. Loading it with Node's own require keeps it outside that sandbox:
 * process.getBuiltinModule (Node >= 20.16) hands out the real `module`, where
 * Jest substitutes a sandboxed createRequire. In a plain Node process both
 * paths are an ordinary require.
 */
function loadPglite(): typeof import('@electric-sql/pglite') {
  const nodeCreateRequire = process.getBuiltinModule?.('node:module')?.createRequire ?? createRequire;
  return nodeCreateRequire(__filename)('@electric-sql/pglite');
}

/** PGlite's own name for "no folder" */
const PGLITE_IN_MEMORY = 'memory://';

/** DATABASE_URL → PostgreSQL; otherwise PGlite in DATA_DIR (`memory://` keeps it in memory). */
export function connectionOptionsFromConfig(config: AppConfig): SqlConnectionOptions {
  const { databaseUrl, dataDir } = config.store;
  if (databaseUrl) return { kind: 'postgres', url: databaseUrl };
  return { kind: 'pglite', dataDir: dataDir === PGLITE_IN_MEMORY ? null : dataDir };
}

export async function openSqlConnection(options: SqlConnectionOptions): Promise<SqlConnection> {
  return options.kind === 'postgres' ? openPostgres(options.url, options.poolSize ?? 10) : openPglite(options.dataDir);
}

async function openPglite(dataDir: string | null): Promise<SqlConnection> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const unlock = dataDir ? lockPgliteFolder(dataDir) : () => undefined;
  // PGlite runs every query and transaction one at a time (an internal mutex),
  // so the atomic operations are trivially serialised in the one process that
  // may open this folder.
  const { PGlite } = loadPglite();
  const client = new PGlite(dataDir ?? PGLITE_IN_MEMORY);
  try {
    await client.waitReady;
  } catch (error) {
    unlock();
    throw error;
  }
  const db = drizzlePglite({ client });
  return {
    kind: 'pglite',
    db,
    transaction: (work) => db.transaction(work),
    migrate: (migrationsFolder) => migratePglite(db, { migrationsFolder }),
    close: () => client.close().finally(unlock),
  };
}

async function openPostgres(url: string, poolSize: number): Promise<SqlConnection> {
  const logger = new Logger('SqlDatabase');
  // a connect that gets no answer (a network black hole) fails after 10 s instead of waiting for ever
  const pool = new Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 10_000, keepAlive: true });
  // An idle client's error (server restart, network cut) is emitted on the
  // pool; unhandled, it would crash the process. The pool replaces the client.
  pool.on('error', (error) => logger.warn(`idle PostgreSQL connection dropped: ${error.message}`));
  const db = drizzlePostgres({ client: pool });
  return {
    kind: 'postgres',
    db,
    transaction: (work) => transactionOnOwnClient(pool, work),
    migrate: (migrationsFolder) => migratePostgresOnce(pool, db, migrationsFolder),
    close: () => pool.end(),
  };
}

/**
 * Drizzle's transaction() on a pool releases its client only once BEGIN has
 * succeeded: a connection cut during BEGIN leaks the client, and after a few
 * such cuts the pool is empty and every later query waits for ever (seen as
 * workers stalling after a PostgreSQL outage under load). So the client is
 * checked out here and always released; Drizzle runs the transaction on that
 * one client, where it releases nothing. A broken client is dropped by the
 * pool on release (it is no longer queryable).
 */
export async function transactionOnOwnClient<T>(pool: Pick<Pool, 'connect'>, work: (tx: SqlTx) => Promise<T>): Promise<T> {
  const client: PoolClient = await pool.connect();
  try {
    return await drizzlePostgres({ client }).transaction(work as (tx: unknown) => Promise<T>);
  } finally {
    client.release();
  }
}

/**
 * Drizzle's migrator does not guard against two processes (API + worker)
 * starting together; a session advisory lock on a separate connection makes
 * the second wait and then find nothing left to apply.
 */
async function migratePostgresOnce(pool: Pool, db: ReturnType<typeof drizzlePostgres>, migrationsFolder: string): Promise<void> {
  const lock = await pool.connect();
  const key = advisoryLockKey('migrations', 'store');
  try {
    await lock.query('select pg_advisory_lock($1::bigint)', [key]);
    await migratePostgres(db, { migrationsFolder });
  } finally {
    await lock.query('select pg_advisory_unlock($1::bigint)', [key]).catch(() => undefined);
    lock.release();
  }
}
