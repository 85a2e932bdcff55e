/**
 * `npm run airtable:setup [-- --apply]`: brings an existing Airtable base up
 * to the driver's schema. Reads the base through the metadata API, prints
 * what it lacks (tables and fields to create, with their types) and what it
 * has differently (another type, another letter case: reported, never
 * changed), and with --apply creates the missing tables and fields. It never
 * renames, changes or deletes anything, so running it again is safe.
 *
 * Configured like the app (loadConfig: AIRTABLE_API_KEY, AIRTABLE_BASE_ID,
 * AIRTABLE_ENDPOINT_URL, AIRTABLE_SCHEMA_JSON) and paced by the same
 * Redis-shared request budget, so it needs REDIS_URL too.
 */
import { AppConfig, loadConfig } from '@maskline/config';
import { RedisService } from '@maskline/redis';
import { AirtableRequestError } from './airtable-errors';
import { AirtableFieldConfig, AirtableGateway } from './airtable-gateway';
import { AirtableRateLimiter } from './airtable-rate-limiter';
import { resolveAirtableSchema } from './airtable-schema';
import { AirtableSchemaPlan, describeConflict, nothingToCreate, planAirtableSchema } from './airtable-schema-plan';

const USAGE = 'usage: npm run airtable:setup [-- --apply]';
const TOKENS_PAGE = 'https://airtable.com/create/tokens';

/** A failure the operator can act on; its message is the whole story. */
export class AirtableSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AirtableSetupError';
  }
}

/** Prints the plan and, with apply, carries it out. Returns the plan it found before any change. */
export async function runAirtableSchemaSetup(config: AppConfig, opts: { apply: boolean }, print: (line: string) => void): Promise<AirtableSchemaPlan> {
  const { apiKey, baseId } = config.store.airtable;
  if (!apiKey || !baseId) {
    throw new AirtableSetupError('AIRTABLE_API_KEY and AIRTABLE_BASE_ID must be set (the base to bring up to the schema, and a token allowed to change it)');
  }
  const schema = resolveAirtableSchema(config.store.airtable.schema);
  const redis = new RedisService(config);
  try {
    await redis.onModuleInit();
    const gateway = new AirtableGateway(config, new AirtableRateLimiter(redis, config));
    const read = async () => planAirtableSchema(schema, await explained(baseId, 'read', () => gateway.metaTables()));

    const plan = await read();
    formatPlan(plan, baseId).forEach(print);
    if (nothingToCreate(plan)) return plan;
    if (!opts.apply) {
      print('Nothing was changed. Run `npm run airtable:setup -- --apply` to create the tables and fields above.');
      return plan;
    }
    for (const table of plan.tables) {
      await explained(baseId, 'write', () => gateway.metaCreateTable(table));
      print(`created table "${table.name}" with ${table.fields.length} fields`);
    }
    for (const { table, tableId, field } of plan.fields) {
      await explained(baseId, 'write', () => gateway.metaCreateField(tableId, field));
      print(`created field "${field.name}" (${field.type}) in table "${table}"`);
    }
    const left = await read();
    if (!nothingToCreate(left)) throw new AirtableSetupError(`base ${baseId} still lacks ${left.tables.length} tables and ${left.fields.length} fields after --apply`);
    print(`Done: base ${baseId} has every table and field the driver uses.`);
    return plan;
  } finally {
    await redis.onApplicationShutdown();
  }
}

/** the plan as an operator reads it */
export function formatPlan(plan: AirtableSchemaPlan, baseId: string): string[] {
  const lines = [`Airtable base ${baseId} compared with the driver's schema (defaults and AIRTABLE_SCHEMA_JSON):`];
  if (plan.tables.length) {
    lines.push(`Tables to create (${plan.tables.length}):`);
    for (const t of plan.tables) {
      lines.push(`  + ${t.name}`);
      t.fields.forEach((f, i) => lines.push(`      ${describeField(f)}${i === 0 ? ', primary field' : ''}`));
    }
  }
  if (plan.fields.length) {
    lines.push(`Fields to create (${plan.fields.length}):`);
    let table = '';
    for (const f of plan.fields) {
      if (f.table !== table) lines.push(`  ${(table = f.table)}`);
      lines.push(`    + ${describeField(f.field)}`);
    }
  }
  if (nothingToCreate(plan)) lines.push('Nothing to create: every table and field the driver uses is there.');
  if (plan.conflicts.length) {
    lines.push(`Conflicts, reported and left as they are (${plan.conflicts.length}):`);
    plan.conflicts.forEach((c) => lines.push(`  ! ${describeConflict(c)}`));
  }
  return lines;
}

function describeField(f: AirtableFieldConfig): string {
  const choices = (f.options?.choices as { name: string }[] | undefined)?.map((c) => c.name);
  return `${f.name} (${f.type}${choices ? `: ${choices.join(', ')}` : ''})`;
}

/** turns Airtable's refusals into what to do about them */
async function explained<T>(baseId: string, access: 'read' | 'write', call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (!(e instanceof AirtableRequestError)) throw e;
    if (e.status === 401) throw new AirtableSetupError(`Airtable refused the token in AIRTABLE_API_KEY (${e.message})`);
    // Airtable answers 403 INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND (airtable.js: NOT_AUTHORIZED) both for a
    // missing scope and for a base the token cannot see: name both
    if (e.status === 403 || e.status === 404) {
      const scope = access === 'read' ? 'schema.bases:read' : 'schema.bases:write';
      throw new AirtableSetupError(
        `Airtable refused to ${access} the schema of base ${baseId} (${e.status} ${e.type}): the token needs the ${scope} scope and access to this base` +
          `${access === 'write' ? ', and its user must be a creator of the base' : ''}. Add the scope at ${TOKENS_PAGE} and run again` +
          `${access === 'write' ? '; anything created so far stays, and the next run only adds what is still missing' : ''}.`,
      );
    }
    throw e;
  }
}

async function main(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const unknown = args.filter((a) => a !== '--apply');
  if (unknown.length) {
    console.error(`airtable:setup: unknown argument ${unknown.join(' ')}; ${USAGE}`);
    return 2;
  }
  try {
    await runAirtableSchemaSetup(loadConfig(), { apply: args.includes('--apply') }, (line) => console.log(line));
    return 0;
  } catch (e) {
    console.error(`airtable:setup: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

if (require.main === module) void main(process.argv.slice(2)).then((code) => (process.exitCode = code));
