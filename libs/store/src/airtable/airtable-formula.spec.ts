import { airtableSpecFixture } from '../../testing/airtable-test-store';
import { compileFormula } from '../../testing/fake-airtable-formula';
import { masklineFakeTables } from '../../testing/maskline-airtable-schema';
import { HOSTILE_STRINGS } from '../contract';
import { nextPhone } from '../contract/fixtures';
import { and, eq, fieldRef, literal, or } from './airtable-formula';

jest.setTimeout(60_000);

/** evaluates a formula against one record, the way the fake (and Airtable) read it */
const matches = (formula: string, fields: Record<string, string>) =>
  compileFormula(formula).matches({ id: 'recAAAAAAAAAAAAAA', cell: (f) => fields[f] ?? null });

describe('filterByFormula escaping', () => {
  it('escapes the backslash first, then the quote', () => {
    expect(literal(`O'Brien`)).toBe(`'O\\'Brien'`);
    expect(literal(`\\'`)).toBe(`'\\\\\\''`);
    expect(literal(`'}, TRUE(), {`)).toBe(`'\\'}, TRUE(), {'`);
    expect(fieldRef('Odd } name')).toBe('{Odd \\} name}');
  });

  it.each(HOSTILE_STRINGS.map((s) => [JSON.stringify(s).slice(0, 40), s]))('%s matches only itself', (_label, value) => {
    const formula = eq('Phone', value).text;
    expect(matches(formula, { Phone: value })).toBe(true);
    expect(matches(formula, { Phone: `${value} ` })).toBe(false);
    expect(matches(formula, { Phone: 'someone else' })).toBe(false);
    expect(matches(and(eq('Phone', value), eq('Name', value)).text, { Phone: value, Name: 'x' })).toBe(false);
    expect(matches(or(eq('Phone', 'nobody'), eq('Name', value)).text, { Phone: 'x', Name: value })).toBe(true);
  });
});

describe('formula injection through the driver', () => {
  const at = airtableSpecFixture();

  it("a client phone or Time to Pet id like '}, TRUE(), { finds nothing but itself", async () => {
    const { ports } = await at.open();
    const victims = await Promise.all([nextPhone(), nextPhone()].map((p) => ports.clients.findOrCreateByPhone(p)));
    const started = at.fake.requests.length;

    expect(await ports.clients.findByPhone(`'}, TRUE(), {`)).toBeNull();
    expect(await ports.clients.findByTimeToPetId(`x' OR '1'='1`)).toBeNull();
    expect(await ports.clients.findByTimeToPetId(`"), TRUE(), ("`)).toBeNull();
    const hostile = await ports.clients.findOrCreateByPhone(`O'Brien "Bob" \\ '}, TRUE(), {`);
    expect(hostile.created).toBe(true);
    expect(victims.map((v) => v.client.id)).not.toContain(hostile.client.id);

    const sent = at.fake.requests.slice(started).filter((r) => r.formula);
    expect(sent.map((r) => r.status)).not.toContain(422);
    expect(sent[0].formula).toBe(`{Phone} = '\\'}, TRUE(), {'`);
  });

  it('field names holding braces, quotes and backslashes are escaped too (AIRTABLE_SCHEMA_JSON)', async () => {
    const overrides = {
      tables: { clients: "Client's {List}" },
      fields: { clients: { phone: 'Phone } {E.164}', timeToPetId: `TTP "id" \\ '` }, sitters: { reservedNumber: 'Reserved}Number' } },
    };
    at.fake.setSchema(masklineFakeTables(overrides));
    at.fake.reset();
    try {
      const { ports } = await at.open({ AIRTABLE_SCHEMA_JSON: JSON.stringify(overrides) });
      const phone = `'}, TRUE(), {`;
      const { client } = await ports.clients.findOrCreateByPhone(phone);
      await ports.clients.upsertFromSync({ timeToPetId: `'}`, firstName: 'A', lastName: null, email: null, phone: nextPhone(), address: null });
      const { sitter } = await ports.sitters.upsertByPhone({ name: 'S', phone: nextPhone() });
      await ports.sitters.setReservedNumber(sitter.id, `{Reserved}Number}`, 'active');

      expect(await ports.clients.findByPhone(phone)).toMatchObject({ id: client.id, phone });
      expect(await ports.clients.findByTimeToPetId(`'}`)).toMatchObject({ firstName: 'A' });
      expect(await ports.clients.findByTimeToPetId(`x`)).toBeNull();
      expect(await ports.sitters.findByReservedNumber(`{Reserved}Number}`)).toMatchObject({ id: sitter.id });
      expect(at.fake.requests.filter((r) => r.status === 422)).toEqual([]);
    } finally {
      at.fake.setSchema(masklineFakeTables());
    }
  });
});
