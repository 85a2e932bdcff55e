/**
 * A parser and evaluator for the subset of Airtable's formula language the
 * driver emits: AND, OR, NOT, TRUE(), FALSE(), BLANK(), RECORD_ID(),
 * IS_BEFORE, IS_AFTER, DATETIME_PARSE(iso), comparisons (= != < > <= >=),
 * `&`, string literals with backslash escapes, numbers and `{Field}` refs
 * (with `\}` escapes). Anything else is a FormulaError, which the fake answers
 * with 422 INVALID_FILTER_BY_FORMULA, so the driver can't silently depend on
 * something the fake doesn't check.
 */
export class FormulaError extends Error {}

export type CellValue = string | number | boolean | Date | null;

type Node =
  | { kind: 'lit'; value: CellValue }
  | { kind: 'field'; name: string }
  | { kind: 'call'; fn: string; args: Node[] }
  | { kind: 'op'; op: string; left: Node; right: Node };

type Token = { t: 'str' | 'num' | 'field' | 'ident' | 'op' | '(' | ')' | ','; v: string };

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t' };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const readEscaped = (close: string): string => {
    let s = '';
    for (i++; i < src.length && src[i] !== close; i++) {
      if (src[i] === '\\') {
        i++;
        if (i >= src.length) break;
        s += ESCAPES[src[i]] ?? src[i];
      } else s += src[i];
    }
    if (src[i] !== close) throw new FormulaError(`unterminated ${close === '}' ? 'field reference' : 'string'}`);
    i++;
    return s;
  };
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) i++;
    else if (c === "'" || c === '"') out.push({ t: 'str', v: readEscaped(c) });
    else if (c === '{') out.push({ t: 'field', v: readEscaped('}') });
    else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?/.exec(src.slice(i))!;
      out.push({ t: 'num', v: m[0] });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      out.push({ t: 'ident', v: m[0].toUpperCase() });
      i += m[0].length;
    } else if (c === '(' || c === ')' || c === ',') {
      out.push({ t: c, v: c });
      i++;
    } else {
      const m = /^(!=|<=|>=|=|<|>|&)/.exec(src.slice(i));
      if (!m) throw new FormulaError(`unexpected character ${JSON.stringify(c)}`);
      out.push({ t: 'op', v: m[0] });
      i += m[0].length;
    }
  }
  return out;
}

const ARITY: Record<string, [number, number]> = {
  AND: [1, 99],
  OR: [1, 99],
  NOT: [1, 1],
  TRUE: [0, 0],
  FALSE: [0, 0],
  BLANK: [0, 0],
  RECORD_ID: [0, 0],
  IS_BEFORE: [2, 2],
  IS_AFTER: [2, 2],
  DATETIME_PARSE: [1, 1],
};

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): Node {
    const node = this.comparison();
    if (this.pos < this.tokens.length) throw new FormulaError(`unexpected ${this.tokens[this.pos].v}`);
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private expect(t: Token['t']): Token {
    const tok = this.tokens[this.pos++];
    if (!tok || tok.t !== t) throw new FormulaError(`expected ${t}`);
    return tok;
  }

  private comparison(): Node {
    let left = this.concat();
    while (this.peek()?.t === 'op' && this.peek()!.v !== '&') {
      const op = this.tokens[this.pos++].v;
      left = { kind: 'op', op, left, right: this.concat() };
    }
    return left;
  }

  private concat(): Node {
    let left = this.primary();
    while (this.peek()?.t === 'op' && this.peek()!.v === '&') {
      this.pos++;
      left = { kind: 'op', op: '&', left, right: this.primary() };
    }
    return left;
  }

  private primary(): Node {
    const tok = this.tokens[this.pos++];
    if (!tok) throw new FormulaError('unexpected end of formula');
    switch (tok.t) {
      case 'str':
        return { kind: 'lit', value: tok.v };
      case 'num':
        return { kind: 'lit', value: Number(tok.v) };
      case 'field':
        return { kind: 'field', name: tok.v };
      case '(': {
        const inner = this.comparison();
        this.expect(')');
        return inner;
      }
      case 'ident': {
        const arity = ARITY[tok.v];
        if (!arity) throw new FormulaError(`unsupported function ${tok.v}`);
        this.expect('(');
        const args: Node[] = [];
        if (this.peek()?.t !== ')') {
          args.push(this.comparison());
          while (this.peek()?.t === ',') {
            this.pos++;
            args.push(this.comparison());
          }
        }
        this.expect(')');
        if (args.length < arity[0] || args.length > arity[1]) throw new FormulaError(`wrong number of arguments to ${tok.v}`);
        return { kind: 'call', fn: tok.v, args };
      }
      default:
        throw new FormulaError(`unexpected ${tok.v}`);
    }
  }
}

