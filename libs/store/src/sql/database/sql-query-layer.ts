import { createHash } from 'node:crypto';
import { getTableColumns, sql, SQL, Table } from 'drizzle-orm';
import type { AnyPgColumn, PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { RecordNotFoundError } from '../../ports';

// The query layer the repositories share: Drizzle's types, and the few helpers
// for what the query builder does not say directly (ids, raw rows, instants, locks).

/**
 * The one query-layer type: Drizzle's Postgres database, whichever client
 * (PGlite or node-postgres) is underneath. Repositories use only this.
 */
export type SqlDb = PgDatabase<PgQueryResultHKT>;

/** the handle inside db.transaction(...) */
export type SqlTx = Parameters<Parameters<SqlDb['transaction']>[0]>[0];

/** where a repository helper can run: the database or an open transaction */
export type SqlExecutor = SqlDb | SqlTx;

// ---------- record ids ----------

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Ids arrive from URLs and other drivers' data and may be anything; a string
 * that is not a UUID names no row here, and Postgres would reject it in a uuid
 * column (22P02) instead of answering "not found".
 */
export function isRecordId(id: string): boolean {
  return UUID.test(id);
}

/** the single row an update by id returned, or RecordNotFoundError */
export function updatedRow<T>(rows: T[], entity: string, id: string): T {
  if (rows.length === 0) throw new RecordNotFoundError(entity, id);
  return rows[0];
}

// ---------- raw rows ----------

/**
 * A row from a raw `db.execute()` (database column names, driver values) as
 * drizzle's own queries would give it (property names, mapped values), for
 * the few statements the query builder cannot express.
 */
export function fromDriverRow<T extends Table>(table: T, raw: Record<string, unknown>): T['$inferSelect'] {
  const row: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = raw[column.name];
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row as T['$inferSelect'];
}

/** the rows of a raw `db.execute()`: both drivers (PGlite, node-postgres) answer `{ rows }` */
export function rowsOf(result: unknown): Record<string, unknown>[] {
  return (result as { rows: Record<string, unknown>[] }).rows;
}

// ---------- instants ----------

/** an instant as a typed SQL literal parameter (same on PGlite and node-postgres) */
export function timestamptz(at: Date): SQL {
  return sql`${at.toISOString()}::timestamptz`;
}

/**
 * Moves a "last activity" column forward only: jobs run at least once and out
 * of order, so an older touch must not undo a newer one. greatest() skips null.
 */
export function latest(column: AnyPgColumn, at: Date): SQL {
  return sql`greatest(${column}, ${timestamptz(at)})`;
}

// ---------- advisory locks ----------

/**
 * pg_advisory locks take a bigint key; this maps a readable scope + value to a
 * stable signed 64-bit key (as a decimal string, so no precision is lost).
 * Hashed in Node rather than with Postgres' hashtext() so every process and
 * server version agrees on the key.
 */
export function advisoryLockKey(scope: string, value: string): string {
  return createHash('sha256').update(`maskline:${scope}:${value}`).digest().readBigInt64BE(0).toString();
}

/** Holds the lock until the surrounding transaction ends; other processes wait. */
export async function lockForTransaction(tx: SqlExecutor, scope: string, value: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${advisoryLockKey(scope, value)}::bigint)`);
}
