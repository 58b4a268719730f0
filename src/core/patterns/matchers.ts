/**
 * @module core/patterns/matchers
 * The value tests a pattern applies to one leaf of an event.
 *
 * A field of a pattern is a list of matchers (OR). Each matcher is a small record tested with a
 * `switch` on its kind: no closures, no regular expression built per match (wildcards compile to
 * one RegExp when the pattern is compiled), lower-casing only for the ignore-case kinds. Type
 * rules are event-ruler's: string operators see only strings, `numeric` only numbers, `cidr` only
 * strings that are IP addresses, exact values compare by JSON type (the string "5" is not the
 * number 5; numbers compare by value, so 300, 300.0 and 3.0e2 are equal), and `anything-but`
 * matches any present leaf (including null, booleans and other types) that is not excluded.
 */
import { type CidrRange, inCidr } from './ip.js';

export const enum K {
  Exact, Prefix, Suffix, EqIgnoreCase, PrefixIgnoreCase, SuffixIgnoreCase, Wildcard, Numeric, Cidr,
  Exists, NotValues, NotPrefix, NotSuffix, NotIgnoreCase, NotWildcard,
}

export type Leaf = string | number | boolean | null;

export type Matcher =
  | { k: K.Exact; v: Leaf }
  | { k: K.Prefix | K.Suffix | K.EqIgnoreCase | K.PrefixIgnoreCase | K.SuffixIgnoreCase; s: string }
  | { k: K.Wildcard; re: RegExp; src: string }
  | { k: K.Numeric; lo: number; loOpen: boolean; hi: number; hiOpen: boolean }
  | { k: K.Cidr; range: CidrRange }
  | { k: K.Exists }
  | { k: K.NotValues; strings: Set<string>; numbers: Set<number> }
  | { k: K.NotPrefix | K.NotSuffix; list: string[] }
  | { k: K.NotIgnoreCase; lower: Set<string> }
  | { k: K.NotWildcard; res: RegExp[] };

/**
 * Every matcher gets the same hidden class (all fields, same order), so that `testMatcher`'s
 * property reads stay monomorphic: object literals of ten different shapes made it several
 * times slower on the hot path.
 */
class Uniform {
  k = 0; v: unknown = null; s = ''; re: unknown = null; src = ''; lo = 0; loOpen = false; hi = 0; hiOpen = false;
  range: unknown = null; strings: unknown = null; numbers: unknown = null; list: unknown = null; lower: unknown = null;
  res: unknown = null;
}

export function uniform(m: Matcher): Matcher {
  return Object.assign(new Uniform(), m) as unknown as Matcher;
}

/** event-ruler compares numbers only within ±5e9 (its ComparableNumber range). */
export const NUMBER_LIMIT = 5e9;

export function testMatcher(m: Matcher, v: Leaf): boolean {
  switch (m.k) {
    case K.Exact: return v === m.v;
    case K.Prefix: return typeof v === 'string' && v.startsWith(m.s);
    case K.Suffix: return typeof v === 'string' && v.endsWith(m.s);
    // ignore-case kinds compare the lower-cased whole value, exactly as the PatternSet index does
    case K.EqIgnoreCase: return typeof v === 'string' && v.toLowerCase() === m.s;
    case K.PrefixIgnoreCase: return typeof v === 'string' && v.toLowerCase().startsWith(m.s);
    case K.SuffixIgnoreCase: return typeof v === 'string' && v.toLowerCase().endsWith(m.s);
    case K.Wildcard: return typeof v === 'string' && m.re.test(v);
    case K.Numeric:
      if (typeof v !== 'number' || v < -NUMBER_LIMIT || v > NUMBER_LIMIT) return false;
      return (m.loOpen ? v > m.lo : v >= m.lo) && (m.hiOpen ? v < m.hi : v <= m.hi);
    case K.Cidr: return typeof v === 'string' && inCidr(v, m.range);
    case K.Exists: return true;
    case K.NotValues:
      if (typeof v === 'string') return !m.strings.has(v);
      if (typeof v === 'number') return !m.numbers.has(v);
      return true;
    case K.NotPrefix:
      if (typeof v !== 'string') return true;
      for (const p of m.list) if (v.startsWith(p)) return false;
      return true;
    case K.NotSuffix:
      if (typeof v !== 'string') return true;
      for (const p of m.list) if (v.endsWith(p)) return false;
      return true;
    case K.NotIgnoreCase: return typeof v !== 'string' || !m.lower.has(v.toLowerCase());
    case K.NotWildcard:
      if (typeof v !== 'string') return true;
      for (const re of m.res) if (re.test(v)) return false;
      return true;
  }
}

/** Compiles an (already validated) wildcard: `*` is any run of characters, `\*` and `\\` literals. */
export function wildcardRegExp(pattern: string): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '[\\s\\S]*';
    else if (c === '\\') { re += escapeRe(pattern[i + 1]); i++; }
    else re += escapeRe(c);
  }
  return new RegExp(re + '$');
}

function escapeRe(c: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(c) ? '\\' + c : c;
}

/**
 * Validates a wildcard the way event-ruler's WildcardParser does. Positions count UTF-8 bytes of
 * the value with its opening quote (event-ruler parses `"` + value), hence the +1.
 */
export function wildcardProblem(pattern: string): string | null {
  const bytes = Buffer.from(pattern, 'utf8');
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x2a) {
      if (bytes[i + 1] === 0x2a) return `Consecutive wildcard characters at pos ${i + 1}`;
    } else if (bytes[i] === 0x5c) {
      if (bytes[i + 1] === 0x2a || bytes[i + 1] === 0x5c) { i++; continue; }
      return `Invalid escape character at pos ${i + 1}`;
    }
  }
  return null;
}

/**
 * Too many wildcards make event-ruler's automaton non-deterministic enough that EventBridge rejects
 * the rule. AWS's exact complexity metric is internal; counting wildcards (more than five is
 * rejected) reproduces AWS's documented example (`*:*:*:*:*:event-bus/*`) and is documented here
 * as an approximation.
 */
export const WILDCARD_LIMIT = 5;
export const TOO_COMPLEX = 'Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character';

export function wildcardCount(pattern: string): number {
  let n = 0;
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if (pattern[i] === '*') n++;
  }
  return n;
}
