/**
 * @module services/logs/context
 * What every CloudWatch Logs operation is handed, names and ARNs, and the lookups every operation
 * on a group or stream starts with (answering AWS's not-found errors).
 */
import type { Clock } from '../../core/clock.js';
import { awsError } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import type { MetricsHub } from '../../core/metrics/index.js';
import type { Queryable, Store } from '../../store/store.js';
import type { RequestContext } from '../service.js';
import { findGroup, findStream, type GroupRecord, type Scope, type StreamRecord } from './store.js';
import { invalidParameter, optString, type Input, type Violations } from './validation.js';

export interface LogsDeps {
  store: Store;
  clock: Clock;
  log: Logger;
  /** metric filters put what they count here */
  metrics: MetricsHub;
  /** a retention policy changed or events were orphaned: run the background sweep now */
  wakeSweep(): void;
}

export type Operation = (d: LogsDeps, input: Input, ctx: RequestContext) => Promise<object>;

export function scopeOf(ctx: { accountId: string; region: string }): Scope {
  return { accountId: ctx.accountId, region: ctx.region };
}

// --- names -------------------------------------------------------------------------------------

const GROUP_NAME = /^[.\-_/#A-Za-z0-9]+$/;
const GROUP_NAME_SOURCE = '[\\.\\-_/#A-Za-z0-9]+';
const STREAM_NAME = /^[^:*]*$/;
const STREAM_NAME_SOURCE = '[^:*]*';

export function checkGroupName(v: Violations, name: string | undefined, member = 'logGroupName'): void {
  if (!v.required(name, member)) return;
  v.length(name, member, 1, 512);
  v.pattern(name, member, GROUP_NAME, GROUP_NAME_SOURCE);
}

/** For prefixes and optional names: the same constraints when present. */
export function checkOptionalGroupName(v: Violations, name: string | undefined, member: string): void {
  if (name === undefined) return;
  v.length(name, member, 1, 512);
  v.pattern(name, member, GROUP_NAME, GROUP_NAME_SOURCE);
}

export function checkStreamName(v: Violations, name: string | undefined, member = 'logStreamName'): void {
  if (!v.required(name, member)) return;
  v.length(name, member, 1, 512);
  v.pattern(name, member, STREAM_NAME, STREAM_NAME_SOURCE);
}

export function groupArn(s: Scope, name: string): string {
  return `arn:aws:logs:${s.region}:${s.accountId}:log-group:${name}:*`;
}

export function groupArnBare(s: Scope, name: string): string {
  return `arn:aws:logs:${s.region}:${s.accountId}:log-group:${name}`;
}

export function streamArn(s: Scope, group: string, stream: string): string {
  return `arn:aws:logs:${s.region}:${s.accountId}:log-group:${group}:log-stream:${stream}`;
}

/** `arn:aws:logs:<region>:<account>:log-group:<name>` (optionally `:*`) → its parts. */
export function parseGroupArn(arn: string): (Scope & { name: string }) | undefined {
  const m = /^arn:aws[a-z-]*:logs:([a-z0-9-]+):(\d{12}):log-group:([^:]+)(:\*)?$/.exec(arn);
  return m ? { region: m[1], accountId: m[2], name: m[3] } : undefined;
}

/**
 * The group named by `logGroupName` or `logGroupIdentifier` (a name or an ARN), exactly one of
 * them. An ARN of another account or region names a group this caller cannot see.
 */
export function readGroupReference(input: Input, v: Violations, ctx: RequestContext): { name: string; foreign: boolean } {
  const name = optString(input, 'logGroupName');
  const identifier = optString(input, 'logGroupIdentifier');
  if (name !== undefined && identifier !== undefined) {
    invalidParameter('LogGroup name and LogGroup ARN are mutually exclusive parameters.');
  }
  if (name === undefined && identifier === undefined) {
    invalidParameter('Should provide either name or ARN of the log group.');
  }
  if (name !== undefined) {
    checkGroupName(v, name);
    return { name, foreign: false };
  }
  v.length(identifier, 'logGroupIdentifier', 1, 2048);
  if (!identifier!.startsWith('arn:')) {
    checkGroupName(v, identifier, 'logGroupIdentifier');
    return { name: identifier!, foreign: false };
  }
  const arn = parseGroupArn(identifier!);
  if (!arn) invalidParameter(`Invalid log group ARN: ${identifier}`);
  return { name: arn.name, foreign: arn.accountId !== ctx.accountId || arn.region !== ctx.region };
}

// --- lookups -----------------------------------------------------------------------------------

export function groupNotFound(): never {
  throw awsError('ResourceNotFoundException', 'The specified log group does not exist.');
}

export function streamNotFound(): never {
  throw awsError('ResourceNotFoundException', 'The specified log stream does not exist.');
}

export async function requireGroup(db: Queryable, s: Scope, name: string): Promise<GroupRecord> {
  return (await findGroup(db, s, name)) ?? groupNotFound();
}

export async function requireStream(db: Queryable, groupId: number, name: string): Promise<StreamRecord> {
  return (await findStream(db, groupId, name)) ?? streamNotFound();
}

/** The group a `readGroupReference` result names (not found when it is another account's). */
export async function lookupGroupReference(db: Queryable, ref: { name: string; foreign: boolean }, ctx: RequestContext): Promise<GroupRecord> {
  if (ref.foreign) groupNotFound();
  return requireGroup(db, scopeOf(ctx), ref.name);
}
