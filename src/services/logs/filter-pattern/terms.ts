/**
 * @module services/logs/filter-pattern/terms
 * Patterns over unstructured text: terms, `"exact phrases"`, `-excluded` terms, `?optional`
 * alternatives, and a standalone `%regex%`.
 *
 * A term matches where its text occurs in the message, case-sensitively (`ERROR` matches
 * `[ERROR 400]` and `ERRORNEOUS`, not `error`). Every plain term must occur; when there are none,
 * at least one `?` term must; an excluded term must not. Optional terms next to plain ones are
 * ignored, as CloudWatch ignores them. A blank quoted term (`" "`) matches every event, as AWS
 * documents for "match everything".
 */
import { Scanner } from './scanner.js';
import { EMPTY_MATCH, type EventText, type FilterPattern } from './types.js';
import { compileRegex } from './values.js';

interface Term {
  text: string;
  role: 'required' | 'optional' | 'excluded';
}

function readTerms(src: string): Term[] {
  const s = new Scanner(src);
  const terms: Term[] = [];
  for (;;) {
    s.skipSpace();
    if (s.done) return terms;
    const prefix = s.peek();
    const role = prefix === '-' ? 'excluded' : prefix === '?' ? 'optional' : 'required';
    if (role !== 'required') {
      s.pos++;
      if (s.done || /\s/.test(s.peek())) s.fail(`A term is missing after '${prefix}' at position ${s.pos}`);
    }
    let text: string;
    if (s.peek() === '"') {
      text = s.readQuoted();
      if (!s.done && !/\s/.test(s.peek())) s.fail(`Invalid character(s) in term at position ${s.pos + 1}: a quoted term must be followed by a space`);
    } else {
      text = s.readUntil((c) => /\s/.test(c));
      if (text.includes('"')) s.fail(`Invalid character(s) in term '${text}'`);
    }
    terms.push({ text, role });
  }
}

function contains(message: string, t: Term): boolean {
  return t.text.trim() === '' || message.includes(t.text);
}

export function compileTerms(source: string): FilterPattern {
  const terms = readTerms(source);
  const required = terms.filter((t) => t.role === 'required');
  const optional = required.length > 0 ? [] : terms.filter((t) => t.role === 'optional');
  const excluded = terms.filter((t) => t.role === 'excluded');
  return {
    kind: 'terms',
    source,
    match(event: EventText) {
      const m = event.message;
      for (const t of required) if (!contains(m, t)) return undefined;
      if (optional.length > 0 && !optional.some((t) => contains(m, t))) return undefined;
      for (const t of excluded) if (contains(m, t)) return undefined;
      return EMPTY_MATCH;
    },
    canResolve: () => false,
  };
}

/** `%regex%`: the message matches where the expression is found in it. */
export function compileStandaloneRegex(source: string): FilterPattern {
  const s = new Scanner(source.trim());
  const re = compileRegex(s.readRegex());
  s.skipSpace();
  if (!s.done) s.fail('A regular expression filter pattern cannot be combined with other terms');
  return {
    kind: 'regex',
    source,
    match: (event: EventText) => (re.test(event.message) ? EMPTY_MATCH : undefined),
    canResolve: () => false,
  };
}
