/**
 * @module services/events/put-events
 * PutEvents, and events that reach a bus from inside Signalbox (alarm state changes, other
 * buses' targets) through the `events` target.
 *
 * PutEvents checks each entry on its own: a bad entry fails with its ErrorCode and ErrorMessage
 * while the others are accepted (FailedEntryCount counts the failures). The jobs of every
 * accepted entry are committed together, before the call answers, one job per target for all the
 * entries it gets; an event no rule or archive wants costs no write at all.
 */
import { randomUUID } from 'node:crypto';
import { parseArn } from '../../core/arn.js';
import { awsError } from '../../core/errors.js';
import type { NewJob } from '../../core/deliveries/types.js';
import type { TargetMessage, TargetResult } from '../../core/targets/index.js';
import type { RequestContext } from '../service.js';
import type { EventsDeps } from './deps.js';
import { busNameOf, constraint, DEFAULT_BUS, isoSeconds, LIMITS, scopeOf } from './model.js';
import { batchTargetJobs, routeEvent } from './route.js';
import { getBus, type Scope } from './store.js';

type Input = Record<string, unknown>;

interface EntryResult { EventId?: string; ErrorCode?: string; ErrorMessage?: string }

/** EventBridge's entry size: Time counts 14 bytes, then Source, DetailType, Detail and each resource in UTF-8. */
export function entrySize(e: Record<string, unknown>): number {
  let n = e.Time !== undefined ? 14 : 0;
  for (const k of ['Source', 'DetailType', 'Detail']) if (typeof e[k] === 'string') n += Buffer.byteLength(e[k] as string, 'utf8');
  if (Array.isArray(e.Resources)) for (const r of e.Resources) if (typeof r === 'string') n += Buffer.byteLength(r, 'utf8');
  return n;
}

const failed = (ErrorCode: string, ErrorMessage: string): EntryResult => ({ ErrorCode, ErrorMessage });

/** Known custom buses of this call, so ten entries to one bus look it up once. */
async function busExists(d: EventsDeps, scope: Scope, bus: string, seen: Map<string, boolean>): Promise<boolean> {
  if (bus === DEFAULT_BUS) return true;
  let ok = seen.get(bus);
  if (ok === undefined) seen.set(bus, (ok = !!(await getBus(d.store, scope, bus))));
  return ok;
}

export async function putEvents(d: EventsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const entries = input.Entries;
  if (!Array.isArray(entries)) throw constraint(null, 'entries', 'Member must not be null');
  if (entries.length < 1 || entries.length > LIMITS.putEventsEntries) {
    throw constraint(`[${entries.length} entries]`, 'entries', `Member must have length ${entries.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 10'}`);
  }
  let total = 0;
  for (const e of entries) total += entrySize(e ?? {});
  if (total > LIMITS.putEventsBytes) throw awsError('ValidationException', 'Total size of the entries in the request is over the limit.');
  const scope = scopeOf(ctx);
  const now = d.clock.ms();
  const results: EntryResult[] = [];
  const jobs: NewJob[] = [];
  const buses = new Map<string, boolean>();
  let failures = 0;
  for (const raw of entries as Record<string, unknown>[]) {
    const r = await acceptEntry(d, scope, raw ?? {}, now, buses, jobs);
    if (r.ErrorCode) failures++;
    results.push(r);
  }
  if (jobs.length > 0) await d.deliveries.enqueue(batchTargetJobs(jobs));
  return { FailedEntryCount: failures, Entries: results };
}

async function acceptEntry(d: EventsDeps, scope: Scope, e: Record<string, unknown>, now: number, buses: Map<string, boolean>, jobs: NewJob[]): Promise<EntryResult> {
  const source = e.Source;
  const detailType = e.DetailType;
  const detailText = e.Detail;
  if (typeof source !== 'string' || source === '') return failed('InvalidArgument', 'Parameter Source is not valid. Reason: Source is a required argument.');
  if (typeof detailType !== 'string' || detailType === '') return failed('InvalidArgument', 'Parameter DetailType is not valid. Reason: DetailType is a required argument.');
  if (typeof detailText !== 'string') return failed('InvalidArgument', 'Parameter Detail is not valid. Reason: Detail is a required argument.');
  let detail: unknown;
  try {
    detail = JSON.parse(detailText);
  } catch {
    return failed('MalformedDetail', 'Detail is malformed.');
  }
  if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) return failed('MalformedDetail', 'Detail is malformed.');
  if (source.startsWith('aws.')) return failed('NotAuthorizedForSourceException', 'Not authorized for the source.');
  let bus: string;
  try {
    bus = busNameOf(e.EventBusName);
  } catch (err) {
    return failed('InvalidArgument', (err as Error).message);
  }
  if (!(await busExists(d, scope, bus, buses))) return failed('ResourceNotFoundException', `Event bus ${bus} does not exist.`);
  const id = randomUUID();
  const time = e.Time instanceof Date && !Number.isNaN(e.Time.getTime()) ? e.Time.getTime() : now;
  const resources = Array.isArray(e.Resources) ? e.Resources.filter((r): r is string => typeof r === 'string') : [];
  const event = {
    version: '0', id, 'detail-type': detailType, source, account: scope.accountId, time: isoSeconds(time), region: scope.region, resources, detail,
  };
  for (const j of routeEvent(d, scope, bus, event, undefined, { ingestionMs: now })) jobs.push(j);
  return { EventId: id };
}

/**
 * The `events` target: an event for a bus, from another service (CloudWatch alarm state changes)
 * or from a rule whose target is a bus. The body is a whole event; it is routed on the bus the
 * ARN names, in the ARN's account and region.
 */
export async function receiveEvent(d: EventsDeps, arn: string, message: TargetMessage): Promise<TargetResult> {
  const a = parseArn(arn);
  if (!a || !a.resource.startsWith('event-bus/')) return { ok: false, retryable: false, error: `${arn} is not an event bus`, code: 'NO_RESOURCE' };
  const scope = { accountId: a.accountId, region: a.region };
  const bus = a.resource.slice('event-bus/'.length);
  let event: unknown;
  try {
    event = JSON.parse(message.body);
  } catch {
    return { ok: false, retryable: false, error: 'the event is not JSON', code: 'INVALID_JSON' };
  }
  if (event === null || typeof event !== 'object' || Array.isArray(event)) return { ok: false, retryable: false, error: 'the event is not a JSON object', code: 'INVALID_JSON' };
  await d.index.ready();
  if (!(await busExists(d, scope, bus, new Map()))) return { ok: false, retryable: false, error: `Event bus ${bus} does not exist.`, code: 'NO_RESOURCE' };
  const jobs = routeEvent(d, scope, bus, event as Record<string, unknown>, message.body, { ingestionMs: d.clock.ms() });
  if (jobs.length > 0) await d.deliveries.enqueue(jobs);
  return { ok: true, id: String((event as { id?: unknown }).id ?? '') };
}
