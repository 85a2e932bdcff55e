import { sql } from 'drizzle-orm';
import type { Pool } from 'pg';
import { transactionOnOwnClient } from './sql-connection';

/** a pool of one scripted client: records the statements it was sent and its releases */
function scriptedPool(failOn: RegExp | null) {
  const statements: string[] = [];
  const client = {
    releases: 0,
    release() {
      client.releases++;
    },
    query(config: string | { text: string }) {
      const text = typeof config === 'string' ? config : config.text;
      statements.push(text.trim());
      if (failOn?.test(text)) return Promise.reject(new Error('Connection terminated unexpectedly'));
      return Promise.resolve({ rows: [], rowCount: 0, command: 'SELECT', fields: [] });
    },
  };
  const pool = { connect: () => Promise.resolve(client) } as unknown as Pick<Pool, 'connect'>;
  return { pool, client, statements };
}

describe('transactionOnOwnClient', () => {
  it('commits and gives the client back', async () => {
    const { pool, client, statements } = scriptedPool(null);
    await expect(transactionOnOwnClient(pool, async (tx) => (await tx.execute(sql`select 1`), 'done'))).resolves.toBe('done');
    expect(statements).toEqual(['begin', 'select 1', 'commit']);
    expect(client.releases).toBe(1);
  });

  it('rolls back and gives the client back when the work throws', async () => {
    const { pool, client, statements } = scriptedPool(null);
    await expect(transactionOnOwnClient(pool, () => Promise.reject(new Error('business rule')))).rejects.toThrow('business rule');
    expect(statements).toEqual(['begin', 'rollback']);
    expect(client.releases).toBe(1);
  });

  it('gives the client back when the connection is cut during BEGIN (Drizzle alone leaks it, and the pool runs dry)', async () => {
    const { pool, client } = scriptedPool(/^begin/);
    await expect(transactionOnOwnClient(pool, () => Promise.resolve('never'))).rejects.toThrow(/Failed query: begin/);
    expect(client.releases).toBe(1);
  });
});
