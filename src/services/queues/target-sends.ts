/**
 * @module services/queues/target-sends
 * The `sqs` target: other services (EventBridge targets, SNS subscriptions, dead letters of the
 * delivery engine) put messages on a queue by ARN.
 *
 * Sends that arrive within one turn of the event loop are written in ONE transaction. The
 * delivery engine attempts dozens of jobs at once, so a busy rule or subscription would otherwise
 * pay a BEGIN/COMMIT per message; coalesced, it pays one per turn (and the fsync behind it is
 * shared anyway). Messages are written in the order they arrived, so FIFO sequence numbers and
 * deduplication behave as if each had its own transaction.
 *
 * Every sender gets its own answer, once the transaction is committed and on disk: a queue that
 * does not exist or a message the queue refuses fails only that message. Should the shared
 * transaction itself fail, each of its messages is tried again in a transaction of its own, so a
 * write that fails never takes its neighbours down with it.
 */
import { isServiceError } from '../../core/errors.js';
import type { TargetMessage, TargetResult } from '../../core/targets/index.js';
import type { Queryable } from '../../store/store.js';
import type { QueuesDeps } from './context.js';
import { queueFromArn } from './names.js';
import { enqueue, prepare } from './send.js';
import type { QueueRow } from './store.js';

/**
 * SenderId of messages other services deliver: SNS's well-known principal id for SNS, the
 * service principal itself for the rest (their ids are not documented).
 */
const SERVICE_SENDER_IDS: Record<string, string> = {
  'sns.amazonaws.com': 'AIDAIT2UOQQY3AUEKVGXU',
};

interface Pending {
  arn: string;
  message: TargetMessage;
  resolve: (r: TargetResult) => void;
  reject: (e: unknown) => void;
}

export class TargetSends {
  private pending: Pending[] = [];
  private scheduled = false;

  constructor(private readonly d: QueuesDeps) {}

  send(arn: string, message: TargetMessage): Promise<TargetResult> {
    return new Promise<TargetResult>((resolve, reject) => {
      this.pending.push({ arn, message, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // the check phase: after every send started in this turn's callbacks and microtasks
        setImmediate(() => void this.flush());
      }
    });
  }

  /** Writes what arrived since the last flush. Flushes may overlap: the store serialises them. */
  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    this.scheduled = false;
    try {
      const { results, queues } = await this.d.store.transaction((tx) => writeAll(this.d, tx, batch));
      for (const id of queues) this.d.waiters.notify(id);
      for (let i = 0; i < batch.length; i++) batch[i].resolve(results[i]);
      return;
    } catch (e) {
      if (batch.length === 1) return batch[0].reject(e);
      this.d.log.warn({ err: e, messages: batch.length }, 'sqs: a coalesced target write failed; writing its messages one by one');
    }
    for (const p of batch) {
      try {
        const { results, queues } = await this.d.store.transaction((tx) => writeAll(this.d, tx, [p]));
        for (const id of queues) this.d.waiters.notify(id);
        p.resolve(results[0]);
      } catch (e) {
        p.reject(e);
      }
    }
  }
}

/** Writes the messages inside `tx`, in order; each queue is looked up once per batch. */
async function writeAll(d: QueuesDeps, tx: Queryable, batch: readonly Pending[]): Promise<{ results: TargetResult[]; queues: Set<number> }> {
  const found = new Map<string, QueueRow | undefined>();
  const queues = new Set<number>();
  const results: TargetResult[] = [];
  const now = d.clock.ms();
  for (const { arn, message } of batch) {
    let q = found.get(arn);
    if (q === undefined && !found.has(arn)) found.set(arn, (q = await queueFromArn(tx, arn)));
    if (!q) {
      results.push({ ok: false, retryable: false, error: `queue ${arn} does not exist`, code: 'AWS.SimpleQueueService.NonExistentQueue' });
      continue;
    }
    try {
      const sender = message.sourceService ? SERVICE_SENDER_IDS[message.sourceService] ?? message.sourceService : q.account_id;
      const m = prepare(q, {
        MessageBody: message.body,
        MessageAttributes: message.attributes,
        MessageGroupId: message.groupId,
        // a standard queue has no use for the deduplication id a FIFO topic passes along
        MessageDeduplicationId: q.fifo === 1 ? message.deduplicationId : undefined,
      }, sender);
      const sent = await enqueue(tx, q, m, now);
      queues.add(q.id);
      results.push({ ok: true, id: sent.MessageId });
    } catch (e) {
      // a message the queue refuses (too large, bad attributes…) will be refused again
      if (!isServiceError(e)) throw e;
      results.push({ ok: false, retryable: false, error: `${arn}: ${e.message}`, code: e.queryCode ?? e.code });
    }
  }
  return { results, queues };
}
