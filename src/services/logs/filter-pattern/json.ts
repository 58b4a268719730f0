/**
 * @module services/logs/filter-pattern/json
 * JSON patterns: `{ $.level = "ERROR" && ($.latency > 100 || $.retry IS TRUE) }`.
 *
 * A condition is a selector (`$.a.b`, `$.list[0]`, `$.grid[1][2]`) followed by a comparison
 * (`= != < <= > >=` with a number, a string with `*` wildcards, or a `%regex%`) or by `IS NULL`,
 * `IS TRUE`, `IS FALSE`, `NOT EXISTS`. Conditions combine with `&&` (binding tighter) and `||`,
 * grouped by parentheses. Only messages that are a JSON object match. At most two regular
 * expressions per pattern, as AWS allows.
 */
import { Scanner } from './scanner.js';
import { FilterPatternError, type EventText, type FilterPattern, type PatternMatch } from './types.js';
import { asText, compare, readLiteral, readOperator, type Literal, type Operator } from './values.js';

export type Segment = string | number;

type Expr =
  | { kind: 'and' | 'or'; left: Expr; right: Expr }
  | { kind: 'compare'; ref: string; path: Segment[]; op: Operator; literal: Literal }
  | { kind: 'is'; ref: string; path: Segment[]; what: 'NULL' | 'TRUE' | 'FALSE' }
  | { kind: 'notExists'; ref: string; path: Segment[] };

const MAX_REGEX = 2;

/** `$.a[0].b` → ['a', 0, 'b']; undefined when it is not a selector. */
export function parseSelector(text: string): Segment[] | undefined {
  if (!text.startsWith('$')) return undefined;
  const out: Segment[] = [];
  let i = 1;
  while (i < text.length) {
    if (text[i] === '.') {
      let j = i + 1;
      while (j < text.length && text[j] !== '.' && text[j] !== '[') j++;
      if (j === i + 1) return undefined;
      out.push(text.slice(i + 1, j));
      i = j;
    } else if (text[i] === '[') {
      const close = text.indexOf(']', i);
      const index = text.slice(i + 1, close);
      if (close < 0 || !/^\d+$/.test(index)) return undefined;
      out.push(Number(index));
      i = close + 1;
    } else {
      return undefined;
    }
  }
  return out.length > 0 ? out : undefined;
}

/** The value at `path` in `root`, undefined when any step is missing. */
export function select(root: unknown, path: readonly Segment[]): unknown {
  let cur = root;
  for (const seg of path) {
    if (typeof seg === 'number') {
      if (!Array.isArray(cur) || seg >= cur.length) return undefined;
      cur = cur[seg];
    } else {
      if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !Object.hasOwn(cur, seg)) return undefined;
      cur = (cur as Record<string, unknown>)[seg];
    }
  }
  return cur;
}

const SELECTOR_END = (c: string) => /\s/.test(c) || '=!<>()&|'.includes(c);
const VALUE_END = (c: string) => /\s/.test(c) || ')&|'.includes(c);

class JsonParser {
  readonly refs = new Map<string, Segment[]>();
  private regexCount = 0;

  constructor(private readonly s: Scanner) {}

  parse(): Expr {
    const e = this.or();
    this.s.skipSpace();
    if (!this.s.done) this.s.fail(`Unexpected '${this.s.src.slice(this.s.pos)}' in JSON filter pattern`);
    return e;
  }

  private or(): Expr {
    let left = this.and();
    for (;;) {
      this.s.skipSpace();
      if (!this.s.eat('||')) return left;
      left = { kind: 'or', left, right: this.and() };
    }
  }

  private and(): Expr {
    let left = this.unary();
    for (;;) {
      this.s.skipSpace();
      if (!this.s.eat('&&')) return left;
      left = { kind: 'and', left, right: this.unary() };
    }
  }

  private unary(): Expr {
    this.s.skipSpace();
    if (this.s.eat('(')) {
      const e = this.or();
      this.s.skipSpace();
      this.s.expect(')', "')'");
      return e;
    }
    return this.condition();
  }

  private condition(): Expr {
    const s = this.s;
    if (s.done) s.fail('A JSON filter pattern ends where a condition was expected');
    if (s.peek() !== '$') s.fail(`A condition must start with a selector such as $.field (at position ${s.pos + 1})`);
    const ref = s.readUntil(SELECTOR_END);
    const path = parseSelector(ref) ?? s.fail(`Invalid selector '${ref}'`);
    this.refs.set(ref, path);
    s.skipSpace();
    const op = readOperator(s);
    if (op) {
      s.skipSpace();
      const literal = readLiteral(s, op, VALUE_END);
      if (literal.kind === 'regex' && ++this.regexCount > MAX_REGEX) s.fail(`A filter pattern can contain at most ${MAX_REGEX} regular expressions`);
      return { kind: 'compare', ref, path, op, literal };
    }
    if (s.eatWord('IS')) {
      s.skipSpace();
      for (const what of ['NULL', 'TRUE', 'FALSE'] as const) {
        if (s.eatWord(what)) return { kind: 'is', ref, path, what };
      }
      return s.fail(`Expected NULL, TRUE or FALSE after IS (selector ${ref})`);
    }
    if (s.eatWord('NOT')) {
      s.skipSpace();
      if (s.eatWord('EXISTS')) return { kind: 'notExists', ref, path };
      return s.fail(`Expected EXISTS after NOT (selector ${ref})`);
    }
    return s.fail(`Expected a comparison, IS or NOT EXISTS after selector ${ref}`);
  }
}

function evaluate(e: Expr, root: unknown): boolean {
  switch (e.kind) {
    case 'and':
      return evaluate(e.left, root) && evaluate(e.right, root);
    case 'or':
      return evaluate(e.left, root) || evaluate(e.right, root);
    case 'compare':
      return compare(e.op, e.literal, select(root, e.path));
    case 'is': {
      const v = select(root, e.path);
      return e.what === 'NULL' ? v === null : v === (e.what === 'TRUE');
    }
    case 'notExists':
      return select(root, e.path) === undefined;
  }
}

export function compileJson(source: string): FilterPattern {
  const text = source.trim();
  if (!text.endsWith('}')) throw new FilterPatternError("If a filter pattern starts with '{' it must end with '}'");
  const body = text.slice(1, -1);
  if (body.trim() === '') throw new FilterPatternError('A JSON filter pattern needs at least one condition');
  const parser = new JsonParser(new Scanner(body));
  const expr = parser.parse();
  const refs = parser.refs;

  return {
    kind: 'json',
    source,
    match(event: EventText): PatternMatch | undefined {
      const root = event.json();
      if (root === undefined || !evaluate(expr, root)) return undefined;
      return {
        lookup(ref: string) {
          const path = refs.get(ref) ?? parseSelector(ref);
          return path ? select(root, path) : undefined;
        },
        extracted() {
          const out: Record<string, string> = {};
          for (const [ref, path] of refs) {
            const v = asText(select(root, path));
            if (v !== undefined) out[ref] = v;
          }
          return out;
        },
      };
    },
    canResolve: (ref) => parseSelector(ref) !== undefined,
  };
}
