import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** the CI and development server (user postgres, trust auth) */
export const POSTGRES_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Whether the server answers, decided synchronously (jest must know at
 * collection time whether to skip): a child node process tries `select 1`
 * with the official pg client. Returns why not, or null when reachable.
 */
export function postgresUnreachableReason(url = POSTGRES_ADMIN_URL): string | null {
  const probe = `
    const { Client } = require('pg');
    const client = new Client({ connectionString: process.argv[1], connectionTimeoutMillis: 3000 });
    client.connect().then(() => client.query('select 1')).then(() => client.end())
      .then(() => process.exit(0), (e) => { console.error(e.message || e.code || String(e)); process.exit(1); });`;
  const result = spawnSync(process.execPath, ['-e', probe, url], { encoding: 'utf8', timeout: 10_000, cwd: process.cwd() });
  if (result.status === 0) return null;
  const why = result.error?.message ?? result.stderr.trim().split('\n').pop() ?? `exit ${result.status}`;
  return `PostgreSQL at ${new URL(url).host} is not reachable (${why || 'no answer'})`;
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

async function withAdmin<T>(adminUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** a fresh database maskline_test_<random>, dropped (connections and all) by drop() */
export async function createTestDatabase(adminUrl = POSTGRES_ADMIN_URL): Promise<TestDatabase> {
  const name = `maskline_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(adminUrl, (client) => client.query(`create database "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withAdmin(adminUrl, (client) => client.query(`drop database if exists "${name}" with (force)`)).then(() => undefined),
  };
}
