/**
 * @module core/patterns/grammar
 * Pattern JSON → branches: the structure of both languages (objects, field arrays, `$or`).
 *
 * Walks the token stream in document order the way event-ruler's JsonRuleCompiler does, so the
 * first error AWS would report is the one we report, with the same text. The result is a list of
 * branches (one per combination of `$or` choices); each branch is the list of leaf fields with
 * their matchers, sorted by dotted path (event-ruler joins nested keys with "." and visits fields
 * in sorted order, which also decides how `exists: false` interacts with arrays). A repeated key
 * overrides the earlier one, as AWS documents. Operators live in `operators.ts`.
 */
import { JsonReader, PatternSyntaxError, Tok } from './json-reader.js';
import { type Matcher, uniform } from './matchers.js';
import { type Dialect, readMatchExpression, readPlainValue } from './operators.js';

/** One leaf field of a branch: the event value at `path` must satisfy one of `matchers`, or be absent when `allowAbsent`. */
export interface FieldSpec { readonly path: string; readonly matchers: Matcher[]; readonly allowAbsent: boolean }
/** All fields must hold (AND); sorted by path. */
export type Branch = readonly FieldSpec[];

export interface Grammar {
  branches: Branch[];
  /** keys of the top-level object (SNS limits them) */
  topKeys: number;
  /** SNS "total combination of values" (product of array sizes × nesting depth; `$or` adds) */
  combinations: number;
}

/** event-ruler keywords that cannot name a field inside `$or` */
const RESERVED_IN_OR = new Set([
  'exactly', 'equals-ignore-case', 'prefix', 'suffix', 'anything-but', 'exists', 'wildcard', 'numeric', 'cidr',
  '=', '<', '<=', '>', '>=', 'regex', 'not-wildcard', 'not-equals-ignore-case', 'date-after', 'date-on-or-after',
  'date-before', 'date-on-or-before', 'in-date-range', 'ip-address-in-range', 'ip-address-not-in-range',
]);

/**
 * Expanding `$or` multiplies branches; AWS bounds patterns by size, we also bound the expansion
 * so that a small pattern cannot make compilation or matching explode.
 */
export const MAX_BRANCHES = 1024;
export class LimitError extends Error {}

type Rules = Map<string, FieldSpec>[];
interface State { topKeys: number; nested: boolean }

export function parseGrammar(src: string, dialect: Dialect): Grammar {
  const r = new JsonReader(src);
  if (r.next() !== Tok.StartObject) r.fail('Filter is not an object');
  const rules: Rules = [];
  const state: State = { topKeys: 0, nested: false };
  const combinations = parseObject(r, dialect, rules, [], false, 1, state);
  if (r.deferred) throw new PatternSyntaxError(r.deferred, r.deferred);
  if (state.nested) throw new NestingError();
  const branches = rules.map((m) => [...m.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)));
  return { branches, topKeys: state.topKeys, combinations };
}

function parseObject(
  r: JsonReader, d: Dialect, rules: Rules, path: string[], inOr: boolean, depth: number, state: State,
): number {
  let present = false;
  let combos = 1;
  for (let t = r.next(); t !== Tok.EndObject; t = r.next()) {
    present = true;
    const name = r.name;
    if (depth === 1 && !inOr) state.topKeys++;
    if (name === '$or') {
      combos *= parseOr(r, d, rules, path, depth, state);
      continue;
    }
    if (inOr && RESERVED_IN_OR.has(name)) r.fail(`${name} is Ruler reserved fieldName which cannot be used inside $or.`);
    const v = r.next();
    if (v === Tok.StartObject) {
      // SNS checks nesting after event-ruler accepted the policy: its errors come first
      if (!d.nesting) state.nested = true;
      path.push(name);
      combos *= parseObject(r, d, rules, path, inOr, depth + 1, state);
      path.pop();
    } else if (v === Tok.StartArray) {
      combos *= writeField(r, d, rules, path.length ? `${path.join('.')}.${name}` : name) * depth;
    } else {
      r.fail(`"${name}" must be an object or an array`);
    }
  }
  if (!present) r.fail('Empty objects are not allowed');
  return combos;
}

/** SNS: attribute-scope policies are flat. */
export class NestingError extends Error {}

function parseOr(r: JsonReader, d: Dialect, rules: Rules, path: string[], depth: number, state: State): number {
  const current = rules.map((m) => new Map(m));
  rules.length = 0;
  if (r.next() !== Tok.StartArray) r.fail('It must be an Array followed with $or.');
  let count = 0;
  let combos = 0;
  for (let t = r.next(); t !== Tok.EndArray; t = r.next()) {
    count++;
    if (t !== Tok.StartObject) r.fail('Only JSON object is allowed in array of $or relationship.');
    const fresh = current.length ? current.map((m) => new Map(m)) : [new Map<string, FieldSpec>()];
    combos += parseObject(r, d, fresh, path, true, depth, state);
    for (const m of fresh) rules.push(m);
    if (rules.length > MAX_BRANCHES) throw new LimitError();
  }
  if (count < 2) r.fail('There must have at least 2 Objects in $or relationship.');
  return combos;
}

/** Reads the array of a leaf field; returns how many values it lists. */
function writeField(r: JsonReader, d: Dialect, rules: Rules, name: string): number {
  const matchers: Matcher[] = [];
  let allowAbsent = false;
  let count = 0;
  for (let t = r.next(); t !== Tok.EndArray; t = r.next()) {
    count++;
    if (t === Tok.StartObject) {
      const m = readMatchExpression(r, d);
      if (m === 'absent') allowAbsent = true;
      else matchers.push(uniform(m));
    } else {
      const m = readPlainValue(r, t);
      if (m === null) r.fail('Match value must be String, number, true, false, or null');
      matchers.push(uniform(m));
    }
  }
  if (count === 0) r.fail('Empty arrays are not allowed');
  if (rules.length === 0) rules.push(new Map());
  const spec: FieldSpec = { path: name, matchers, allowAbsent };
  for (const m of rules) m.set(name, spec);
  return count;
}

export { PatternSyntaxError };
