/**
 * @module services/logs/filter-events
 * FilterLogEvents: a group's events matching a filter pattern, across its streams (or the ones
 * named, or those with a name prefix), interleaved in (timestamp, arrival) order.
 *
 * `startTime` and `endTime` are both inclusive. The events are read in keyset chunks and tested
 * here; a call stops at `limit` events (default and maximum 10,000), at 1 MB, or after scanning
 * a bounded number of events, and then answers a `nextToken` that resumes after the last event it
 * looked at — possibly with an empty page, as AWS's can be. No `nextToken` means the range is
 * exhausted; `aws logs tail --follow` then polls again from the newest timestamp it printed,
 * skipping repeats by `eventId`. `interleaved` is accepted and ignored (always true on AWS).
 */
import type { RequestContext } from '../service.js';
import { checkStreamName, lookupGroupReference, readGroupReference, type LogsDeps } from './context.js';
import { EventText } from './filter-pattern/index.js';
import { compileOrInvalid } from './metric-filters.js';
import { EVENT_OVERHEAD, MAX_EVENTS_PER_PAGE, MAX_PAGE_BYTES, readTimeRange } from './reads.js';
import { groupPage, streamsNamed, type Cursor, type GroupEventRecord } from './store.js';
import { AFTER_ALL, BEFORE_ALL, decodePageToken, encodePageToken, eventIdOf, tokenNumber } from './tokens.js';
import { invalidParameter, optInt, optString, optStringList, Violations, type Input } from './validation.js';

const CHUNK = 1000;
/** events examined per call before answering with a nextToken */
const SCAN_BUDGET = 100_000;
const TIME_BUDGET_MS = 2000;

interface Scan {
  events: GroupEventRecord[];
  /** where the next call resumes; undefined when nothing is left */
  resume?: Cursor;
}

export async function filterLogEvents(d: LogsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const v = new Violations();
  const ref = readGroupReference(input, v, ctx);
  const names = optStringList(input, 'logStreamNames');
  if (names !== undefined) {
    v.length(names, 'logStreamNames', 1, 100);
    names.forEach((n, i) => checkStreamName(v, n, `logStreamNames.${i + 1}.member`));
  }
  const prefix = optString(input, 'logStreamNamePrefix');
  if (prefix !== undefined) {
    v.length(prefix, 'logStreamNamePrefix', 1, 512);
    v.pattern(prefix, 'logStreamNamePrefix', /^[^:*]*$/, '[^:*]*');
  }
  const { startTime, endTime } = readTimeRange(input, v);
  const pattern = optString(input, 'filterPattern');
  v.length(pattern, 'filterPattern', 0, 1024);
  const limit = optInt(input, 'limit');
  v.range(limit, 'limit', 1, MAX_EVENTS_PER_PAGE);
  v.throwIfAny();
  if (names !== undefined && prefix !== undefined) {
    invalidParameter('logStreamNames and logStreamNamePrefix are mutually exclusive parameters.');
  }
  if (startTime !== undefined && endTime !== undefined && startTime > endTime) {
    invalidParameter('startTime must be less than or equal to endTime.');
  }
  const compiled = compileOrInvalid(pattern ?? '');
  const group = await lookupGroupReference(d.store, ref, ctx);
  const token = decodePageToken(optString(input, 'nextToken'), 'filter');
  if (token && tokenNumber(token, 'g') !== group.id) invalidParameter('The specified nextToken is invalid.');
  const after: Cursor = token ? { ts: tokenNumber(token, 't'), id: tokenNumber(token, 'i') } : BEFORE_ALL;

  let streamIds: number[] | undefined;
  if (names !== undefined) {
    streamIds = (await streamsNamed(d.store, group.id, names)).map((s) => s.id);
    if (streamIds.length === 0) return { events: [], searchedLogStreams: [] };
  }

  const query = { groupId: group.id, startTime: startTime ?? 0, endTime: endTime ?? AFTER_ALL.ts, streamIds, streamPrefix: prefix };
  const scan = await scanMatches(d, query, after, limit ?? MAX_EVENTS_PER_PAGE, (message) => compiled.match(new EventText(message)) !== undefined);
  return {
    events: scan.events.map((e) => ({
      logStreamName: e.streamName, timestamp: e.ts, message: e.message, ingestionTime: e.ingested, eventId: eventIdOf(e.ts, e.id),
    })),
    searchedLogStreams: [],
    nextToken: scan.resume ? encodePageToken('filter', { g: group.id, t: scan.resume.ts, i: scan.resume.id }) : undefined,
  };
}

async function scanMatches(
  d: LogsDeps,
  q: { groupId: number; startTime: number; endTime: number; streamIds?: number[]; streamPrefix?: string },
  from: Cursor,
  limit: number,
  matches: (message: string) => boolean,
): Promise<Scan> {
  const events: GroupEventRecord[] = [];
  const deadline = Date.now() + TIME_BUDGET_MS;
  let bytes = 0;
  let scanned = 0;
  let cursor = from;
  for (;;) {
    const rows = await groupPage(d.store, { ...q, after: cursor, limit: CHUNK });
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (matches(r.message)) {
        const size = r.bytes + EVENT_OVERHEAD;
        // page full: resume at this event (not yet returned), i.e. after the one before it
        if (events.length > 0 && bytes + size > MAX_PAGE_BYTES) return { events, resume: cursor };
        events.push(r);
        bytes += size;
      }
      cursor = { ts: r.ts, id: r.id };
      scanned++;
      if (events.length >= limit) {
        const more = i < rows.length - 1 || rows.length === CHUNK;
        return { events, resume: more ? cursor : undefined };
      }
    }
    if (rows.length < CHUNK) return { events };
    if (scanned >= SCAN_BUDGET || Date.now() > deadline) return { events, resume: cursor };
  }
}
