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

/**
 * The business's Zap-era base: the six tables, Number Inventory and Audit Log
 * with the fields the seed Zaps write (Audit Log's `Status` is not the
 * driver's), the other tables with only the primary field Airtable gives a new
 * table ("Name").
 */
export function zapEraFakeTables(): FakeTableSchema[] {
  const text = (name: string) => ({ name, type: 'singleLineText' });
  const primaryOnly = (name: string) => ({ name, fields: [text('Name')] });
  return [
    primaryOnly('Sitters'),
    primaryOnly('Clients'),
    {
      name: 'Number Inventory',
      fields: [
        text('Phone Number'),
        { name: 'Lifecycle', type: 'singleSelect', options: ['Pool', 'Reserved', 'Standby'] },
        { name: 'Status', type: 'singleSelect', options: ['Pending', 'Ready', 'Failed'] },
        { name: 'Purchased At', type: 'dateTime' },
        text('Purchase Reason'),
      ],
    },
    primaryOnly('Sessions'),
    primaryOnly('Messages'),
    {
      name: 'Audit Log',
      fields: [text('Event Type'), { name: 'Details', type: 'multilineText' }, text('Phone Number'), text('Status'), { name: 'Created At', type: 'dateTime' }],
    },
  ];
}
