import { FakeTable, FakeTableSchema } from '../../testing/fake-airtable-table';
import { masklineFakeTables, zapEraFakeTables } from '../../testing/maskline-airtable-schema';
import { resolveAirtableSchema, TABLE_KEYS } from './airtable-schema';
import { missingFromBase, nothingToCreate, planAirtableSchema } from './airtable-schema-plan';

/** the metadata API's answer for these tables */
const metaOf = (tables: FakeTableSchema[]) => tables.map((t) => new FakeTable(t).meta());
const defaults = resolveAirtableSchema();
const fieldsTo = (plan: ReturnType<typeof planAirtableSchema>, table: string) => plan.fields.filter((f) => f.table === table).map((f) => f.field.name);

describe('planAirtableSchema', () => {
  it("plans every field the Zap-era base lacks, in the tables it has, and nothing it already has", () => {
    const base = metaOf(zapEraFakeTables());
    const plan = planAirtableSchema(defaults, base);

    expect(plan.tables).toEqual([]);
    expect(plan.conflicts).toEqual([]);
    const driverFields = TABLE_KEYS.reduce((n, k) => n + Object.keys(defaults[k].fields).length, 0);
    // 9 fields of Number Inventory and Audit Log are the driver's, and the primary "Name" of Sitters and Clients
    expect(plan.fields).toHaveLength(driverFields - 9 - 2);
    expect(fieldsTo(plan, 'Number Inventory')).toEqual([
      'Twilio SID',
      'Sitter Record ID',
      'Area Code',
      'Purchase Token',
      'Verification Result',
      'Error Code',
      'Error Message',
      'Job ID',
      'Created At',
      'Updated At',
    ]);
    expect(fieldsTo(plan, 'Audit Log')).toEqual(['Event ID', 'Category', 'Severity', 'Number Record ID', 'Sitter Record ID', 'Client Record ID']);
    expect(fieldsTo(plan, 'Sessions')).toContain('Session Key');
    expect(fieldsTo(plan, 'Messages')).toContain('Write ID');
    expect(fieldsTo(plan, 'Sitters')).not.toContain('Name');
    const sessions = base.find((t) => t.name === 'Sessions')!;
    expect(plan.fields.filter((f) => f.table === 'Sessions').every((f) => f.tableId === sessions.id)).toBe(true);
  });

  it("gives each field the driver's type, select choices as ops see them, and dateTime display options", () => {
    const plan = planAirtableSchema(defaults, metaOf(zapEraFakeTables()));
    const field = (table: string, name: string) => plan.fields.find((f) => f.table === table && f.field.name === name)!.field;

    expect(field('Number Inventory', 'Purchase Token')).toEqual({ name: 'Purchase Token', type: 'singleLineText' });
    expect(field('Number Inventory', 'Error Message')).toEqual({ name: 'Error Message', type: 'multilineText' });
    expect(field('Sitters', 'Email')).toEqual({ name: 'Email', type: 'email' });
    expect(field('Sitters', 'Status').options).toEqual({ choices: [{ name: 'Pending' }, { name: 'Active' }, { name: 'Inactive' }] });
    expect(field('Messages', 'Direction').options!.choices).toContainEqual({ name: 'Client To Sitter' });
    expect(field('Clients', 'Source').options!.choices).toEqual([{ name: 'Sync' }, { name: 'First Contact' }]);
    expect(field('Sessions', 'Closed At')).toEqual({
      name: 'Closed At',
      type: 'dateTime',
      options: { dateFormat: { name: 'iso' }, timeFormat: { name: '24hour' }, timeZone: 'client' },
    });
  });

  it('plans nothing for a base that has the whole schema, whatever else it holds', () => {
    const tables = masklineFakeTables();
    tables[0].fields.push({ name: 'Notes', type: 'multilineText' });
    tables.push({ name: 'Zap Scratch', fields: [{ name: 'Name', type: 'singleLineText' }] });
    const plan = planAirtableSchema(defaults, metaOf(tables));
    expect(nothingToCreate(plan)).toBe(true);
    expect(plan.conflicts).toEqual([]);
    expect(missingFromBase(plan)).toEqual([]);
  });

  it('creates a missing table with all its fields, its key field first (the primary field)', () => {
    const plan = planAirtableSchema(defaults, metaOf(masklineFakeTables({}, { tables: ['Sessions'] })));
    expect(plan.fields).toEqual([]);
    expect(plan.tables).toHaveLength(1);
    expect(plan.tables[0].name).toBe('Sessions');
    expect(plan.tables[0].fields.map((f) => f.name)).toEqual(Object.values(defaults.sessions.fields));
    expect(plan.tables[0].fields[0]).toEqual({ name: 'Session Key', type: 'singleLineText' });
  });

  it('reports fields of another type and names in another letter case, and plans neither', () => {
    const tables = masklineFakeTables({}, { fields: ['Number Inventory.Purchased At', 'Clients.Phone'] });
    tables.find((t) => t.name === 'Number Inventory')!.fields.push({ name: 'Purchased At', type: 'date' });
    tables.find((t) => t.name === 'Clients')!.fields.push({ name: 'phone', type: 'phoneNumber' });
    tables.find((t) => t.name === 'Audit Log')!.name = 'audit log';

    const plan = planAirtableSchema(defaults, metaOf(tables));

    expect(plan.tables).toEqual([]);
    expect(plan.fields).toEqual([]);
    expect(plan.conflicts).toEqual([
      { kind: 'name', table: 'Clients', field: 'Phone', found: 'phone', expected: 'Phone' },
      { kind: 'type', table: 'Number Inventory', field: 'Purchased At', found: 'date', expected: 'dateTime' },
      { kind: 'name', table: 'Audit Log', found: 'audit log', expected: 'Audit Log' },
    ]);
    // what the start-up check refuses: the driver finds neither by its exact name; a type is only logged
    expect(missingFromBase(plan)).toEqual([
      'field "Phone" in table "Clients" (the base has "phone"; rename it in Airtable or map it with AIRTABLE_SCHEMA_JSON)',
      'table "Audit Log" (the base has "audit log"; rename it in Airtable or map it with AIRTABLE_SCHEMA_JSON)',
    ]);
  });

  it('uses the names of AIRTABLE_SCHEMA_JSON', () => {
    const renamed = resolveAirtableSchema({ tables: { clients: 'Customers' }, fields: { numbers: { purchaseToken: 'Purchase Key' } } });
    const plan = planAirtableSchema(renamed, metaOf(zapEraFakeTables()));
    expect(plan.tables.map((t) => t.name)).toEqual(['Customers']);
    expect(fieldsTo(plan, 'Number Inventory')).toContain('Purchase Key');
    expect(fieldsTo(plan, 'Number Inventory')).not.toContain('Purchase Token');
    expect(missingFromBase(plan)).toContain('table "Customers"');
    expect(missingFromBase(plan)).toContain('field "Purchase Key" in table "Number Inventory"');
  });
});
