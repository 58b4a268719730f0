/**
 * @module services/queues/visibility
 * What a consumer does with a received message: DeleteMessage(Batch) and
 * ChangeMessageVisibility(Batch), by receipt handle.
 *
 * AWS semantics kept: deleting with a handle whose message is already gone (or was received again
 * since, so the handle is no longer the latest) succeeds without deleting anything; a handle that
 * is not one of ours, or belongs to another queue, is ReceiptHandleIsInvalid; changing the
 * visibility of a message that is not in flight is MessageNotInflight. Making a message visible
 * again (timeout 0) wakes the queue's long-polling receivers.
 */
import { awsError, isServiceError, type ServiceError } from '../../core/errors.js';
import type { Queryable } from '../../store/store.js';
import type { RequestContext } from '../service.js';
import { batchFailure, checkBatchEntries, type BatchFailure } from './batch.js';
import { invalidParameter, type Input, type QueuesDeps } from './context.js';
import { queueFromUrl } from './names.js';
import { invalidReceipt, parseReceipt } from './receipts.js';
import { deleteByReceipt, messageById, setVisibleAt, type QueueRow } from './store.js';

async function deleteOne(tx: Queryable, q: QueueRow, handle: unknown): Promise<void> {
  if (handle === undefined || handle === null || handle === '') throw awsError('MissingParameter', 'The request must contain the parameter ReceiptHandle.');
  const r = parseReceipt(handle);
  if (!r || r.queueId !== q.id) throw invalidReceipt(handle);
  await deleteByReceipt(tx, q.id, r.rowId, r.token);
}

/** Sets the visibility of one in-flight message; true when it became visible at once. */
async function changeOne(tx: Queryable, q: QueueRow, handle: unknown, timeout: unknown, now: number): Promise<boolean> {
  if (handle === undefined || handle === null || handle === '') throw awsError('MissingParameter', 'The request must contain the parameter ReceiptHandle.');
  if (timeout === undefined || timeout === null) throw awsError('MissingParameter', 'The request must contain the parameter VisibilityTimeout.');
  if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 0 || timeout > 43_200) {
    throw invalidParameter('VisibilityTimeout', String(timeout), 'VisibilityTimeout must be an integer between 0 and 43200');
  }
  const r = parseReceipt(handle);
  if (!r || r.queueId !== q.id) throw invalidReceipt(handle);
  const row = await messageById(tx, q.id, r.rowId);
  if (!row || row.receipt !== r.token) {
    throw invalidParameter('ReceiptHandle', String(handle), 'Message does not exist or is not available for visibility timeout change.');
  }
  if (row.visible_at <= now) {
    throw awsError('MessageNotInflight', 'The message referred to is not in flight.', undefined);
  }
  await setVisibleAt(tx, row.id, now + timeout * 1000);
  return timeout === 0;
}

export async function deleteMessage(d: QueuesDeps, input: Input, ctx: RequestContext): Promise<object> {
  const q = await queueFromUrl(d.store, ctx, input.QueueUrl);
  await d.store.transaction((tx) => deleteOne(tx, q, input.ReceiptHandle));
  return {};
}

export async function changeMessageVisibility(d: QueuesDeps, input: Input, ctx: RequestContext): Promise<object> {
  const q = await queueFromUrl(d.store, ctx, input.QueueUrl);
  const visible = await d.store.transaction((tx) => changeOne(tx, q, input.ReceiptHandle, input.VisibilityTimeout, d.clock.ms()));
  if (visible) d.waiters.notify(q.id);
  return {};
}

/** Runs `each` per entry in one transaction, collecting per-entry failures. */
async function perEntry(
  d: QueuesDeps, q: QueueRow, entries: Input[], each: (tx: Queryable, e: Input, now: number) => Promise<boolean | void>,
): Promise<{ Successful: Array<{ Id: string }>; Failed: BatchFailure[]; wake: boolean }> {
  return d.store.transaction(async (tx) => {
    const ok: Array<{ Id: string }> = [];
    const failed: BatchFailure[] = [];
    let wake = false;
    const now = d.clock.ms();
    for (const e of entries) {
      try {
        if (await each(tx, e, now)) wake = true;
        ok.push({ Id: e.Id as string });
      } catch (err) {
        if (!isServiceError(err)) throw err;
        failed.push(batchFailure(e.Id as string, err as ServiceError));
      }
    }
    return { Successful: ok, Failed: failed, wake };
  });
}

export async function deleteMessageBatch(d: QueuesDeps, input: Input, ctx: RequestContext): Promise<object> {
  const q = await queueFromUrl(d.store, ctx, input.QueueUrl);
  const entries = checkBatchEntries(input.Entries, 'DeleteMessageBatchRequestEntry');
  const { Successful, Failed } = await perEntry(d, q, entries, (tx, e) => deleteOne(tx, q, e.ReceiptHandle));
  return { Successful, Failed };
}

export async function changeMessageVisibilityBatch(d: QueuesDeps, input: Input, ctx: RequestContext): Promise<object> {
  const q = await queueFromUrl(d.store, ctx, input.QueueUrl);
  const entries = checkBatchEntries(input.Entries, 'ChangeMessageVisibilityBatchRequestEntry');
  const { Successful, Failed, wake } = await perEntry(d, q, entries, (tx, e, now) => changeOne(tx, q, e.ReceiptHandle, e.VisibilityTimeout, now));
  if (wake) d.waiters.notify(q.id);
  return { Successful, Failed };
}
