import { sql, SQL } from 'drizzle-orm';
import { AnyPgColumn } from 'drizzle-orm/pg-core';

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