export interface FormulaRecord {
  id: string;
  cell(field: string): CellValue;
}

export interface CompiledFormula {
  /** field names the formula reads, so the caller can reject unknown ones */
  fields: string[];
  matches(record: FormulaRecord): boolean;
}

const isBlank = (v: CellValue): boolean => v === null || v === '' || v === false;

function truthy(v: CellValue): boolean {
  if (v instanceof Date) return true;
  return !isBlank(v) && v !== 0;
}

function asDate(v: CellValue): Date | null {
  if (v instanceof Date) return v;
  if (typeof v === 'string' && v !== '') {
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  return null;
}

function compare(op: string, a: CellValue, b: CellValue): boolean {
  if (op === '=' || op === '!=') {
    let same: boolean;
    if (isBlank(a) || isBlank(b)) same = isBlank(a) && isBlank(b);
    else if (a instanceof Date || b instanceof Date) same = asDate(a)?.getTime() === asDate(b)?.getTime();
    else same = String(a) === String(b);
    return op === '=' ? same : !same;
  }
  let x: number | string;
  let y: number | string;
  if (a instanceof Date || b instanceof Date) {
    const da = asDate(a);
    const db = asDate(b);
    if (!da || !db) return false;
    [x, y] = [da.getTime(), db.getTime()];
  } else if (typeof a === 'number' || typeof b === 'number') [x, y] = [Number(a), Number(b)];
  else [x, y] = [String(a ?? ''), String(b ?? '')];
  switch (op) {
    case '<':
      return x < y;
    case '>':
      return x > y;
    case '<=':
      return x <= y;
    default:
      return x >= y;
  }
}

function evaluate(node: Node, rec: FormulaRecord): CellValue {
  switch (node.kind) {
    case 'lit':
      return node.value;
    case 'field':
      return rec.cell(node.name);
    case 'op': {
      const a = evaluate(node.left, rec);
      const b = evaluate(node.right, rec);
      if (node.op === '&') return `${a instanceof Date ? a.toISOString() : (a ?? '')}${b instanceof Date ? b.toISOString() : (b ?? '')}`;
      return compare(node.op, a, b);
    }
    case 'call': {
      const args = () => node.args.map((a) => evaluate(a, rec));
      switch (node.fn) {
        case 'AND':
          return node.args.every((a) => truthy(evaluate(a, rec)));
        case 'OR':
          return node.args.some((a) => truthy(evaluate(a, rec)));
        case 'NOT':
          return !truthy(evaluate(node.args[0], rec));
        case 'TRUE':
          return true;
        case 'FALSE':
          return false;
        case 'BLANK':
          return null;
        case 'RECORD_ID':
          return rec.id;
        case 'DATETIME_PARSE': {
          const d = asDate(evaluate(node.args[0], rec));
          if (!d) return null;
          return d;
        }
        default: {
          const [a, b] = args().map(asDate);
          if (!a || !b) return false;
          return node.fn === 'IS_BEFORE' ? a.getTime() < b.getTime() : a.getTime() > b.getTime();
        }
      }
    }
  }
}

function collectFields(node: Node, into: Set<string>): Set<string> {
  if (node.kind === 'field') into.add(node.name);
  if (node.kind === 'op') [node.left, node.right].forEach((n) => collectFields(n, into));
  if (node.kind === 'call') node.args.forEach((n) => collectFields(n, into));
  return into;
}

export function compileFormula(src: string): CompiledFormula {
  const ast = new Parser(tokenize(src)).parse();
  return { fields: [...collectFields(ast, new Set())], matches: (rec) => truthy(evaluate(ast, rec)) };
}
