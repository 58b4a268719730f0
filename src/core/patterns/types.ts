/**
 * @module core/patterns/types
 * The one matcher for EventBridge event patterns and SNS filter policies. Both languages compile
 * to the same structure; many compiled patterns share one `PatternSet` so that matching an event
 * against N rules costs less than N separate matches.
 */

/** A compiled pattern or filter policy. */
export interface CompiledPattern {
  /** the JSON text it was compiled from (normalised) */
  readonly source: string;
  matches(event: unknown): boolean;
}

/** Values carried through a PatternSet (a rule, a subscription). */
export interface PatternSet<T> {
  add(id: string, pattern: CompiledPattern, value: T): void;
  remove(id: string): void;
  /** the values whose pattern matches `event`, each once */
  match(event: unknown): T[];
  readonly size: number;
}

/** SNS filter policies apply to message attributes, or to the message body parsed as JSON. */
export type FilterPolicyScope = 'MessageAttributes' | 'MessageBody';

/** SNS message attributes as Publish receives them (DataType String, String.Array, Number, Binary). */
export type SnsMessageAttributes = Record<string, { DataType: string; StringValue?: string; BinaryValue?: Buffer | string }>;
