/**
 * @module core/patterns/operators
 * The match expressions (`{"prefix": …}`, `{"numeric": […]}`, `{"anything-but": …}`…) of both
 * languages, read from the token stream with event-ruler's checks and messages, in its order.
 *
 * EventBridge and SNS share the grammar; a `Dialect` says which operators each accepts (SNS has no
 * `wildcard`, and its `anything-but` takes `prefix`/`suffix` only). Where event-ruler re-throws an
 * error it caught (anything-but lists), the message carries the location twice, as AWS's does.
 */
import { CidrError, compileCidr, parseIp } from './ip.js';
import { JsonReader, PatternSyntaxError, Tok } from './json-reader.js';
import {
  K, type Leaf, type Matcher, NUMBER_LIMIT, TOO_COMPLEX, WILDCARD_LIMIT, wildcardCount, wildcardProblem, wildcardRegExp,
} from './matchers.js';

export interface Dialect {
  /** nested objects allowed (not in SNS attribute scope) */
  readonly nesting: boolean;
  /** `wildcard` and `exactly` operators, `prefix`/`suffix` with `equals-ignore-case` */
  readonly eventBridgeOnly: boolean;
  /** operators accepted inside `anything-but: {…}` */
  readonly anythingBut: ReadonlySet<string>;
  /** numeric operands outside ±limit are rejected (EventBridge) */
  readonly numberLimit: number | null;
}

export const EVENTBRIDGE: Dialect = {
  nesting: true, eventBridgeOnly: true, numberLimit: NUMBER_LIMIT,
  anythingBut: new Set(['equals-ignore-case', 'prefix', 'suffix', 'wildcard']),
};
export const SNS_BODY: Dialect = { nesting: true, eventBridgeOnly: false, numberLimit: null, anythingBut: new Set(['prefix', 'suffix']) };
export const SNS_ATTRIBUTES: Dialect = { ...SNS_BODY, nesting: false };

const ONLY_ONE = 'Only one key allowed in match expression';
const TOO_MANY = 'Too many elements in numeric expression';

/** A plain array member: string, number, true, false or null; null if it is none of those. */
export function readPlainValue(r: JsonReader, t: Tok): Matcher | null {
  switch (t) {
    case Tok.String: {
      const s = r.text(t);
      // event-ruler turns a string that is an IP address into an address match (any spelling)
      const ip = new Uint32Array(4);
      const fam = parseIp(s, ip);
      if (fam === 4 || fam === 6) {
        const words = fam === 4 ? 1 : 4;
        return { k: K.Cidr, range: { family: fam, lo: ip.slice(0, words), hi: ip.slice(0, words) } };
      }
      return { k: K.Exact, v: s };
    }
    case Tok.Number: return { k: K.Exact, v: Number(r.text(t)) };
    case Tok.True: return { k: K.Exact, v: true };
    case Tok.False: return { k: K.Exact, v: false };
    case Tok.Null: return { k: K.Exact, v: null };
    default: return null;
  }
}

/** Reads `{ op: … }` after its `{`; `'absent'` stands for `{"exists": false}`. */
export function readMatchExpression(r: JsonReader, d: Dialect): Matcher | 'absent' {
  if (r.next() !== Tok.FieldName) r.fail('Match expression name not found');
  const op = r.name;
  switch (op) {
    case 'exactly':
      if (!d.eventBridgeOnly) break;
      return single(r, 'exact match pattern must be a string', (s) => ({ k: K.Exact, v: s }));
    case 'prefix':
    case 'suffix': {
      const t = r.next();
      if (t === Tok.StartObject && d.eventBridgeOnly) return affixIgnoreCase(r, op);
      if (t !== Tok.String) r.fail(`${op} match pattern must be a string`);
      const s = r.text(t);
      end(r, ONLY_ONE);
      return { k: op === 'prefix' ? K.Prefix : K.Suffix, s };
    }
    case 'equals-ignore-case':
      return single(r, 'equals-ignore-case match pattern must be a string', (s) => ({ k: K.EqIgnoreCase, s: s.toLowerCase() }));
    case 'wildcard':
      if (!d.eventBridgeOnly) break;
      return single(r, 'wildcard match pattern must be a string', (s) => {
        const problem = wildcardProblem(s);
        if (problem) r.fail(problem);
        if (wildcardCount(s) > WILDCARD_LIMIT) r.defer(TOO_COMPLEX);
        return { k: K.Wildcard, re: wildcardRegExp(s), src: s };
      });
    case 'numeric': {
      if (r.next() !== Tok.StartArray) r.fail('Value of numeric must be an array.');
      const m = numeric(r, d);
      end(r, TOO_MANY);
      return m;
    }
    case 'exists': {
      const t = r.next();
      if (t !== Tok.True && t !== Tok.False) r.fail('exists match pattern must be either true or false.');
      end(r, ONLY_ONE);
      return t === Tok.True ? { k: K.Exists } : 'absent';
    }
    case 'cidr': {
      const t = r.next();
      if (t !== Tok.String) r.fail('prefix match pattern must be a string');
      let range;
      try {
        range = compileCidr(r.text(t));
      } catch (e) {
        if (e instanceof CidrError) throw new PatternSyntaxError(e.message, e.message);
        throw e;
      }
      end(r, ONLY_ONE);
      return { k: K.Cidr, range };
    }
    case 'anything-but':
      return anythingBut(r, d);
  }
  return r.fail(`Unrecognized match type ${op}`);
}

