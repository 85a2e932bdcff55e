import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { airtableSpecFixture, airtableTestConfig, TEST_BASE_ID } from '../../testing/airtable-test-store';
import { masklineFakeTables, zapEraFakeTables } from '../../testing/maskline-airtable-schema';
import { deleteRedisPrefix, TEST_REDIS_URL, uniquePrefix } from '../../../../test/support/redis-cleanup';
import { AirtableSetupError, runAirtableSchemaSetup } from './airtable-schema-setup';

jest.setTimeout(120_000);

const root = join(__dirname, '../../../..');

/** `npm run airtable:setup -- <args>` as an operator runs it, with only the environment given */
async function runSetupScript(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const options = { cwd: root, timeout: 100_000, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env } };
  try {
    return { code: 0, ...(await promisify(execFile)('npm', ['run', 'airtable:setup', '--', ...args], options)) };
  } catch (e) {
    const failed = e as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? null, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('npm run airtable:setup', () => {
  const at = airtableSpecFixture();
  beforeEach(() => {
    at.fake.setSchema(zapEraFakeTables());
    at.fake.reset();
  });
  afterAll(() => at.fake.setSchema(masklineFakeTables()));

  const setup = async (apply: boolean, env: Record<string, string> = {}) => {
    const lines: string[] = [];
    const plan = await runAirtableSchemaSetup(airtableTestConfig(at.fake, at.prefix(), env), { apply }, (l) => lines.push(l));
    return { plan, output: lines.join('\n') };
  };
  // a 429 (the limiter's spacing meeting the fake's sliding window) created nothing and was sent again: count what landed
  const schemaWrites = () => at.fake.requests.filter((r) => (r.kind === 'createTable' || r.kind === 'createField') && r.status !== 429);
  const fieldsOf = (table: string) => at.fake.schemaOf(TEST_BASE_ID).find((t) => t.name === table)!.fields;

  it('plans the Zap-era base, creates the missing fields with --apply, plans nothing on a second run, and the store then starts', async () => {
    // the Zap-era base: the driver refuses to start on it
    await expect(at.open()).rejects.toThrow(/missing .*field "Purchase Token" in table "Number Inventory".*npm run airtable:setup/);

    const dry = await setup(false);
    expect(dry.plan.fields).toHaveLength(56);
    expect(dry.output).toContain('Fields to create (56):');
    expect(dry.output).toContain('    + Purchase Token (singleLineText)');
    expect(dry.output).toContain('    + Status (singleSelect: Pending, Active, Inactive)');
    expect(dry.output).toContain('Nothing was changed. Run `npm run airtable:setup -- --apply`');
    expect(schemaWrites()).toHaveLength(0);
    console.log(`plan of the Zap-era base:\n${dry.output}`);

    const applied = await setup(true);
    expect(applied.output).toContain('created field "Purchase Token" (singleLineText) in table "Number Inventory"');
    expect(applied.output).toContain(`Done: base ${TEST_BASE_ID} has every table and field the driver uses.`);
    expect(schemaWrites()).toHaveLength(56);
    expect(schemaWrites().every((r) => r.status === 200)).toBe(true);
    expect(fieldsOf('Sitters').find((f) => f.name === 'Status')).toMatchObject({ type: 'singleSelect', options: { choices: [{ name: 'Pending' }, { name: 'Active' }, { name: 'Inactive' }] } });
    // what was there is untouched: the Zap-era fields, their options, Audit Log's own Status
    expect(fieldsOf('Number Inventory').find((f) => f.name === 'Status')!.options).toEqual({ choices: [{ name: 'Pending' }, { name: 'Ready' }, { name: 'Failed' }] });
    expect(fieldsOf('Audit Log').map((f) => f.name)).toContain('Status');

    const again = await setup(true);
    expect(again.plan).toEqual({ tables: [], fields: [], conflicts: [] });
    expect(again.output).toContain('Nothing to create: every table and field the driver uses is there.');
    expect(schemaWrites()).toHaveLength(56);

    const store = await at.open();
    const { sitter } = await store.ports.sitters.upsertByPhone({ name: 'Ada Walker', phone: '+17205550101', email: 'ada@example.com' });
    expect((await store.ports.sitters.findByPhone('+17205550101'))?.id).toBe(sitter.id);
  });

  it('creates missing tables whole, and reports a field of another type without changing it', async () => {
    const tables = masklineFakeTables({}, { tables: ['Sessions'], fields: ['Number Inventory.Purchased At'] });
    tables.find((t) => t.name === 'Number Inventory')!.fields.push({ name: 'Purchased At', type: 'date' });
    at.fake.setSchema(tables);
    at.fake.reset();

    const { output } = await setup(true);
    expect(output).toContain('Tables to create (1):\n  + Sessions\n      Session Key (singleLineText), primary field');
    expect(output).toContain('  ! field "Purchased At" in table "Number Inventory" is date; the driver expects dateTime');
    expect(fieldsOf('Sessions').map((f) => f.name)).toEqual(masklineFakeTables().find((t) => t.name === 'Sessions')!.fields.map((f) => f.name));
    expect(fieldsOf('Number Inventory').find((f) => f.name === 'Purchased At')!.type).toBe('date');
    expect(schemaWrites().map((r) => r.kind)).toEqual(['createTable']);
  });

  it('names the missing scope when the token may not change (schema.bases:write) or read (schema.bases:read) the schema', async () => {
    at.fake.schemaWritesRefused = true;
    const refused = await setup(true).catch((e: Error) => e);
    expect(refused).toBeInstanceOf(AirtableSetupError);
    // airtable.js reports every 403 as its own NOT_AUTHORIZED, whatever Airtable's type
    expect((refused as Error).message).toMatch(/^Airtable refused to write the schema of base appMasklineTest01 \(403 NOT_AUTHORIZED\): the token needs the schema\.bases:write scope/);
    expect(fieldsOf('Sitters').map((f) => f.name)).toEqual(['Name']);

    at.fake.metaStatus = 403;
    await expect(setup(false)).rejects.toThrow(/needs the schema\.bases:read scope/);
  });

  it('runs as a child process: prints the plan, applies it and exits 0', async () => {
    const prefix = uniquePrefix('t-airtable-setup');
    try {
      const run = await runSetupScript(['--apply'], {
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: prefix,
        AIRTABLE_API_KEY: at.fake.token,
        AIRTABLE_BASE_ID: TEST_BASE_ID,
        AIRTABLE_ENDPOINT_URL: at.fake.baseUrl,
      });
      console.log(`npm run airtable:setup -- --apply exited ${run.code}\n${run.stdout}${run.stderr}`);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Fields to create (56):');
      expect(run.stdout).toContain(`Done: base ${TEST_BASE_ID} has every table and field the driver uses.`);
      expect(schemaWrites()).toHaveLength(56);
    } finally {
      await deleteRedisPrefix(prefix);
    }
  });
});
