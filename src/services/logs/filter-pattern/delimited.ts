/**
 * @module services/logs/filter-pattern/delimited
 * Space-delimited patterns: `[ip, user, ..., status_code = 4* || status_code = 5*, size > 1000]`.
 *
 * The message is split on whitespace, text in "…" or […] kept as one field. Each pattern field
 * names one message field and may test it (`= != < <= > >=` against a number, a string with `*`
 * wildcards, or a `%regex%`; several tests joined with `&&` and `||`). `...` stands for any
 * number of fields, so without it the message must have exactly as many fields as the pattern.
 * Named fields are what metric values and dimensions refer to as `$name`.
 */
import { Scanner } from './scanner.js';
import { FilterPatternError, type EventText, type FilterPattern, type PatternMatch } from './types.js';
import { compare, readLiteral, readOperator, type Literal, type Operator } from './values.js';

type Test =
  | { kind: 'and' | 'or'; left: Test; right: Test }
  | { kind: 'compare'; op: Operator; literal: Literal }
  | { kind: 'any' };

type Field = { kind: 'ellipsis' } | { kind: 'field'; name: string; test: Test };

const MAX_REGEX = 2;
const NAME = /[A-Za-z0-9_-]/;
const VALUE_END = (c: string) => /\s/.test(c) || ',&|'.includes(c);

class DelimitedParser {
  readonly names = new Set<string>();
  private regexCount = 0;

  constructor(private readonly s: Scanner) {}

  parse(): Field[] {
    const s = this.s;
    const fields: Field[] = [];
    for (;;) {
      s.skipSpace();
      if (s.eat('...')) fields.push({ kind: 'ellipsis' });
      else fields.push(this.field());
      s.skipSpace();
      if (s.done) return fields;
      s.expect(',', "',' between fields");
    }
  }

  private field(): Field {
    let name: string | undefined;
    const test = this.or((n) => (name ??= n));
    this.names.add(name!);
    return { kind: 'field', name: name!, test };
  }

  private or(named: (n: string) => void): Test {
    let left = this.and(named);
    for (;;) {
      this.s.skipSpace();
      if (!this.s.eat('||')) return left;
      left = { kind: 'or', left, right: this.and(named) };
    }
  }

  private and(named: (n: string) => void): Test {
    let left = this.condition(named);
    for (;;) {
      this.s.skipSpace();
      if (!this.s.eat('&&')) return left;
      left = { kind: 'and', left, right: this.condition(named) };
    }
  }

  private condition(named: (n: string) => void): Test {
    const s = this.s;
    s.skipSpace();
    const name = s.readUntil((c) => !NAME.test(c));
    if (name === '') s.fail(`Expected a field name at position ${s.pos + 2} of the space-delimited pattern`);
    named(name);
    s.skipSpace();
    const op = readOperator(s);
    if (!op) return { kind: 'any' };
    s.skipSpace();
    const literal = readLiteral(s, op, VALUE_END);
    if (literal.kind === 'regex' && ++this.regexCount > MAX_REGEX) s.fail(`A filter pattern can contain at most ${MAX_REGEX} regular expressions`);
    return { kind: 'compare', op, literal };
  }
}

function passes(t: Test, value: string): boolean {
  switch (t.kind) {
    case 'and':
      return passes(t.left, value) && passes(t.right, value);
    case 'or':
      return passes(t.left, value) || passes(t.right, value);
    case 'compare':
      return compare(t.op, t.literal, value);
    case 'any':
      return true;
  }
}

/** Fits `fields[fi..]` to `tokens[ti..]`, filling `bound` (field index → token) on success. */
function fit(fields: readonly Field[], tokens: readonly string[], fi: number, ti: number, bound: string[]): boolean {
  if (fi === fields.length) return ti === tokens.length;
  const f = fields[fi];
  if (f.kind === 'ellipsis') {
    for (let k = ti; k <= tokens.length; k++) if (fit(fields, tokens, fi + 1, k, bound)) return true;
    return false;
  }
  if (ti >= tokens.length || !passes(f.test, tokens[ti])) return false;
  bound[fi] = tokens[ti];
  return fit(fields, tokens, fi + 1, ti + 1, bound);
}

export function compileDelimited(source: string): FilterPattern {
  const text = source.trim();
  if (!text.endsWith(']')) throw new FilterPatternError("If a filter pattern starts with '[' it must end with ']'");
  const body = text.slice(1, -1);
  if (body.trim() === '') throw new FilterPatternError('A space-delimited filter pattern needs at least one field');
  const parser = new DelimitedParser(new Scanner(body));
  const fields = parser.parse();
  const names = parser.names;

  return {
    kind: 'delimited',
    source,
    match(event: EventText): PatternMatch | undefined {
      const bound: string[] = [];
      if (!fit(fields, event.fields(), 0, 0, bound)) return undefined;
      const values = new Map<string, string>();
      fields.forEach((f, i) => {
        if (f.kind === 'field' && bound[i] !== undefined && !values.has(f.name)) values.set(f.name, bound[i]);
      });
      return {
        lookup: (ref) => (ref.startsWith('$') ? values.get(ref.slice(1)) : undefined),
        extracted: () => Object.fromEntries([...values].map(([k, v]) => [`$${k}`, v])),
      };
    },
    canResolve: (ref) => ref.startsWith('$') && names.has(ref.slice(1)),
  };
}