function end(r: JsonReader, message: string): void {
  if (r.next() !== Tok.EndObject) r.fail(message);
}

function single(r: JsonReader, typeError: string, make: (s: string) => Matcher): Matcher {
  const t = r.next();
  if (t !== Tok.String) r.fail(typeError);
  const m = make(r.text(t));
  end(r, ONLY_ONE);
  return m;
}

/** `{"prefix": {"equals-ignore-case": "x"}}` / suffix: EventBridge only. */
function affixIgnoreCase(r: JsonReader, op: 'prefix' | 'suffix'): Matcher {
  const title = op === 'prefix' ? 'Prefix' : 'Suffix';
  if (r.next() !== Tok.FieldName) r.fail(`${title} expression name not found`);
  if (r.name !== 'equals-ignore-case') r.fail(`Unsupported ${op} pattern: ${r.name}`);
  const t = r.next();
  if (t !== Tok.String) r.fail('equals-ignore-case match pattern must be a string');
  const s = r.text(t).toLowerCase();
  end(r, ONLY_ONE);
  end(r, ONLY_ONE);
  return { k: op === 'prefix' ? K.PrefixIgnoreCase : K.SuffixIgnoreCase, s };
}

function limitMessage(d: Dialect, ...values: number[]): string | null {
  if (d.numberLimit === null) return null;
  for (const v of values) {
    if (v < -d.numberLimit || v > d.numberLimit) {
      return `Value must be between ${javaDouble(-d.numberLimit)} and ${javaDouble(d.numberLimit)}, inclusive`;
    }
  }
  return null;
}

/** event-ruler builds the range once the closing bracket is read, then checks its operands. */
function range(r: JsonReader, d: Dialect, lo: number, loOpen: boolean, hi: number, hiOpen: boolean): Matcher {
  const bad = limitMessage(d, ...[lo, hi].filter(Number.isFinite));
  if (bad) r.fail(bad);
  return { k: K.Numeric, lo, loOpen, hi, hiOpen };
}

/** `["=", 5]`, `[">", 0, "<=", 5]`, `["<", 10]`… */
function numeric(r: JsonReader, d: Dialect): Matcher {
  let t = r.next();
  if (t !== Tok.String) r.fail(`Invalid member in numeric match: ${r.text(t)}`);
  const op = r.text(t);
  t = r.next();
  const label = op === '=' ? 'equals' : op;
  if (op !== '=' && op !== '>' && op !== '>=' && op !== '<' && op !== '<=') r.fail(`Unrecognized numeric range operator: ${op}`);
  if (t !== Tok.Number) r.fail(`Value of ${label} must be numeric`);
  const v = Number(r.text(t));
  if (op === '=' || op === '<' || op === '<=') {
    if (r.next() !== Tok.EndArray) r.fail(TOO_MANY);
    if (op === '=') return range(r, d, v, false, v, false);
    return range(r, d, -Infinity, false, v, op === '<');
  }
  t = r.next();
  if (t === Tok.EndArray) return range(r, d, v, op === '>', Infinity, false);
  if (t !== Tok.String) r.fail(`Bad value in numeric range: ${r.text(t)}`);
  const op2 = r.text(t);
  if (op2 !== '<' && op2 !== '<=') r.fail(`Bad numeric range operator: ${op2}`);
  if (r.next() !== Tok.Number) r.fail(`Value of ${op2} must be numeric`);
  const top = Number(r.text(Tok.Number));
  if (r.next() !== Tok.EndArray) r.fail('Too many terms in numeric range expression');
  const bad = limitMessage(d, v, top);
  if (bad) r.fail(bad);
  if (v >= top) r.fail('Bottom must be less than top');
  return { k: K.Numeric, lo: v, loOpen: op === '>', hi: top, hiOpen: op2 === '<' };
}

