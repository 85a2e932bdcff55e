import { AirtableFieldConfig, AirtableMetaTable, AirtableTableConfig } from './airtable-gateway';
import { choiceLabel } from './airtable-mappers';
import { AIRTABLE_DEFAULT_SCHEMA, FieldDef, ResolvedSchema, TABLE_KEYS } from './airtable-schema';

/** Something the base has differently from the driver's schema: reported, never changed. */
export interface SchemaConflict {
  /** type: the field exists with another type; name: the table or field exists under another letter case */
  kind: 'type' | 'name';
  table: string;
  /** absent when the table itself is concerned */
  field?: string;
  /** the base's type (kind type) or name (kind name) */
  found: string;
  expected: string;
}

/** What the base lacks compared with the driver's schema (defaults and AIRTABLE_SCHEMA_JSON). */
export interface AirtableSchemaPlan {
  /** tables to create, each with every field the driver uses; the first field becomes the primary field */
  tables: AirtableTableConfig[];
  /** fields to add to tables the base has */
  fields: { table: string; tableId: string; field: AirtableFieldConfig }[];
  conflicts: SchemaConflict[];
}

// Airtable requires display options on a dateTime field. Display only: the
// driver writes and reads ISO instants, and each viewer sees local time.
const DATE_TIME_OPTIONS = { dateFormat: { name: 'iso' }, timeFormat: { name: '24hour' }, timeZone: 'client' };

/** a field to create, in the metadata API's write format */
function fieldConfig(name: string, def: FieldDef): AirtableFieldConfig {
  if (def.type === 'singleSelect') return { name, type: def.type, options: { choices: (def.choices ?? []).map((c) => ({ name: choiceLabel(c) })) } };
  if (def.type === 'dateTime') return { name, type: def.type, options: DATE_TIME_OPTIONS };
  return { name, type: def.type };
}

// Airtable names are unique regardless of letter case: a create with another case of an existing name is refused.
const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** the driver's fields of one table, once per name (AIRTABLE_SCHEMA_JSON may map two logical fields to one) */
function wantedFields(schema: ResolvedSchema, key: (typeof TABLE_KEYS)[number]): AirtableFieldConfig[] {
  const names = schema[key].fields as Record<string, string>;
  const defs = AIRTABLE_DEFAULT_SCHEMA[key].fields as Record<string, FieldDef>;
  const out: AirtableFieldConfig[] = [];
  for (const [logical, name] of Object.entries(names)) {
    if (!out.some((f) => sameName(f.name, name))) out.push(fieldConfig(name, defs[logical]));
  }
  return out;
}

/**
 * Compares the base (metadata API answer) with the driver's schema. Only
 * additions are planned: a table or field that exists under another case or
 * with another type is a conflict for the operator, and whatever else the base
 * holds is left alone.
 */
export function planAirtableSchema(schema: ResolvedSchema, base: AirtableMetaTable[]): AirtableSchemaPlan {
  const plan: AirtableSchemaPlan = { tables: [], fields: [], conflicts: [] };
  for (const key of TABLE_KEYS) {
    const table = schema[key].name;
    const fields = wantedFields(schema, key);
    const found = base.find((t) => t.name === table);
    if (!found) {
      const other = base.find((t) => sameName(t.name, table));
      if (other) plan.conflicts.push({ kind: 'name', table, found: other.name, expected: table });
      else plan.tables.push({ name: table, fields });
      continue;
    }
    for (const field of fields) {
      const have = found.fields.find((f) => f.name === field.name);
      const other = have ? undefined : found.fields.find((f) => sameName(f.name, field.name));
      if (have && have.type !== field.type) plan.conflicts.push({ kind: 'type', table, field: field.name, found: have.type, expected: field.type });
      else if (other) plan.conflicts.push({ kind: 'name', table, field: field.name, found: other.name, expected: field.name });
      else if (!have) plan.fields.push({ table, tableId: found.id, field });
    }
  }
  return plan;
}

export const nothingToCreate = (plan: AirtableSchemaPlan) => plan.tables.length === 0 && plan.fields.length === 0;

const subject = (c: { table: string; field?: string }) => (c.field === undefined ? `table "${c.table}"` : `field "${c.field}" in table "${c.table}"`);

export function describeConflict(c: SchemaConflict): string {
  return c.kind === 'type'
    ? `${subject(c)} is ${c.found}; the driver expects ${c.expected}`
    : `${subject(c)} (the base has "${c.found}"; rename it in Airtable or map it with AIRTABLE_SCHEMA_JSON)`;
}

/** every table or field the driver would not find by its exact name, as an operator would look for it */
export function missingFromBase(plan: AirtableSchemaPlan): string[] {
  return [
    ...plan.tables.map((t) => subject({ table: t.name })),
    ...plan.fields.map((f) => subject({ table: f.table, field: f.field.name })),
    ...plan.conflicts.filter((c) => c.kind === 'name').map(describeConflict),
  ];
}
