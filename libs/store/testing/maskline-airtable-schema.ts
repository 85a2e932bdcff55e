import { AirtableSchemaOverrides } from '@maskline/config';
import { resolveAirtableSchema, TABLE_KEYS } from '../src/airtable/airtable-schema';
import { FakeTableSchema } from './fake-airtable-table';

/** The fake base's tables exactly as the driver expects them (after overrides), minus whatever `omit` names. */
export function masklineFakeTables(
  overrides: AirtableSchemaOverrides = {},
  omit: { tables?: string[]; fields?: string[] } = {},
): FakeTableSchema[] {
  const schema = resolveAirtableSchema(overrides);
  return TABLE_KEYS.map((key) => schema[key])
    .filter((t) => !omit.tables?.includes(t.name))
    .map((t) => ({
      name: t.name,
      fields: Object.entries(t.fields as Record<string, string>)
        .filter(([, name]) => !omit.fields?.includes(`${t.name}.${name}`))
        .map(([logical, name]) => ({ name, type: (t.types as Record<string, string>)[logical] })),
    }));
}
