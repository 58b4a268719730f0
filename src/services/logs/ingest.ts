/**
 * @module services/logs/ingest
 * PutLogEvents, and the logs port's `append` that other services (Lambda functions) write through.
 *
 * AWS's rules for a batch: 1 to 10,000 events, at most 1,048,576 bytes counting each message's
 * UTF-8 length plus 26, timestamps in chronological order and spanning at most 24 hours (else
 * InvalidParameterException). Events more than 14 days old, older than the group's retention, or
 * more than 2 hours in the future are not errors: they are left out and reported in
 * `rejectedLogEventsInfo` (tooOldLogEventEndIndex, expiredLogEventEndIndex,
 * tooNewLogEventStartIndex), and the rest are stored. `sequenceToken` is accepted and ignored,
 * as AWS now does; `nextSequenceToken` is still returned.
 *
 * The accepted events are committed, with the stream's and group's figures, in one transaction
 * before the call answers; then the group's metric filters run over them.
 */
import type { LogLine, LogScope } from '../../core/logs/index.js';
import type { Queryable } from '../../store/store.js';
import type { RequestContext } from '../service.js';
import { checkGroupName, checkStreamName, requireGroup, requireStream, scopeOf, type LogsDeps } from './context.js';
import { emitFilterMetrics } from './metric-emit.js';
import { DAY_MS } from './retention.js';
import { findGroup, findStream, insertEvents, insertGroup, insertStream, recordUpload, type NewEvent, type Scope } from './store.js';
import { invalidParameter, optObjectList, optString, Violations, type Input } from './validation.js';

export const LIMITS = {
  maxEvents: 10_000,
  maxBatchBytes: 1_048_576,
  perEventOverhead: 26,
  maxSpanMs: DAY_MS,
  maxAgeMs: 14 * DAY_MS,
  maxFutureMs: 2 * 3600 * 1000,
};

/** The sequence token of the stream's `seq`th upload, shaped like AWS's (56 digits). */
export function sequenceToken(seq: number): string {
  return String(seq).padStart(56, '0');
}

interface Rejections {
  tooOldLogEventEndIndex?: number;
  expiredLogEventEndIndex?: number;
  tooNewLogEventStartIndex?: number;
}

/** Which events of a chronological batch are kept: indexes [first, end), and why the others are not. */
export function classify(timestamps: readonly number[], now: number, retentionDays: number | null): { first: number; end: number; rejected?: Rejections } {
  const rejected: Rejections = {};
  const tooOld = now - LIMITS.maxAgeMs;
  const expired = retentionDays === null ? -Infinity : now - retentionDays * DAY_MS;
  const tooNew = now + LIMITS.maxFutureMs;
  timestamps.forEach((ts, i) => {
    if (ts < tooOld) rejected.tooOldLogEventEndIndex = i;
    if (ts < expired) rejected.expiredLogEventEndIndex = i;
    if (ts > tooNew && rejected.tooNewLogEventStartIndex === undefined) rejected.tooNewLogEventStartIndex = i;
  });
  // the batch is chronological: rejected events are a prefix (old) and a suffix (new)
  const first = Math.max(rejected.tooOldLogEventEndIndex ?? -1, rejected.expiredLogEventEndIndex ?? -1) + 1;
  const end = Math.max(first, rejected.tooNewLogEventStartIndex ?? timestamps.length);
  return Object.keys(rejected).length > 0 ? { first, end, rejected } : { first, end };
}

function readEvents(input: Input, v: Violations): NewEvent[] {
  const list = optObjectList(input, 'logEvents');
  if (!v.required(list, 'logEvents')) return [];
  v.length(list!, 'logEvents', 1, LIMITS.maxEvents);
  return list!.map((e, i) => {
    const at = `logEvents.${i + 1}.member`;
    const ts = e.timestamp;
    const message = e.message;
    if (v.required(ts, `${at}.timestamp`) && (typeof ts !== 'number' || !Number.isSafeInteger(ts) || ts < 0)) {
      v.add(ts, `${at}.timestamp`, 'Member must have value greater than or equal to 0');
    }
    // only the minimum length applies (the batch size bounds the rest); checked without
    // splitting the message into code points, which a megabyte of text would make costly
    if (v.required(message, `${at}.message`) && message === '') {
      v.add(message, `${at}.message`, 'Member must have length greater than or equal to 1');
    }
    const text = typeof message === 'string' ? message : '';
    return { ts: typeof ts === 'number' ? ts : 0, message: text, bytes: Buffer.byteLength(text, 'utf8') };
  });
}

