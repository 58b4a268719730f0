/**
 * @module services/topics/publish
 * Publish and PublishBatch.
 *
 * Standard topics: validate, match in memory, one `deliveries.enqueue(jobs)` (committed before
 * the answer), no other SQL. FIFO topics add one transaction per call: the 5-minute
 * deduplication window (a duplicate answers the original MessageId and SequenceNumber and is
 * not delivered again) and the topic's SequenceNumber counter, committed with the jobs.
 *
 * PublishBatch: request-level faults (no entries, more than 10, repeated or malformed Ids, the
 * batch over 256 KB) fail the call; an entry that is itself invalid is reported in `Failed` with
 * the code its own Publish would have answered, and the others are published.
 */
import { createHash, randomUUID } from 'node:crypto';
import { awsError, isServiceError } from '../../core/errors.js';
import type { NewJob } from '../../core/deliveries/types.js';
import type { TargetMessage, TargetResult } from '../../core/targets/index.js';
import type { RequestContext } from '../service.js';
import type { TopicEntry } from './cache.js';
import type { TopicsDeps } from './deps.js';
import { fanOut, type MessageMeta } from './fanout.js';
import { readMessage, type PublishMessage } from './message.js';
import { invalid, isTrue, LIMITS, parseTopicArn, topicNotFound } from './model.js';
import * as db from './store.js';

type Input = Record<string, unknown>;

const FIFO_ID = /^[\x21-\x7e]{1,128}$/;

interface Prepared {
  msg: PublishMessage;
  groupId?: string;
  dedupId?: string;
}

async function resolveTopic(d: TopicsDeps, value: unknown, ctx: RequestContext, member: string): Promise<TopicEntry> {
  const arn = parseTopicArn(value, member);
  if (arn.region !== ctx.region) throw invalid(member);
  const entry = await d.cache.get(arn.arn);
  if (!entry) throw topicNotFound();
  return entry;
}

