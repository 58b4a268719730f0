/**
 * @module services/events/model
 * EventBridge's names, ARNs, limits and input checks, shared by every operation.
 *
 * Words: a *bus* receives events; a *rule* on a bus has an event pattern (or, on the default
 * bus, a schedule) and up to five *targets*; an *archive* keeps the events of a bus that match
 * its pattern, and a *replay* sends archived events back to the bus.
 */
import { awsError } from '../../core/errors.js';
import type { RequestContext } from '../service.js';
import type { Scope } from './store.js';

export const DEFAULT_BUS = 'default';

export const LIMITS = {
  targetsPerRule: 5,
  /** PutTargets / RemoveTargets: members per request (the model's constraint) */
  targetsPerRequest: 10,
  putEventsEntries: 10,
  /** PutEvents: the whole request (every entry's size together) */
  putEventsBytes: 256 * 1024,
  tagsPerResource: 50,
  inputPathsMap: 100,
  inputTemplate: 8192,
  input: 8192,
  listDefault: 100,
} as const;

export const NAME_RE = /^[.\-_A-Za-z0-9]+$/;
export const BUS_NAME_RE = /^[/.\-_A-Za-z0-9]+$/;

export function scopeOf(ctx: RequestContext): Scope {
  return { accountId: ctx.accountId, region: ctx.region };
}

export function busArn(s: Scope, name: string): string {
  return `arn:aws:events:${s.region}:${s.accountId}:event-bus/${name}`;
}

export function ruleArn(s: Scope, bus: string, name: string): string {
  return bus === DEFAULT_BUS ? `arn:aws:events:${s.region}:${s.accountId}:rule/${name}` : `arn:aws:events:${s.region}:${s.accountId}:rule/${bus}/${name}`;
}

export function resourceArn(s: Scope, kind: 'archive' | 'replay', name: string): string {
  return `arn:aws:events:${s.region}:${s.accountId}:${kind}/${name}`;
}

/** "1 validation error detected: Value 'x' at 'name' failed to satisfy constraint: …" */
export function constraint(value: unknown, member: string, rule: string): Error {
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  return awsError('ValidationException', `1 validation error detected: Value '${shown}' at '${member}' failed to satisfy constraint: ${rule}`);
}

export function validation(message: string): Error {
  return awsError('ValidationException', message);
}

/** A required string member, checked against length and pattern the way the model states them. */
export function readName(input: Record<string, unknown>, key: string, member: string, opts: { max?: number; re?: RegExp } = {}): string {
  const v = input[key];
  if (typeof v !== 'string') throw constraint(null, member, 'Member must not be null');
  const max = opts.max ?? 64;
  if (v.length < 1 || v.length > max) throw constraint(v, member, `Member must have length less than or equal to ${max}`);
  if (opts.re && !opts.re.test(v)) throw constraint(v, member, `Member must satisfy regular expression pattern: ${opts.re.source.slice(1, -2)}`);
  return v;
}

export function optionalString(input: Record<string, unknown>, key: string): string | undefined {
  const v = input[key];
  return typeof v === 'string' ? v : undefined;
}

/** EventBusName members take a name or an ARN; absent means the default bus. */
export function busNameOf(v: unknown): string {
  if (typeof v !== 'string' || v === '') return DEFAULT_BUS;
  if (v.startsWith('arn:')) {
    const at = v.indexOf(':event-bus/');
    if (at < 0) throw validation(`Parameter ${v} is not valid. Reason: Provided Arn is not in correct format.`);
    return v.slice(at + ':event-bus/'.length);
  }
  return v;
}

export function ruleNotFound(name: string, bus: string): Error {
  return awsError('ResourceNotFoundException', `Rule ${name} does not exist on EventBus ${bus}.`);
}

export function busNotFound(name: string): Error {
  return awsError('ResourceNotFoundException', `Event bus ${name} does not exist.`);
}

/** Simple NextToken paging over an in-memory, already sorted list: the token is the offset. */
export function page<T>(items: T[], input: Record<string, unknown>): { items: T[]; next?: string } {
  const limit = typeof input.Limit === 'number' && input.Limit > 0 ? Math.min(input.Limit, LIMITS.listDefault) : LIMITS.listDefault;
  let start = 0;
  if (typeof input.NextToken === 'string' && input.NextToken !== '') {
    start = Number.parseInt(Buffer.from(input.NextToken, 'base64').toString('utf8'), 10);
    if (!Number.isInteger(start) || start < 0) throw validation('The nextToken provided is invalid.');
  }
  const slice = items.slice(start, start + limit);
  const next = start + limit < items.length ? Buffer.from(String(start + limit)).toString('base64') : undefined;
  return next ? { items: slice, next } : { items: slice };
}

export function withPrefix<T extends { name: string }>(rows: T[], prefix: unknown): T[] {
  return typeof prefix === 'string' && prefix !== '' ? rows.filter((r) => r.name.startsWith(prefix)) : rows;
}

let lastSecond = NaN;
let lastText = '';

/**
 * CloudTrail and event envelopes print times to the second, with `Z`. Every event of a busy
 * second prints the same text: the last one is kept rather than formatted again per event.
 */
export function isoSeconds(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastText = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
    lastSecond = second;
  }
  return lastText;
}
