/**
 * @module services/queues/receive
 * ReceiveMessage: picking messages, making them invisible, redrive to the dead-letter queue, and
 * long polling.
 *
 * One attempt is one transaction: read the ready messages, move to the dead-letter queue those
 * already received maxReceiveCount times (AWS moves them on the receive attempt after the last
 * allowed one), mark the rest in flight with a fresh receipt token. FIFO queues hand out messages
 * in arrival order and skip every message group that has a message in flight, so a group is
 * processed strictly one batch at a time. When nothing is ready and WaitTimeSeconds allows, the
 * call parks in `Waiters` (no polling) and tries again when woken.
 */
import { performance } from 'node:perf_hooks';
import type { Queryable } from '../../store/store.js';
import type { RequestContext } from '../service.js';
import { intAttribute, parseStored, redrivePolicyOf } from './attributes.js';
import { optInt, stringList, type Input, type QueuesDeps } from './context.js';
import { decodeAttributes, md5OfAttributes, selectAttributes } from './messages.js';
import { arnOf, queueFromArn, queueFromUrl } from './names.js';
import { formatReceipt, newToken } from './receipts.js';
import { enqueue } from './send.js';
import {
  deleteMessage, groupsInFlight, markReceived, nextVisibleAt, queueById, readyInOrder, readyMessages, type MessageRow, type QueueRow,
} from './store.js';

const SYSTEM_ATTRIBUTES = [
  'SenderId', 'SentTimestamp', 'ApproximateReceiveCount', 'ApproximateFirstReceiveTimestamp', 'SequenceNumber',
  'MessageDeduplicationId', 'MessageGroupId', 'AWSTraceHeader', 'DeadLetterQueueSourceArn',
];
/** Rows read per query while skipping blocked FIFO groups or dead-lettering. */
const PAGE = 50;

export interface ReceiveOptions {
  max: number;
  /** undefined: the queue's VisibilityTimeout */
  visibility?: number;
  systemNames: string[];
  attributeNames: string[];
}

export async function receiveMessage(d: QueuesDeps, input: Input, ctx: RequestContext): Promise<object> {
  const q = await queueFromUrl(d.store, ctx, input.QueueUrl);
  const opts: ReceiveOptions = {
    max: optInt(input, 'MaxNumberOfMessages', 1, 10) ?? 1,
    visibility: optInt(input, 'VisibilityTimeout', 0, 43_200),
    systemNames: [...stringList(input, 'AttributeNames'), ...stringList(input, 'MessageSystemAttributeNames')],
    attributeNames: stringList(input, 'MessageAttributeNames'),
  };
  const wait = optInt(input, 'WaitTimeSeconds', 0, 20, 'Must be >= 0 and <= 20, if provided.') ?? intAttribute(parseStored(q.attributes), 'ReceiveMessageWaitTimeSeconds');
  const messages = await receiveWaiting(d, q.id, opts, wait * 1000);
  return messages.length > 0 ? { Messages: messages } : {};
}

/** Receives, waiting up to `waitMs` (real time) for something to arrive or become visible. */
export async function receiveWaiting(d: QueuesDeps, queueId: number, opts: ReceiveOptions, waitMs: number): Promise<object[]> {
  const deadline = performance.now() + waitMs;
  for (;;) {
    const got = await receiveOnce(d, queueId, opts);
    if (got.length > 0 || waitMs <= 0 || d.waiters.isStopped) return got;
    const remaining = deadline - performance.now();
    if (remaining <= 0) return got;
    // Sleep until woken, the wait ends, or the next delayed / in-flight message turns visible.
    const now = d.clock.ms();
    const next = await nextVisibleAt(d.store, queueId, now);
    const untilVisible = next === undefined ? Infinity : Math.max(next - now, 1);
    await d.waiters.wait(queueId, Math.min(remaining, untilVisible));
  }
}