type ButKind = 'values' | 'equals-ignore-case' | 'prefix' | 'suffix' | 'wildcard';

function anythingBut(r: JsonReader, d: Dialect): Matcher {
  let kind: ButKind = 'values';
  let t = r.next();
  if (t === Tok.StartObject) {
    if (r.next() !== Tok.FieldName) r.fail('Anything-But expression name not found');
    if (!d.anythingBut.has(r.name)) r.fail(`Unsupported anything-but pattern: ${r.name}`);
    kind = r.name as ButKind;
    t = r.next();
  }
  if (t !== Tok.StartArray && t !== Tok.String && t !== Tok.Number) {
    r.fail('Value of anything-but must be an array or single string/number value.');
  }
  const m = kind === 'values' ? butValues(r, d, t) : butSet(r, kind, t);
  end(r, TOO_MANY);
  if (kind !== 'values') end(r, TOO_MANY);
  return m;
}

/** `anything-but: "x" | 5 | ["a","b"] | [1,2]`: one type only. */
function butValues(r: JsonReader, d: Dialect, t: Tok): Matcher {
  const strings = new Set<string>();
  const numbers = new Set<number>();
  if (t === Tok.String) strings.add(r.text(t));
  else if (t === Tok.Number) {
    // outside the try of the list case: event-ruler lets this one escape without a location
    const bad = limitMessage(d, Number(r.text(t)));
    if (bad) throw new PatternSyntaxError(bad, bad);
    numbers.add(Number(r.text(t)));
  } else {
    try {
      for (t = r.next(); t !== Tok.EndArray; t = r.next()) {
        if (t === Tok.String) strings.add(r.text(t));
        else if (t === Tok.Number) numbers.add(butNumber(d, r.text(t)));
        else r.fail('Inside anything but list, start|null|boolean is not supported.');
      }
    } catch (e) {
      if (e instanceof RangeMessage) r.fail(e.message);
      if (e instanceof PatternSyntaxError) r.failAgain(e);
      throw e;
    }
    if ((strings.size > 0) === (numbers.size > 0)) {
      r.fail('Inside anything but list, either all values are number or string, mixed type is not supported');
    }
  }
  return { k: K.NotValues, strings, numbers };
}

class RangeMessage extends Error {}

function butNumber(d: Dialect, text: string): number {
  const bad = limitMessage(d, Number(text));
  if (bad) throw new RangeMessage(bad);
  return Number(text);
}

/** `anything-but: {prefix|suffix|equals-ignore-case|wildcard: "x" | ["x", …]}` */
function butSet(r: JsonReader, kind: Exclude<ButKind, 'values'>, t: Tok): Matcher {
  const typeError = kind === 'equals-ignore-case'
    ? 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.'
    : kind === 'wildcard' ? 'wildcard match pattern must be a string' : 'prefix/suffix match pattern must be a string';
  const values: string[] = [];
  const take = (tok: Tok): void => {
    if (tok !== Tok.String) r.fail(typeError);
    const s = r.text(tok);
    if ((kind === 'prefix' || kind === 'suffix') && s === '') r.fail('Null prefix/suffix not allowed');
    values.push(s);
  };
  if (t === Tok.StartArray) {
    try {
      for (t = r.next(); t !== Tok.EndArray; t = r.next()) take(t);
    } catch (e) {
      if (e instanceof PatternSyntaxError) r.failAgain(e);
      throw e;
    }
  } else {
    take(t);
  }
  switch (kind) {
    case 'equals-ignore-case': return { k: K.NotIgnoreCase, lower: new Set(values.map((v) => v.toLowerCase())) };
    case 'prefix': return { k: K.NotPrefix, list: values };
    case 'suffix': return { k: K.NotSuffix, list: values };
    case 'wildcard':
      for (const v of values) {
        const problem = wildcardProblem(v);
        if (problem) r.fail(problem);
        if (wildcardCount(v) > WILDCARD_LIMIT) r.defer(TOO_COMPLEX);
      }
      return { k: K.NotWildcard, res: values.map(wildcardRegExp) };
  }
}

/** Java's Double.toString for the limits we print (5.0E9). */
function javaDouble(v: number): string {
  const exp = Math.floor(Math.log10(Math.abs(v)));
  return `${v < 0 ? '-' : ''}${(Math.abs(v) / 10 ** exp).toFixed(1)}E${exp}`;
}

export type { Leaf };
