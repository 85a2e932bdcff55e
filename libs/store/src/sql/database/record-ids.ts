import { RecordNotFoundError } from '../../ports';

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