/** One receive attempt: a transaction that returns up to `opts.max` messages, now in flight. */
export async function receiveOnce(d: QueuesDeps, queueId: number, opts: ReceiveOptions): Promise<object[]> {
  const dlqsToWake = new Set<number>();
  const out = await d.store.transaction(async (tx) => {
    const q = await queueById(tx, queueId);
    if (!q) return [];
    const attrs = parseStored(q.attributes);
    const now = d.clock.ms();
    const retainedAfter = now - intAttribute(attrs, 'MessageRetentionPeriod') * 1000;
    const visibleAt = now + (opts.visibility ?? intAttribute(attrs, 'VisibilityTimeout')) * 1000;
    const redrive = redrivePolicyOf(attrs);
    const dlq = redrive ? await queueFromArn(tx, redrive.deadLetterTargetArn) : undefined;
    const sourceArn = arnOf(q);

    const taken: object[] = [];
    const take = async (row: MessageRow): Promise<void> => {
      const token = newToken();
      await markReceived(tx, row.id, token, visibleAt, now);
      const received = { ...row, receive_count: row.receive_count + 1, first_received_at: row.first_received_at ?? now };
      taken.push(render(received, formatReceipt(q.id, row.id, token), opts));
    };
    /** true when the message went to the dead-letter queue instead */
    const redriven = async (row: MessageRow): Promise<boolean> => {
      if (!redrive || !dlq || row.receive_count < redrive.maxReceiveCount) return false;
      await moveMessage(tx, row, dlq, sourceArn, now);
      dlqsToWake.add(dlq.id);
      return true;
    };

    if (q.fifo === 1) {
      const blocked = await groupsInFlight(tx, q.id, now);
      let after = 0;
      while (taken.length < opts.max) {
        const page = await readyInOrder(tx, q.id, now, retainedAfter, after, PAGE);
        for (const row of page) {
          after = row.id;
          if (taken.length >= opts.max) break;
          if (blocked.has(row.group_id ?? '') || (await redriven(row))) continue;
          await take(row);
        }
        if (page.length < PAGE) break;
      }
    } else {
      // Dead-lettered rows leave the ready set, and so do taken ones unless VisibilityTimeout is 0:
      // each page is read afresh, skipping the rows this attempt has already handled.
      const seen = new Set<number>();
      for (let rounds = 0; taken.length < opts.max && rounds < 20; rounds++) {
        const page = (await readyMessages(tx, q.id, now, retainedAfter, opts.max - taken.length + seen.size)).filter((r) => !seen.has(r.id));
        if (page.length === 0) break;
        for (const row of page) {
          seen.add(row.id);
          if (taken.length < opts.max && !(await redriven(row))) await take(row);
        }
      }
    }
    return taken;
  });
  for (const id of dlqsToWake) d.waiters.notify(id);
  return out;
}

/**
 * Moves a message to another queue (a redrive to the dead-letter queue, a move task back),
 * keeping its id and original SentTimestamp; `deadLetterSource` records where a dead-lettered
 * message came from (null when moving it back).
 */
export async function moveMessage(tx: Queryable, row: MessageRow, target: QueueRow, deadLetterSource: string | null, now: number): Promise<void> {
  await enqueue(tx, target, {
    body: row.body,
    attributes: decodeAttributes(row.attributes),
    systemAttributes: decodeAttributes(row.system_attributes),
    delayMs: 0,
    groupId: row.group_id ?? undefined,
    dedupId: row.dedup_id ?? undefined,
    senderId: row.sender_id,
    deadLetterSource: deadLetterSource ?? undefined,
    messageId: row.message_id,
    sentAt: row.sent_at,
  }, now);
  await deleteMessage(tx, row.id);
}

function systemAttributes(row: MessageRow, names: readonly string[]): Record<string, string> | undefined {
  if (names.length === 0) return undefined;
  const all = names.includes('All');
  const values: Record<string, string | undefined> = {
    SenderId: row.sender_id,
    SentTimestamp: String(row.sent_at),
    ApproximateReceiveCount: String(row.receive_count),
    ApproximateFirstReceiveTimestamp: row.first_received_at === null ? undefined : String(row.first_received_at),
    SequenceNumber: row.sequence_number ?? undefined,
    MessageDeduplicationId: row.dedup_id ?? undefined,
    MessageGroupId: row.group_id ?? undefined,
    AWSTraceHeader: decodeAttributes(row.system_attributes)?.AWSTraceHeader?.StringValue,
    DeadLetterQueueSourceArn: row.dead_letter_source ?? undefined,
  };
  const out: Record<string, string> = {};
  for (const n of SYSTEM_ATTRIBUTES) {
    const v = values[n];
    if (v !== undefined && (all || names.includes(n))) out[n] = v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function render(row: MessageRow, receiptHandle: string, opts: ReceiveOptions): object {
  const msg: Record<string, unknown> = {
    MessageId: row.message_id,
    ReceiptHandle: receiptHandle,
    MD5OfBody: row.md5_body,
    Body: row.body,
  };
  const sys = systemAttributes(row, opts.systemNames);
  if (sys) msg.Attributes = sys;
  // The digest covers the attributes returned, which is what SDKs that check it recompute.
  const attrs = selectAttributes(decodeAttributes(row.attributes), opts.attributeNames);
  if (attrs) {
    msg.MD5OfMessageAttributes = md5OfAttributes(attrs);
    msg.MessageAttributes = attrs;
  }
  return msg;
}
