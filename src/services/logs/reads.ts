/**
 * @module services/logs/reads
 * GetLogEvents: one stream's events, a page at a time, always in ascending order.
 *
 * Without a token, `startFromHead` (default false) picks the oldest events or the newest ones.
 * Then `nextForwardToken` continues after the page's last event and `nextBackwardToken` before
 * its first; at the end of the stream a token comes back unchanged, as AWS documents, so polling
 * with nextForwardToken picks up events as they arrive. `startTime` is inclusive, `endTime`
 * exclusive. A page holds `limit` events (default and maximum 10,000) or as many as fit in 1 MB.
 */
import type { RequestContext } from '../service.js';
import { checkStreamName, lookupGroupReference, readGroupReference, requireStream, type LogsDeps } from './context.js';
import { streamPage, type Cursor, type EventRecord } from './store.js';
import { AFTER_ALL, BEFORE_ALL, decodeStreamToken, encodeStreamToken } from './tokens.js';
import { optBool, optInt, optNumber, optString, Violations, type Input } from './validation.js';
import type { Queryable } from '../../store/store.js';

export const MAX_EVENTS_PER_PAGE = 10_000;
/** AWS's response size limit; each event counts its message's bytes plus 26 */
export const MAX_PAGE_BYTES = 1_048_576;
export const EVENT_OVERHEAD = 26;

/** Reads rows in chunks that grow while events are small, so a page never loads much beyond 1 MB. */
const FIRST_CHUNK = 100;
const LARGEST_CHUNK = 2500;

export function readTimeRange(input: Input, v: Violations): { startTime?: number; endTime?: number } {
  const startTime = optNumber(input, 'startTime');
  const endTime = optNumber(input, 'endTime');
  v.range(startTime, 'startTime', 0, Number.MAX_SAFE_INTEGER);
  v.range(endTime, 'endTime', 0, Number.MAX_SAFE_INTEGER);
  return { startTime, endTime };
}

interface Page {
  events: EventRecord[];
}

async function readStreamPage(db: Queryable, streamId: number, cursor: Cursor, direction: 'forward' | 'backward', start: number, end: number, limit: number): Promise<Page> {
  const events: EventRecord[] = [];
  let bytes = 0;
  let chunk = FIRST_CHUNK;
  let at = cursor;
  for (;;) {
    const want = Math.min(chunk, limit - events.length);
    const rows = await streamPage(db, { streamId, cursor: at, direction, startTime: start, endTime: end, limit: want });
    for (const r of rows) {
      const size = r.bytes + EVENT_OVERHEAD;
      if (events.length > 0 && bytes + size > MAX_PAGE_BYTES) return { events };
      events.push(r);
      bytes += size;
    }
    if (rows.length < want || events.length >= limit) return { events };
    const last = rows[rows.length - 1];
    // a backward read continues at or before the event before `last`
    at = direction === 'forward' ? { ts: last.ts, id: last.id } : { ts: last.ts, id: last.id - 1 };
    chunk = Math.min(chunk * 4, LARGEST_CHUNK);
  }
}

export async function getLogEvents(d: LogsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const v = new Violations();
  const ref = readGroupReference(input, v, ctx);
  const streamName = optString(input, 'logStreamName');
  checkStreamName(v, streamName);
  const { startTime, endTime } = readTimeRange(input, v);
  const limit = optInt(input, 'limit');
  v.range(limit, 'limit', 1, MAX_EVENTS_PER_PAGE);
  const startFromHead = optBool(input, 'startFromHead') ?? false;
  const token = optString(input, 'nextToken');
  v.throwIfAny();

  const group = await lookupGroupReference(d.store, ref, ctx);
  const stream = await requireStream(d.store, group.id, streamName!);
  const start = startTime ?? 0;
  const end = endTime ?? AFTER_ALL.ts + 1;

  const { direction, cursor } = token !== undefined
    ? decodeStreamToken(token, stream.id)
    : startFromHead
      ? { direction: 'forward' as const, cursor: BEFORE_ALL }
      : { direction: 'backward' as const, cursor: AFTER_ALL };
  const { events } = await readStreamPage(d.store, stream.id, cursor, direction, start, end, limit ?? MAX_EVENTS_PER_PAGE);
  if (direction === 'backward') events.reverse();

  let forward: Cursor;
  let backward: Cursor;
  if (events.length > 0) {
    const first = events[0];
    const last = events[events.length - 1];
    forward = { ts: last.ts, id: last.id };
    backward = { ts: first.ts, id: first.id - 1 };
  } else {
    // Nothing here: both tokens stay where they were, except that a newest-first read of a
    // stream with nothing in range points forward at the beginning, so polling sees new events.
    backward = cursor;
    forward = direction === 'backward' && cursor === AFTER_ALL ? BEFORE_ALL : cursor;
  }
  return {
    events: events.map((e) => ({ timestamp: e.ts, message: e.message, ingestionTime: e.ingested })),
    nextForwardToken: encodeStreamToken(stream.id, { direction: 'forward', cursor: forward }),
    nextBackwardToken: encodeStreamToken(stream.id, { direction: 'backward', cursor: backward }),
  };
}
