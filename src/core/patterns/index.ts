/**
 * @module core/patterns/index
 * The one matcher for EventBridge event patterns and SNS filter policies.
 *
 * Both languages are event-ruler's JSON rule language with different operator sets and limits,
 * so both compile (grammar.ts, operators.ts) to the same branches-of-fields structure, matched by
 * the same routine (compiled.ts), alone or by the thousands in one shared index (set.ts).
 * Errors are AWS's: `InvalidEventPatternException` "Event pattern is not valid. Reason: …" for
 * EventBridge, `InvalidParameter` "Invalid parameter: FilterPolicy: …" for SNS, with event-ruler's
 * reason texts and Jackson's location suffix.
 */
import { awsError } from '../errors.js';
import { Compiled } from './compiled.js';
import { LimitError, NestingError, parseGrammar } from './grammar.js';
import { PatternSyntaxError } from './json-reader.js';
import { EVENTBRIDGE, SNS_ATTRIBUTES, SNS_BODY } from './operators.js';
import type { CompiledPattern, FilterPolicyScope } from './types.js';

export type { CompiledPattern, FilterPolicyScope, PatternSet, SnsMessageAttributes } from './types.js';
export { createPatternSet } from './set.js';
export { snsAttributesToEvent } from './event.js';

/** EventBridge's default "event pattern size" quota (characters); adjustable up to 4096. */
export const EVENT_PATTERN_MAX_LENGTH = 2048;
/** SNS: policy size, top-level keys, total combination of values. */
export const FILTER_POLICY_MAX_BYTES = 256 * 1024;
export const FILTER_POLICY_MAX_KEYS = 5;
export const FILTER_POLICY_MAX_COMBINATIONS = 150;

export interface EventPatternOptions {
  /** the account's "event pattern size" quota (default 2048) */
  maxLength?: number;
}

/** Compiles an EventBridge event pattern (PutRule, TestEventPattern, archives…). */
export function compileEventPattern(json: string, opts: EventPatternOptions = {}): CompiledPattern {
  const invalid = (reason: string) => awsError('InvalidEventPatternException', `Event pattern is not valid. Reason: ${reason}`);
  const max = opts.maxLength ?? EVENT_PATTERN_MAX_LENGTH;
  if (json.length > max) throw invalid(`Event pattern is too long (maximum ${max} characters)`);
  try {
    const g = parseGrammar(json, EVENTBRIDGE);
    return new Compiled(normalise(json), 'EventPattern', g.branches);
  } catch (e) {
    if (e instanceof PatternSyntaxError) throw invalid(e.raw);
    if (e instanceof LimitError) throw invalid('Rule is too complex - try using fewer $or alternatives');
    throw e;
  }
}

export interface FilterPolicyOptions {
  /**
   * The policy came with Subscribe (its Attributes map): SNS then prefixes reasons with
   * "Invalid parameter: Attributes Reason: " instead of SetSubscriptionAttributes' "Invalid parameter: ".
   */
  inSubscribe?: boolean;
}

/** Compiles an SNS subscription filter policy for its FilterPolicyScope. */
export function compileFilterPolicy(json: string, scope: FilterPolicyScope, opts: FilterPolicyOptions = {}): CompiledPattern {
  const prefix = opts.inSubscribe ? 'Invalid parameter: Attributes Reason: ' : 'Invalid parameter: ';
  const invalid = (reason: string) => awsError('InvalidParameter', `${prefix}${reason}`);
  if (Buffer.byteLength(json, 'utf8') > FILTER_POLICY_MAX_BYTES) {
    throw invalid(`FilterPolicy: Filter policy is too large (maximum ${FILTER_POLICY_MAX_BYTES} bytes)`);
  }
  const language = scope === 'MessageBody' ? 'FilterPolicy:MessageBody' : 'FilterPolicy:MessageAttributes';
  // `{}` is how a filter policy is cleared: every message passes.
  if (/^\s*\{\s*\}\s*$/.test(json)) return new Compiled('{}', language, [[]], true);
  try {
    const g = parseGrammar(json, scope === 'MessageBody' ? SNS_BODY : SNS_ATTRIBUTES);
    if (g.topKeys > FILTER_POLICY_MAX_KEYS) throw invalid(`FilterPolicy: Filter policy can not have more than ${FILTER_POLICY_MAX_KEYS} keys`);
    if (g.combinations > FILTER_POLICY_MAX_COMBINATIONS) throw invalid('FilterPolicy: Filter policy is too complex');
    return new Compiled(normalise(json), language, g.branches);
  } catch (e) {
    if (e instanceof PatternSyntaxError) throw invalid(`FilterPolicy: ${e.raw}`);
    if (e instanceof NestingError) throw invalid('Filter policy scope MessageAttributes does not support nested filter policy');
    if (e instanceof LimitError) throw invalid('FilterPolicy: Filter policy is too complex');
    throw e;
  }
}

/** The pattern as compact JSON (the reader ignores trailing text after the object, as AWS does). */
function normalise(json: string): string {
  try {
    return JSON.stringify(JSON.parse(json));
  } catch {
    return json.trim();
  }
}
