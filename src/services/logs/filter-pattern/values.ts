/**
 * @module services/logs/filter-pattern/values
 * The right-hand side of a comparison in JSON and space-delimited patterns, and the comparison.
 *
 * - a number (`200`, `-1.5`, `1e3`): compared as numbers when the value is numeric, as text
 *   otherwise (so `= 200` also matches the field "200");
 * - a string, quoted or bare, where `*` matches any run of characters (`4*`, `"*html*"`);
 * - a regular expression `%…%` (`=` and `!=` only), found anywhere in the value unless anchored.
 *
 * Only scalar values compare: a missing field, null, an object or an array never satisfies a
 * comparison, `!=` included (absence is what `NOT EXISTS` and `IS NULL` are for).
 */
import { isNumeric, type Scanner } from './scanner.js';
import { FilterPatternError } from './types.js';

export type Operator = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Literal =
  | { kind: 'number'; value: number; text: string }
  | { kind: 'string'; text: string; glob?: RegExp }
  | { kind: 'regex'; source: string; re: RegExp };

/** Longest first so `<=` is not read as `<`. */
const OPERATORS: readonly Operator[] = ['!=', '<=', '>=', '=', '<', '>'];

export function readOperator(s: Scanner): Operator | undefined {
  for (const op of OPERATORS) if (s.eat(op)) return op;
  return undefined;
}

/** Characters AWS accepts inside %regex%: alphanumerics, a few symbols, and the operators (no groups). */
const REGEX_CHARS = /^[A-Za-z0-9_#=@/;,:\- ^$?[\]{}|\\*+.]*$/;

export function compileRegex(source: string): RegExp {
  if (source.length === 0) throw new FilterPatternError('A regular expression cannot be empty');
  if (!REGEX_CHARS.test(source)) {
    const bad = [...source].find((c) => !REGEX_CHARS.test(c));
    throw new FilterPatternError(`Invalid character(s) in regular expression '%${source}%': '${bad}' is not supported`);
  }
  try {
    return new RegExp(source);
  } catch {
    throw new FilterPatternError(`Invalid regular expression '%${source}%'`);
  }
}

function globOf(text: string): RegExp | undefined {
  if (!text.includes('*')) return undefined;
  const body = text.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*');
  return new RegExp(`^${body}$`);
}

export function stringLiteral(text: string): Literal {
  return { kind: 'string', text, glob: globOf(text) };
}

/**
 * Reads a literal at the cursor; a bare one runs until a character `stop` accepts (the caller's
 * delimiters). Numeric operators need a number.
 */
export function readLiteral(s: Scanner, op: Operator, stop: (c: string) => boolean): Literal {
  let lit: Literal;
  if (s.peek() === '"') {
    lit = stringLiteral(s.readQuoted());
  } else if (s.peek() === '%') {
    const source = s.readRegex();
    if (op !== '=' && op !== '!=') s.fail(`A regular expression can only be compared with = or != (found ${op})`);
    lit = { kind: 'regex', source, re: compileRegex(source) };
  } else {
    const text = s.readUntil(stop);
    if (text.length === 0) s.fail(`Missing value after '${op}' at position ${s.pos + 1}`);
    lit = isNumeric(text) ? { kind: 'number', value: Number(text), text } : stringLiteral(text);
  }
  if (op !== '=' && op !== '!=' && lit.kind !== 'number') {
    s.fail(`The ${op} operator needs a numeric value`);
  }
  return lit;
}

function numericValue(actual: unknown): number | undefined {
  if (typeof actual === 'number') return actual;
  if (typeof actual === 'string' && isNumeric(actual.trim())) return Number(actual);
  return undefined;
}

function equals(lit: Literal, actual: string | number | boolean): boolean {
  switch (lit.kind) {
    case 'number': {
      const n = numericValue(actual);
      return n !== undefined ? n === lit.value : String(actual) === lit.text;
    }
    case 'string':
      return lit.glob ? lit.glob.test(String(actual)) : String(actual) === lit.text;
    case 'regex':
      return lit.re.test(String(actual));
  }
}

export function compare(op: Operator, lit: Literal, actual: unknown): boolean {
  if (typeof actual !== 'string' && typeof actual !== 'number' && typeof actual !== 'boolean') return false;
  switch (op) {
    case '=':
      return equals(lit, actual);
    case '!=':
      return !equals(lit, actual);
    default: {
      const n = numericValue(actual);
      if (n === undefined || lit.kind !== 'number') return false;
      if (op === '<') return n < lit.value;
      if (op === '<=') return n <= lit.value;
      if (op === '>') return n > lit.value;
      return n >= lit.value;
    }
  }
}

/** How a value reads in TestMetricFilter's extractedValues. */
export function asText(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}
