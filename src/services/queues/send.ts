/**
 * @module services/queues/send
 * Putting messages on a queue: SendMessage and SendMessageBatch, and the checks and writes the
 * `sqs` target shares with them (target-sends.ts).
 *
 * Every message is checked against the queue first (outside any transaction), then written in
 * one transaction per call: a FIFO send takes its sequence number and records its deduplication
 * id in the same transaction, so a duplicate sent concurrently can never slip in twice. Waiters
 * long-polling the queue are woken once the transaction has committed.
 */
import { createHash, randomUUID } from 'node:crypto';
import { awsError, isServiceError } from '../../core/errors.js';
import type { Queryable } from '../../store/store.js';
import type { RequestContext } from '../service.js';
import { intAttribute, parseStored } from './attributes.js';
import { batchFailure, checkBatchEntries, type BatchFailure } from './batch.js';
import { invalidParameter, senderIdOf, type Input, type QueuesDeps } from './context.js';
import {
  checkAttributes, checkBody, checkFifoId, checkSize, checkSystemAttributes, encodeAttributes, md5Hex, md5OfAttributes, type Attributes,
} from './messages.js';
import { queueFromUrl } from './names.js';
import { findDedup, insertMessage, nextSequence, putDedup, type QueueRow } from './store.js';

/** FIFO deduplication interval. */
export const DEDUP_WINDOW_MS = 5 * 60_000;
/** A batch's total payload, like a single message's. */
const MAX_BATCH_BYTES = 262_144;

/** A message checked against its queue, ready to be written. */
export interface Outgoing {
  body: string;
  attributes?: Attributes;
  systemAttributes?: Attributes;
  delayMs: number;
  groupId?: string;
  dedupId?: string;
  senderId: string;
  /** the queue a dead-lettered message came from */
  deadLetterSource?: string;
  /** keep this MessageId (a message moving between queues) */
  messageId?: string;
  /** keep this SentTimestamp (redrive keeps the original enqueue time) */
  sentAt?: number;
}

export interface Sent {
  MessageId: string;
  MD5OfMessageBody: string;
  MD5OfMessageAttributes?: string;
  MD5OfMessageSystemAttributes?: string;
  SequenceNumber?: string;
}