/** The FIFO (or not) parts of one message. */
function prepare(entry: TopicEntry, input: Input, at: string): Prepared {
  const msg = readMessage(input, at);
  const groupId = typeof input.MessageGroupId === 'string' ? input.MessageGroupId : undefined;
  let dedupId = typeof input.MessageDeduplicationId === 'string' ? input.MessageDeduplicationId : undefined;
  if (groupId !== undefined && !FIFO_ID.test(groupId)) throw invalid('MessageGroupId Reason: must be 1-128 printable ASCII characters');
  if (dedupId !== undefined && !FIFO_ID.test(dedupId)) throw invalid('MessageDeduplicationId Reason: must be 1-128 printable ASCII characters');
  if (!entry.topic.fifo) {
    if (dedupId !== undefined) {
      throw invalid('MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type');
    }
    // standard topics accept a MessageGroupId (SQS fair queues) and pass it on
    return { msg, groupId };
  }
  if (groupId === undefined) throw invalid('The MessageGroupId parameter is required for FIFO topics');
  if (dedupId === undefined) {
    if (!isTrue(entry.topic.attributes.ContentBasedDeduplication)) {
      throw invalid('The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
    }
    dedupId = createHash('sha256').update(msg.message).digest('hex');
  }
  return { msg, groupId, dedupId };
}

function meta(p: Prepared, now: Date): MessageMeta {
  return { messageId: randomUUID(), timestamp: now.toISOString(), groupId: p.groupId, dedupId: p.dedupId };
}

interface Published {
  messageId: string;
  sequenceNumber?: string;
}

/** AWS/SNS NumberOfMessagesPublished and PublishSize, per topic. */
function recordPublished(d: TopicsDeps, entry: TopicEntry, items: Prepared[]): void {
  const t = entry.topic;
  const dims = [{ Name: 'TopicName', Value: t.name }];
  for (const p of items) {
    d.metrics.record(t, 'AWS/SNS', 'NumberOfMessagesPublished', dims);
    d.metrics.record(t, 'AWS/SNS', 'PublishSize', dims, p.msg.size, 'Bytes');
  }
}

/** Fans out and commits the messages of one call; answers each one's MessageId (and SequenceNumber). */
async function commit(d: TopicsDeps, entry: TopicEntry, items: Prepared[], now: Date): Promise<Published[]> {
  const out = await commitMessages(d, entry, items, now);
  recordPublished(d, entry, items);
  return out;
}

async function commitMessages(d: TopicsDeps, entry: TopicEntry, items: Prepared[], now: Date): Promise<Published[]> {
  const publicUrl = d.config.publicUrl;
  const jobs: NewJob[] = [];
  if (!entry.topic.fifo) {
    const out = items.map((p) => {
      const m = meta(p, now);
      fanOut(entry, p.msg, m, publicUrl, jobs);
      return { messageId: m.messageId };
    });
    if (jobs.length > 0) await d.deliveries.enqueue(jobs);
    return out;
  }
  const topicArn = entry.topic.arn;
  const out = await d.store.transaction(async (tx) => {
    const results: Published[] = [];
    let seq = await db.nextSequence(tx, topicArn, items.length);
    // duplicates inside the same batch count as duplicates too
    const seen = new Map<string, Published>();
    for (const p of items) {
      const key = p.dedupId!;
      const dup = seen.get(key) ?? (await db.findDuplicate(tx, topicArn, key, now.getTime()));
      if (dup) {
        results.push({ messageId: dup.messageId, sequenceNumber: dup.sequenceNumber });
        continue;
      }
      const m = meta(p, now);
      m.sequenceNumber = String(seq++).padStart(20, '0');
      await db.recordDedup(tx, topicArn, key, m.messageId, m.sequenceNumber, now.getTime() + LIMITS.dedupWindowMs);
      fanOut(entry, p.msg, m, publicUrl, jobs);
      const r = { messageId: m.messageId, sequenceNumber: m.sequenceNumber };
      seen.set(key, r);
      results.push(r);
    }
    if (jobs.length > 0) await d.deliveries.enqueue(jobs, tx);
    return results;
  });
  if (jobs.length > 0) d.deliveries.wake();
  return out;
}

export async function publish(d: TopicsDeps, input: Input, ctx: RequestContext): Promise<object> {
  if (typeof input.PhoneNumber === 'string' && input.PhoneNumber !== '') {
    throw invalid('PhoneNumber Reason: Signalbox does not deliver SMS');
  }
  const hasTopic = typeof input.TopicArn === 'string' && input.TopicArn !== '';
  const hasTarget = typeof input.TargetArn === 'string' && input.TargetArn !== '';
  if (!hasTopic && !hasTarget) throw invalid('TopicArn or TargetArn Reason: no value for required parameter');
  if (hasTopic && hasTarget) throw invalid('TopicArn Reason: Only one of TopicArn or TargetArn may be set');
  const entry = await resolveTopic(d, hasTopic ? input.TopicArn : input.TargetArn, ctx, hasTopic ? 'TopicArn' : 'TargetArn');
  const p = prepare(entry, input, '');
  const [r] = await commit(d, entry, [p], ctx.now);
  return r.sequenceNumber ? { MessageId: r.messageId, SequenceNumber: r.sequenceNumber } : { MessageId: r.messageId };
}

/**
 * A message another service hands to a topic by ARN (an alarm action, an EventBridge target):
 * published like Publish would, so it is validated, filtered and fanned out the same way.
 */
export async function publishFromTarget(d: TopicsDeps, arn: string, message: TargetMessage): Promise<TargetResult> {
  const entry = await d.cache.get(arn);
  if (!entry) return { ok: false, retryable: false, code: 'NotFound', error: `Topic does not exist: ${arn}` };
  try {
    const input: Input = { Message: message.body };
    if (message.subject !== undefined) input.Subject = message.subject;
    if (message.groupId !== undefined) input.MessageGroupId = message.groupId;
    if (message.deduplicationId !== undefined) input.MessageDeduplicationId = message.deduplicationId;
    const [r] = await commit(d, entry, [prepare(entry, input, '')], d.clock.now());
    return { ok: true, id: r.messageId };
  } catch (e) {
    if (isServiceError(e)) return { ok: false, retryable: false, code: e.code, error: e.message };
    throw e;
  }
}

const BATCH_ID = /^[A-Za-z0-9_-]{1,80}$/;

export async function publishBatch(d: TopicsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const entries = Array.isArray(input.PublishBatchRequestEntries) ? (input.PublishBatchRequestEntries as Input[]) : [];
  if (entries.length === 0) throw awsError('EmptyBatchRequest', "The batch request doesn't contain any entries.");
  if (entries.length > LIMITS.maxBatchEntries) throw awsError('TooManyEntriesInBatchRequest', 'The batch request contains more entries than permissible.');
  const ids = new Set<string>();
  for (const e of entries) {
    const id = typeof e.Id === 'string' ? e.Id : '';
    if (!BATCH_ID.test(id)) throw awsError('InvalidBatchEntryId', "The Id of a batch entry in a batch request doesn't abide by the specification.");
    if (ids.has(id)) throw awsError('BatchEntryIdsNotDistinct', 'Two or more batch entries in the request have the same Id.');
    ids.add(id);
  }
  const entry = await resolveTopic(d, input.TopicArn, ctx, 'TopicArn');

  const ok: Array<{ id: string; p: Prepared }> = [];
  const Failed: Array<{ Id: string; Code: string; Message: string; SenderFault: boolean }> = [];
  let total = 0;
  entries.forEach((e, i) => {
    const id = e.Id as string;
    try {
      const p = prepare(entry, e, `publishBatchRequestEntries.${i + 1}.member.`);
      total += p.msg.size;
      ok.push({ id, p });
    } catch (err) {
      if (!isServiceError(err)) throw err;
      Failed.push({ Id: id, Code: err.queryCode ?? err.code, Message: err.message, SenderFault: err.fault === 'Sender' });
    }
  });
  if (total > LIMITS.maxMessageBytes) throw awsError('BatchRequestTooLong', 'The length of all the messages put together is more than the limit.');

  const results = ok.length > 0 ? await commit(d, entry, ok.map((o) => o.p), ctx.now) : [];
  const Successful = results.map((r, i) => {
    const s: Record<string, string> = { Id: ok[i].id, MessageId: r.messageId };
    if (r.sequenceNumber) s.SequenceNumber = r.sequenceNumber;
    return s;
  });
  return { Successful, Failed };
}
