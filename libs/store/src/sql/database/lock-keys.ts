import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { SqlExecutor } from './sql-db';

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