/** Checks one message (request members as in SendMessage) against queue `q`. */
export function prepare(q: QueueRow, input: Input, senderId: string): Outgoing {
  const attrs = parseStored(q.attributes);
  const fifo = q.fifo === 1;
  const body = checkBody(input.MessageBody);
  const attributes = checkAttributes(input.MessageAttributes);
  const systemAttributes = checkSystemAttributes(input.MessageSystemAttributes);
  checkSize(body, attributes, intAttribute(attrs, 'MaximumMessageSize'));
  const groupId = checkFifoId('MessageGroupId', input.MessageGroupId);
  let dedupId = checkFifoId('MessageDeduplicationId', input.MessageDeduplicationId);
  const delay = input.DelaySeconds;
  if (delay !== undefined && delay !== null) {
    if (typeof delay !== 'number' || !Number.isInteger(delay) || delay < 0 || delay > 900) {
      throw invalidParameter('DelaySeconds', String(delay), 'DelaySeconds must be >= 0 and <= 900.');
    }
    if (fifo) throw invalidParameter('DelaySeconds', String(delay), 'The request include parameter that is not valid for this queue type.');
  }
  if (fifo) {
    if (!groupId) throw awsError('MissingParameter', 'The request must contain the parameter MessageGroupId.');
    if (!dedupId) {
      if (attrs.ContentBasedDeduplication !== 'true') {
        throw awsError('InvalidParameterValue', 'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
      }
      dedupId = createHash('sha256').update(body).digest('hex');
    }
  } else if (dedupId) {
    throw invalidParameter('MessageDeduplicationId', dedupId, 'The request include parameter that is not valid for this queue type.');
  }
  const delaySeconds = typeof delay === 'number' ? delay : intAttribute(attrs, 'DelaySeconds');
  return { body, attributes, systemAttributes, delayMs: delaySeconds * 1000, groupId, dedupId, senderId };
}

function digests(m: Outgoing, messageId: string, seq?: string): Sent {
  const out: Sent = { MessageId: messageId, MD5OfMessageBody: md5Hex(m.body) };
  const a = md5OfAttributes(m.attributes);
  if (a) out.MD5OfMessageAttributes = a;
  const s = md5OfAttributes(m.systemAttributes);
  if (s) out.MD5OfMessageSystemAttributes = s;
  if (seq) out.SequenceNumber = seq;
  return out;
}

/** AWS's sequence numbers are large, increasing, 20-digit decimal strings. */
function sequenceNumber(n: number): string {
  return (10n ** 19n + BigInt(n)).toString();
}

/** Writes one checked message inside `tx` (a FIFO duplicate answers with the original's ids). */
export async function enqueue(tx: Queryable, q: QueueRow, m: Outgoing, now: number): Promise<Sent> {
  const fifo = q.fifo === 1;
  let seq: string | undefined;
  if (fifo && m.dedupId && m.messageId === undefined) {
    const attrs = parseStored(q.attributes);
    const scope = attrs.DeduplicationScope === 'messageGroup' ? m.groupId ?? '' : '';
    const seen = await findDedup(tx, q.id, scope, m.dedupId, now);
    if (seen) return digests(m, seen.message_id, seen.sequence_number ?? undefined);
    seq = sequenceNumber(await nextSequence(tx, q.id));
    const messageId = randomUUID();
    await putDedup(tx, q.id, scope, m.dedupId, messageId, seq, now + DEDUP_WINDOW_MS);
    return write(tx, q, m, messageId, seq, now);
  }
  if (fifo) seq = sequenceNumber(await nextSequence(tx, q.id));
  return write(tx, q, m, m.messageId ?? randomUUID(), seq, now);
}

/** Inserts the message and answers its ids and digests (computed once, for the row and the caller). */
async function write(tx: Queryable, q: QueueRow, m: Outgoing, messageId: string, seq: string | undefined, now: number): Promise<Sent> {
  const sent = digests(m, messageId, seq);
  await insertMessage(tx, {
    queue_id: q.id,
    message_id: messageId,
    body: m.body,
    attributes: encodeAttributes(m.attributes),
    system_attributes: encodeAttributes(m.systemAttributes),
    md5_body: sent.MD5OfMessageBody,
    md5_attributes: sent.MD5OfMessageAttributes ?? null,
    md5_system: sent.MD5OfMessageSystemAttributes ?? null,
    sender_id: m.senderId,
    sent_at: m.sentAt ?? now,
    visible_at: now + m.delayMs,
    group_id: m.groupId ?? null,
    dedup_id: m.dedupId ?? null,
    sequence_number: seq ?? null,
    dead_letter_source: m.deadLetterSource ?? null,
  });
  return sent;
}

export async function sendMessage(d: QueuesDeps, input: Input, ctx: RequestContext): Promise<Sent> {
  const q = await queueFromUrl(d.store, ctx, input.QueueUrl);
  const m = prepare(q, input, senderIdOf(ctx));
  const sent = await d.store.transaction((tx) => enqueue(tx, q, m, d.clock.ms()));
  d.waiters.notify(q.id);
  return sent;
}

export async function sendMessageBatch(d: QueuesDeps, input: Input, ctx: RequestContext): Promise<object> {
  const q = await queueFromUrl(d.store, ctx, input.QueueUrl);
  const entries = checkBatchEntries(input.Entries, 'SendMessageBatchRequestEntry');
  let total = 0;
  for (const e of entries) total += Buffer.byteLength(typeof e.MessageBody === 'string' ? e.MessageBody : '', 'utf8') + attributeBytes(e.MessageAttributes);
  if (total > MAX_BATCH_BYTES) {
    throw awsError('BatchRequestTooLong', `Batch requests cannot be longer than ${MAX_BATCH_BYTES} bytes. You have sent ${total} bytes.`, undefined,
      { queryCode: 'AWS.SimpleQueueService.BatchRequestTooLong' });
  }
  const senderId = senderIdOf(ctx);
  const failed: BatchFailure[] = [];
  const ready: Array<{ id: string; m: Outgoing }> = [];
  for (const e of entries) {
    try {
      ready.push({ id: e.Id as string, m: prepare(q, e, senderId) });
    } catch (err) {
      if (!isServiceError(err)) throw err;
      failed.push(batchFailure(e.Id as string, err));
    }
  }
  const successful = await d.store.transaction(async (tx) => {
    const now = d.clock.ms();
    const out: Array<Sent & { Id: string }> = [];
    for (const r of ready) out.push({ Id: r.id, ...(await enqueue(tx, q, r.m, now)) });
    return out;
  });
  if (successful.length > 0) d.waiters.notify(q.id);
  return { Successful: successful, Failed: failed };
}

function attributeBytes(attrs: unknown): number {
  let n = 0;
  if (!attrs || typeof attrs !== 'object') return 0;
  for (const [k, v] of Object.entries(attrs as Record<string, Record<string, unknown>>)) {
    n += Buffer.byteLength(k) + Buffer.byteLength(String(v?.DataType ?? ''));
    const s = v?.StringValue;
    const b = v?.BinaryValue;
    n += typeof s === 'string' ? Buffer.byteLength(s) : b instanceof Uint8Array ? b.length : 0;
  }
  return n;
}
