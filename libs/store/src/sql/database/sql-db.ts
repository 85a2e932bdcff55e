import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';

/**
 * The one query-layer type: Drizzle's Postgres database, whichever client
 * (PGlite or node-postgres) is underneath. Repositories use only this.
 */
export type SqlDb = PgDatabase<PgQueryResultHKT>;
/** the handle inside db.transaction(...) */
export type SqlTx = Parameters<Parameters<SqlDb['transaction']>[0]>[0];
/** where a repository helper can run: the database or an open transaction */
export type SqlExecutor = SqlDb | SqlTx;
