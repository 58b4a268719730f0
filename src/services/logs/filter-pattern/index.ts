/**
 * @module services/logs/filter-pattern
 * CloudWatch Logs filter patterns, as metric filters, FilterLogEvents and `aws logs tail` use
 * them: a pure module (no I/O), compiled once per pattern text and matched against many events.
 *
 * The form is chosen by the first character, as AWS does:
 * - `{ … }` JSON conditions (json.ts);
 * - `[ … ]` space-delimited fields (delimited.ts);
 * - `%…%` a regular expression (terms.ts);
 * - anything else: terms (terms.ts); an empty or blank pattern matches every event.
 *
 * A pattern that does not parse throws `FilterPatternError`.
 */
import { compileDelimited } from './delimited.js';
import { compileJson } from './json.js';
import { compileStandaloneRegex, compileTerms } from './terms.js';
import { EMPTY_MATCH, type FilterPattern } from './types.js';

export { EventText, FilterPatternError, type FilterPattern, type PatternMatch, type PatternKind } from './types.js';
export { parseSelector } from './json.js';

/** AWS's limit on a filter pattern's length. */
export const MAX_PATTERN_LENGTH = 1024;

export function compileFilterPattern(source: string): FilterPattern {
  const text = source.trim();
  if (text === '') return { kind: 'all', source, match: () => EMPTY_MATCH, canResolve: () => false };
  if (text.startsWith('{')) return compileJson(source);
  if (text.startsWith('[')) return compileDelimited(source);
  if (text.startsWith('%') && text.length > 1 && text.endsWith('%')) return compileStandaloneRegex(source);
  return compileTerms(source);
}

const CACHE_SIZE = 256;
const cache = new Map<string, FilterPattern>();

/**
 * The compiled pattern for `source`, from a small LRU: metric filters are read from the store on
 * every PutLogEvents and `aws logs tail` sends the same pattern every few seconds.
 */
export function cachedFilterPattern(source: string): FilterPattern {
  const hit = cache.get(source);
  if (hit) {
    cache.delete(source);
    cache.set(source, hit);
    return hit;
  }
  const compiled = compileFilterPattern(source);
  cache.set(source, compiled);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return compiled;
}
