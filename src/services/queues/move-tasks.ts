/**
 * @module services/queues/move-tasks
 * Dead-letter queue redrive: StartMessageMoveTask, ListMessageMoveTasks, CancelMessageMoveTask,
 * and `runMoveTasks`, the step the background timer calls.
 *
 * A task moves the messages that were in the dead-letter queue when it started (row ids up to the
 * highest at that moment), oldest first, skipping those in flight: back to the queue each came
 * from, or all to DestinationArn. Tasks live in the store, so a task running at shutdown carries
 * on after a restart. MaxNumberOfMessagesPerSecond throttles it; without one it moves as fast as
 * the timer allows (AWS: "system-optimized").
 */
import { randomUUID } from 'node:crypto';
import { awsError } from '../../core/errors.js';
import type { RequestContext } from '../service.js';
import { optInt, optString, requireString, type Input, type QueuesDeps } from './context.js';
import { queueFromArn } from './names.js';
import { moveMessage } from './receive.js';
import {
  deadLetterSources, insertMoveTask, lastMessageId, movableMessages, moveTaskByHandle, moveTasksOf, queueById, runningMoveTasks,
  updateMoveTask, type MoveTaskRow,
} from './store.js';

/** Messages moved per task per tick when the task sets no rate. */
const UNTHROTTLED_PER_TICK = 100;

function notFound(what: string): never {
  // 404 in SQS's model (the shared catalogue says 400)
  throw awsError('ResourceNotFoundException', `The resource that you specified for the ${what} parameter doesn't exist.`, undefined, { status: 404 });
}

function sameScope(ctx: RequestContext, arn: string): boolean {
  const p = arn.split(':');
  return p[3] === ctx.region && p[4] === ctx.accountId;
}

export async function startMessageMoveTask(d: QueuesDeps, input: Input, ctx: RequestContext): Promise<object> {
  const sourceArn = requireString(input, 'SourceArn');
  const destinationArn = optString(input, 'DestinationArn');
  const rate = optInt(input, 'MaxNumberOfMessagesPerSecond', 1, 500, 'MaxNumberOfMessagesPerSecond must be between 1 and 500.');
  const handle = Buffer.from(JSON.stringify({ taskId: randomUUID(), sourceArn }), 'utf8').toString('base64');
  await d.store.transaction(async (tx) => {
    const source = sameScope(ctx, sourceArn) ? await queueFromArn(tx, sourceArn) : undefined;
    if (!source) notFound('SourceArn');
    const sources = await deadLetterSources(tx, { accountId: source.account_id, region: source.region }, sourceArn, '', 1);
    if (sources.length === 0) throw awsError('InvalidParameterValue', 'Source queue must be configured as a Dead Letter Queue.');
    if (destinationArn !== undefined) {
      const dest = sameScope(ctx, destinationArn) ? await queueFromArn(tx, destinationArn) : undefined;
      if (!dest) notFound('DestinationArn');
      if (dest.fifo !== source.fifo) throw awsError('InvalidParameterValue', 'Destination queue must be the same type of queue as the source.');
    }
    if ((await moveTasksOf(tx, sourceArn, 1)).some((t) => t.status === 'RUNNING')) {
      throw awsError('UnsupportedOperation', 'There is already a task running. Only one active task is allowed for each source queue arn at a given time.');
    }
    const { lastId, count } = await lastMessageId(tx, source.id);
    await insertMoveTask(tx, {
      task_handle: handle, source_queue_id: source.id, source_arn: sourceArn, destination_arn: destinationArn ?? null,
      max_per_second: rate ?? null, status: 'RUNNING', to_move: count, last_message_id: lastId, started_at: d.clock.ms(),
    });
  });
  d.wakeMoves();
  return { TaskHandle: handle };
}

function render(t: MoveTaskRow): object {
  return {
    ...(t.status === 'RUNNING' ? { TaskHandle: t.task_handle } : {}),
    Status: t.status,
    SourceArn: t.source_arn,
    ...(t.destination_arn ? { DestinationArn: t.destination_arn } : {}),
    ...(t.max_per_second !== null ? { MaxNumberOfMessagesPerSecond: t.max_per_second } : {}),
    ApproximateNumberOfMessagesMoved: t.moved,
    ApproximateNumberOfMessagesToMove: t.to_move,
    ...(t.failure_reason ? { FailureReason: t.failure_reason } : {}),
    StartedTimestamp: t.started_at,
  };
}

export async function listMessageMoveTasks(d: QueuesDeps, input: Input, ctx: RequestContext): Promise<object> {
  const sourceArn = requireString(input, 'SourceArn');
  const max = optInt(input, 'MaxResults', 1, 10, 'MaxResults must be between 1 and 10.') ?? 1;
  if (!sameScope(ctx, sourceArn) || !(await queueFromArn(d.store, sourceArn))) notFound('SourceArn');
  return { Results: (await moveTasksOf(d.store, sourceArn, max)).map(render) };
}

export async function cancelMessageMoveTask(d: QueuesDeps, input: Input, ctx: RequestContext): Promise<object> {
  const handle = requireString(input, 'TaskHandle');
  return d.store.transaction(async (tx) => {
    const t = await moveTaskByHandle(tx, handle);
    if (!t || !sameScope(ctx, t.source_arn)) notFound('TaskHandle');
    if (t.status !== 'RUNNING') throw awsError('InvalidParameterValue', `Only a RUNNING task can be cancelled; this one is ${t.status}.`);
    await updateMoveTask(tx, t.id, { status: 'CANCELLED' });
    return { ApproximateNumberOfMessagesMoved: t.moved };
  });
}

/**
 * One step of every running task: moves what the task's rate allows for `tickMs`. Returns true
 * while any task is still running (the caller keeps ticking).
 */
export async function runMoveTasks(d: QueuesDeps, tickMs: number): Promise<boolean> {
  const tasks = await runningMoveTasks(d.store);
  for (const t of tasks) {
    const budget = t.max_per_second ? Math.max(1, Math.round((t.max_per_second * tickMs) / 1000)) : UNTHROTTLED_PER_TICK;
    const woken = new Set<number>();
    await d.store.transaction(async (tx) => {
      const current = await moveTaskByHandle(tx, t.task_handle);
      if (!current || current.status !== 'RUNNING') return; // cancelled meanwhile
      const source = await queueById(tx, t.source_queue_id);
      if (!source) return updateMoveTask(tx, t.id, { status: 'FAILED', failureReason: 'AWS.SimpleQueueService.NonExistentQueue' });
      const now = d.clock.ms();
      const rows = await movableMessages(tx, source.id, now, t.last_message_id, budget);
      let moved = current.moved;
      for (const row of rows) {
        const targetArn = t.destination_arn ?? row.dead_letter_source;
        const target = targetArn ? await queueFromArn(tx, targetArn) : undefined;
        if (!target) {
          return updateMoveTask(tx, t.id, { status: 'FAILED', moved, failureReason: 'AWS.SimpleQueueService.NonExistentQueue' });
        }
        // The same move as a redrive, the other way: the message keeps its id.
        await moveMessage(tx, row, target, null, now);
        woken.add(target.id);
        moved++;
      }
      const done = rows.length < budget;
      await updateMoveTask(tx, t.id, { moved, ...(done ? { status: 'COMPLETED' } : {}) });
    });
    for (const id of woken) d.waiters.notify(id);
  }
  return tasks.length > 0;
}
