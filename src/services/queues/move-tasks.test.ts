/**
 * Message move tasks: dead-lettered messages back to their source queue, or to a destination;
 * listing, cancelling, the rules on the source, and progress kept in the store.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../../core/log.js';
import type { QueuesDeps } from './context.js';
import { ACCOUNT, REGION, harness, rejectsWith, type Harness } from './harness.test.js';
import { runMoveTasks } from './move-tasks.js';
import { Waiters } from './waiters.js';

const arn = (n: string) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${n}`;

/** A source queue whose 3 messages have been dead-lettered. */
async function deadLettered(h: Harness): Promise<{ src: string; dlq: string }> {
  const dlq = await h.queue('dlq');
  const src = await h.queue('src', { VisibilityTimeout: '1', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn('dlq'), maxReceiveCount: 1 }) });
  for (const b of ['m1', 'm2', 'm3']) await h.call('SendMessage', { QueueUrl: src, MessageBody: b });
  await h.call('ReceiveMessage', { QueueUrl: src, MaxNumberOfMessages: 10 });
  h.advance(1000);
  await h.call('ReceiveMessage', { QueueUrl: src, MaxNumberOfMessages: 10 });
  assert.equal((await h.call('GetQueueAttributes', { QueueUrl: dlq, AttributeNames: ['ApproximateNumberOfMessages'] })).Attributes.ApproximateNumberOfMessages, '3');
  return { src, dlq };
}

function deps(h: Harness): QueuesDeps {
  return { store: h.store, clock: h.clock, log: createLogger('silent'), publicUrl: '', waiters: new Waiters(), wakeMoves() {} };
}

test('a move task returns dead-lettered messages to the queue they came from', async () => {
  const h = await harness();
  const { src, dlq } = await deadLettered(h);
  const { TaskHandle } = await h.call('StartMessageMoveTask', { SourceArn: arn('dlq') });
  assert.ok(TaskHandle);
  const running = (await h.call('ListMessageMoveTasks', { SourceArn: arn('dlq') })).Results;
  assert.equal(running.length, 1);
  assert.equal(running[0].Status, 'RUNNING');
  assert.equal(running[0].TaskHandle, TaskHandle);
  assert.equal(running[0].ApproximateNumberOfMessagesToMove, 3);
  await rejectsWith(h.call('StartMessageMoveTask', { SourceArn: arn('dlq') }), 'UnsupportedOperation');

  assert.equal(await runMoveTasks(deps(h), 200), true);
  const done = (await h.call('ListMessageMoveTasks', { SourceArn: arn('dlq'), MaxResults: 10 })).Results[0];
  assert.deepEqual([done.Status, done.ApproximateNumberOfMessagesMoved, done.TaskHandle], ['COMPLETED', 3, undefined]);
  assert.equal(await runMoveTasks(deps(h), 200), false, 'nothing left to run');
  const back = await h.call('ReceiveMessage', { QueueUrl: src, MaxNumberOfMessages: 10, AttributeNames: ['All'] });
  assert.deepEqual(back.Messages.map((m: any) => m.Body).sort(), ['m1', 'm2', 'm3']);
  assert.equal(back.Messages[0].Attributes.DeadLetterQueueSourceArn, undefined);
  assert.deepEqual(await h.call('ReceiveMessage', { QueueUrl: dlq }), {});
  await h.close();
});

test('a move task to a destination, throttled by MaxNumberOfMessagesPerSecond, and cancelled midway', async () => {
  const h = await harness();
  await deadLettered(h);
  const dest = await h.queue('dest');
  const { TaskHandle } = await h.call('StartMessageMoveTask', { SourceArn: arn('dlq'), DestinationArn: arn('dest'), MaxNumberOfMessagesPerSecond: 5 });
  await runMoveTasks(deps(h), 200); // 5/s over 200 ms: one message
  assert.equal((await h.call('ReceiveMessage', { QueueUrl: dest, MaxNumberOfMessages: 10 })).Messages.length, 1);
  const cancelled = await h.call('CancelMessageMoveTask', { TaskHandle });
  assert.equal(cancelled.ApproximateNumberOfMessagesMoved, 1);
  await runMoveTasks(deps(h), 200);
  const t = (await h.call('ListMessageMoveTasks', { SourceArn: arn('dlq') })).Results[0];
  assert.deepEqual([t.Status, t.ApproximateNumberOfMessagesMoved, t.DestinationArn, t.MaxNumberOfMessagesPerSecond], ['CANCELLED', 1, arn('dest'), 5]);
  await rejectsWith(h.call('CancelMessageMoveTask', { TaskHandle }), 'InvalidParameterValue');
  await h.close();
});

test('the source must exist and be a dead-letter queue; the destination must exist', async () => {
  const h = await harness();
  await h.queue('plain');
  await assert.rejects(h.call('StartMessageMoveTask', { SourceArn: arn('nope') }), (e: any) => e.code === 'ResourceNotFoundException' && e.status === 404);
  await rejectsWith(h.call('StartMessageMoveTask', { SourceArn: arn('plain') }), 'InvalidParameterValue', /Dead Letter Queue/);
  await deadLettered(h);
  await rejectsWith(h.call('StartMessageMoveTask', { SourceArn: arn('dlq'), DestinationArn: arn('missing') }), 'ResourceNotFoundException');
  await rejectsWith(h.call('StartMessageMoveTask', { SourceArn: arn('dlq'), MaxNumberOfMessagesPerSecond: 501 }), 'InvalidParameterValue');
  await rejectsWith(h.call('ListMessageMoveTasks', { SourceArn: arn('nope') }), 'ResourceNotFoundException');
  await rejectsWith(h.call('CancelMessageMoveTask', { TaskHandle: 'bm9wZQ==' }), 'ResourceNotFoundException');
  assert.deepEqual(await h.call('ListMessageMoveTasks', { SourceArn: arn('dlq') }), { Results: [] });
  await h.close();
});