function checkBatch(events: readonly NewEvent[]): void {
  let size = 0;
  for (const e of events) size += e.bytes + LIMITS.perEventOverhead;
  if (size > LIMITS.maxBatchBytes) invalidParameter(`Upload too large: ${size} bytes exceeds limit of ${LIMITS.maxBatchBytes}`);
  for (let i = 1; i < events.length; i++) {
    if (events[i].ts < events[i - 1].ts) invalidParameter('Log events in a single PutLogEvents request must be in chronological order.');
  }
  if (events.length > 0 && events[events.length - 1].ts - events[0].ts > LIMITS.maxSpanMs) {
    invalidParameter('The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');
  }
}

function uploadOf(events: readonly NewEvent[], ingested: number) {
  let bytes = 0;
  for (const e of events) bytes += e.bytes;
  let first = events[0].ts;
  let last = events[0].ts;
  for (const e of events) {
    if (e.ts < first) first = e.ts;
    if (e.ts > last) last = e.ts;
  }
  return { first, last, ingested, bytes };
}

export async function putLogEvents(d: LogsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const v = new Violations();
  const groupName = optString(input, 'logGroupName');
  checkGroupName(v, groupName);
  const streamName = optString(input, 'logStreamName');
  checkStreamName(v, streamName);
  optString(input, 'sequenceToken'); // accepted, not checked: AWS no longer requires it
  const events = readEvents(input, v);
  v.throwIfAny();
  checkBatch(events);

  const scope = scopeOf(ctx);
  const now = d.clock.ms();
  const outcome = await d.store.transaction(async (tx) => {
    const group = await requireGroup(tx, scope, groupName!);
    const stream = await requireStream(tx, group.id, streamName!);
    const { first, end, rejected } = classify(events.map((e) => e.ts), now, group.retentionDays);
    const accepted = events.slice(first, end);
    let seq = stream.uploadSeq;
    if (accepted.length > 0) {
      await insertEvents(tx, group.id, stream.id, now, accepted);
      seq = await recordUpload(tx, stream, uploadOf(accepted, now));
    }
    return { groupId: group.id, accepted, seq, rejected };
  });
  await emitFilterMetrics(d, scope, outcome.groupId, outcome.accepted);
  return {
    nextSequenceToken: sequenceToken(outcome.seq),
    rejectedLogEventsInfo: outcome.rejected,
  };
}

/** One append to a group's stream, as the logs port receives it. */
export interface Append {
  scope: LogScope;
  groupName: string;
  streamName: string;
  lines: readonly LogLine[];
}

/** Writes one append inside `tx`, creating its group and stream when missing; answers the group's id. */
async function appendInTx(tx: Queryable, a: Append, events: readonly NewEvent[], now: number): Promise<number> {
  const s: Scope = { accountId: a.scope.accountId, region: a.scope.region };
  const group = await findGroup(tx, s, a.groupName);
  const gid = group?.id ?? (await insertGroup(tx, s, { name: a.groupName, createdAt: now, kmsKeyId: null, groupClass: 'STANDARD' }));
  const stream = await findStream(tx, gid, a.streamName);
  const sid = stream?.id ?? (await insertStream(tx, gid, a.streamName, now));
  await insertEvents(tx, gid, sid, now, events);
  await recordUpload(tx, { id: sid, groupId: gid }, uploadOf(events, now));
  return gid;
}

const eventsOf = (lines: readonly LogLine[]): NewEvent[] => lines.map((l) => ({ ts: l.timestamp, message: l.message, bytes: Buffer.byteLength(l.message, 'utf8') }));

/**
 * The logs port (`LogsHub.append`, through append-group.ts): appends lines to groups' streams,
 * creating both when missing, as Lambda's execution role does on AWS; no batch rules apply, the
 * writer is Signalbox itself. Several appends share one transaction (one commit, one sync to
 * disk); then each group's metric filters run over its events. Appends without lines are skipped.
 */
export async function appendAll(d: LogsDeps, appends: readonly Append[]): Promise<void> {
  const todo = appends.filter((a) => a.lines.length > 0).map((a) => ({ a, events: eventsOf(a.lines) }));
  if (todo.length === 0) return;
  const now = d.clock.ms();
  const groupIds = await d.store.transaction(async (tx) => {
    const ids: number[] = [];
    for (const t of todo) ids.push(await appendInTx(tx, t.a, t.events, now));
    return ids;
  });
  for (let i = 0; i < todo.length; i++) {
    const { a, events } = todo[i];
    await emitFilterMetrics(d, { accountId: a.scope.accountId, region: a.scope.region }, groupIds[i], events);
  }
}
