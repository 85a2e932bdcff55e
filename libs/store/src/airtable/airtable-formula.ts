/**
 * filterByFormula builder. Values never reach a formula except through
 * `literal()`, and a formula can only be built from these helpers (the
 * Formula class is the only thing the gateway accepts), so a client named
 * `'}, TRUE(), {` stays a string. Airtable string literals take backslash
 * escapes: the backslash is escaped first, then the quote (PITFALLS: Airtable).
 */
export class Formula {
  /** @internal use the helpers below */
  constructor(readonly text: string) {}
}

export function literal(value: string): string {
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r');
  return `'${escaped}'`;
}

/** `{Field name}`; a `}` (or backslash) in the name is escaped so it cannot end the reference early */
export function fieldRef(name: string): string {
  return `{${name.replace(/\\/g, '\\\\').replace(/}/g, '\\}')}}`;
}

export const eq = (field: string, value: string): Formula => new Formula(`${fieldRef(field)} = ${literal(value)}`);

/** a blank field is not equal to a value (Airtable's `!=`) */
export const notEq = (field: string, value: string): Formula => new Formula(`${fieldRef(field)} != ${literal(value)}`);

export const and = (...parts: Formula[]): Formula =>
  parts.length === 1 ? parts[0] : new Formula(`AND(${parts.map((p) => p.text).join(', ')})`);

export const or = (...parts: Formula[]): Formula =>
  parts.length === 1 ? parts[0] : new Formula(`OR(${parts.map((p) => p.text).join(', ')})`);

const when = (at: Date): string => `DATETIME_PARSE(${literal(at.toISOString())})`;

/** strictly before `at` */
export const before = (field: string, at: Date): Formula => new Formula(`IS_BEFORE(${fieldRef(field)}, ${when(at)})`);

export const anyOf = (field: string, values: string[]): Formula => or(...values.map((v) => eq(field, v)));
