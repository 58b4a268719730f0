/**
 * @module services/logs/filter-pattern/types
 * What a compiled filter pattern is, and the event text it is matched against.
 *
 * `EventText` parses a message as JSON and as space-delimited fields at most once, however many
 * patterns look at it: PutLogEvents tests every metric filter of a group on every event.
 */

/** A pattern that does not parse; the service answers it as InvalidParameterException. */
export class FilterPatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FilterPatternError';
  }
}

const UNPARSED = Symbol('unparsed');

export class EventText {
  private parsedJson: unknown = UNPARSED;
  private parsedFields: string[] | undefined;

  constructor(readonly message: string) {}

  /** The message as a JSON object, or undefined when it is not one (JSON patterns never match then). */
  json(): unknown {
    if (this.parsedJson === UNPARSED) {
      this.parsedJson = undefined;
      const text = this.message.trim();
      if (text.startsWith('{') && text.endsWith('}')) {
        try {
          this.parsedJson = JSON.parse(text);
        } catch {
          // not JSON: stays undefined
        }
      }
    }
    return this.parsedJson;
  }

  /** The message split on whitespace, a field in "…" or […] kept whole (without those marks). */
  fields(): string[] {
    this.parsedFields ??= splitFields(this.message);
    return this.parsedFields;
  }
}

function splitFields(message: string): string[] {
  const out: string[] = [];
  const n = message.length;
  let i = 0;
  while (i < n) {
    while (i < n && isSpace(message.charCodeAt(i))) i++;
    if (i >= n) break;
    const open = message[i];
    const close = open === '"' ? '"' : open === '[' ? ']' : undefined;
    if (close) {
      const end = message.indexOf(close, i + 1);
      const stop = end < 0 ? n : end;
      out.push(message.slice(i + 1, stop));
      i = stop + 1;
      continue;
    }
    const start = i;
    while (i < n && !isSpace(message.charCodeAt(i))) i++;
    out.push(message.slice(start, i));
  }
  return out;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** What a matching event yields to metric filters and TestMetricFilter. */
export interface PatternMatch {
  /** the value `$.selector` (JSON patterns) or `$field` (space-delimited) names in this event */
  lookup(ref: string): unknown;
  /** TestMetricFilter's extractedValues: reference → text */
  extracted(): Record<string, string>;
}

export type PatternKind = 'all' | 'terms' | 'regex' | 'json' | 'delimited';

export interface FilterPattern {
  readonly kind: PatternKind;
  readonly source: string;
  /** undefined when the event does not match */
  match(event: EventText): PatternMatch | undefined;
  /** whether a metric value or dimension may name `ref` (`$.x` for JSON, `$name` for declared fields) */
  canResolve(ref: string): boolean;
}

/** The match of a pattern that extracts nothing (terms, regex, match-all). */
export const EMPTY_MATCH: PatternMatch = {
  lookup: () => undefined,
  extracted: () => ({}),
};
