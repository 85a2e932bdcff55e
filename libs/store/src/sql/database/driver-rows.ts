import { getTableColumns, Table } from 'drizzle-orm';

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
