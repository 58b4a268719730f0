/**
 * @module services/logs/streams
 * CreateLogStream, DeleteLogStream, DescribeLogStreams.
 *
 * A deleted stream's events are purged in the background; from the moment it is gone they are
 * out of every read (GetLogEvents needs the stream, FilterLogEvents joins on it).
 */
import { awsError } from '../../core/errors.js';
import { isUniqueViolation } from '../../store/store.js';
import type { RequestContext } from '../service.js';
import {
  checkGroupName, checkStreamName, lookupGroupReference, readGroupReference, requireGroup, requireStream, scopeOf, streamArn,
  type LogsDeps,
} from './context.js';
import { sequenceToken } from './ingest.js';
import { deleteStream, findStream, insertStream, listStreams, type StreamRecord } from './store.js';
import { decodePageToken, encodePageToken, tokenNumber, tokenString } from './tokens.js';
import { invalidParameter, optBool, optInt, optString, Violations, type Input } from './validation.js';

function alreadyExists(): never {
  throw awsError('ResourceAlreadyExistsException', 'The specified log stream already exists');
}

function readNames(input: Input): { v: Violations; group: string; stream: string } {
  const v = new Violations();
  const group = optString(input, 'logGroupName');
  checkGroupName(v, group);
  const stream = optString(input, 'logStreamName');
  checkStreamName(v, stream);
  v.throwIfAny();
  return { v, group: group!, stream: stream! };
}

export async function createLogStream(d: LogsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const { group, stream } = readNames(input);
  try {
    await d.store.transaction(async (tx) => {
      const g = await requireGroup(tx, scopeOf(ctx), group);
      if (await findStream(tx, g.id, stream)) alreadyExists();
      await insertStream(tx, g.id, stream, d.clock.ms());
    });
  } catch (e) {
    if (isUniqueViolation(e)) alreadyExists();
    throw e;
  }
  return {};
}

export async function deleteLogStream(d: LogsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const { group, stream } = readNames(input);
  await d.store.transaction(async (tx) => {
    const g = await requireGroup(tx, scopeOf(ctx), group);
    await deleteStream(tx, await requireStream(tx, g.id, stream));
  });
  d.wakeSweep();
  return {};
}

const ORDERS = ['LogStreamName', 'LastEventTime'] as const;
const DESCRIBE_MAX = 50;

export async function describeLogStreams(d: LogsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const v = new Violations();
  const ref = readGroupReference(input, v, ctx);
  const prefix = optString(input, 'logStreamNamePrefix');
  if (prefix !== undefined) {
    v.length(prefix, 'logStreamNamePrefix', 1, 512);
    v.pattern(prefix, 'logStreamNamePrefix', /^[^:*]*$/, '[^:*]*');
  }
  const orderBy = (optString(input, 'orderBy') ?? 'LogStreamName') as (typeof ORDERS)[number];
  v.oneOf(orderBy, 'orderBy', ORDERS);
  const descending = optBool(input, 'descending') ?? false;
  const limit = optInt(input, 'limit');
  v.range(limit, 'limit', 1, DESCRIBE_MAX);
  v.throwIfAny();
  if (orderBy === 'LastEventTime' && prefix !== undefined) {
    invalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.');
  }
  const token = decodePageToken(optString(input, 'nextToken'), 'streams');
  const after = token ? { name: tokenString(token, 'n'), lastEvent: tokenNumber(token, 't') } : undefined;
  const group = await lookupGroupReference(d.store, ref, ctx);
  const pageSize = limit ?? DESCRIBE_MAX;

  const rows = await listStreams(d.store, group.id, { orderBy, descending, prefix, after, limit: pageSize + 1 });
  const page = rows.slice(0, pageSize);
  const last = page[page.length - 1];
  const scope = scopeOf(ctx);
  return {
    logStreams: page.map((s) => describeStream(s, scope, group.name)),
    nextToken: rows.length > pageSize ? encodePageToken('streams', { n: last.name, t: last.lastEvent }) : undefined,
  };
}

function describeStream(s: StreamRecord, scope: { accountId: string; region: string }, groupName: string): object {
  const hasEvents = s.lastIngestion !== null;
  return {
    logStreamName: s.name,
    creationTime: s.createdAt,
    firstEventTimestamp: hasEvents ? s.firstEvent : undefined,
    lastEventTimestamp: hasEvents ? s.lastEvent : undefined,
    lastIngestionTime: s.lastIngestion ?? undefined,
    uploadSequenceToken: s.uploadSeq > 0 ? sequenceToken(s.uploadSeq) : undefined,
    arn: streamArn(scope, groupName, s.name),
    storedBytes: s.storedBytes,
  };
}
