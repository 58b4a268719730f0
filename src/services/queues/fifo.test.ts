/**
 * FIFO queues: order within a message group, a group with a message in flight is blocked while
 * other groups flow, the 5-minute deduplication window (explicit and content-based, per queue or
 * per group), sequence numbers, and the FIFO-only parameter rules.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, rejectsWith } from './harness.test.js';

const bodies = (r: any) => (r.Messages ?? []).map((m: any) => m.Body);

test('order within a group; a group with a message in flight waits; other groups go on', async () => {
  const h = await harness();
  const url = await h.queue('o.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true', VisibilityTimeout: '30' });
  for (const [g, b] of [['a', 'a1'], ['b', 'b1'], ['a', 'a2'], ['b', 'b2'], ['a', 'a3']]) {
    await h.call('SendMessage', { QueueUrl: url, MessageBody: b, MessageGroupId: g });
  }
  const first = await h.call('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 2, AttributeNames: ['All'] });
  assert.deepEqual(bodies(first), ['a1', 'b1']);
  assert.equal(first.Messages[0].Attributes.MessageGroupId, 'a');
  assert.match(first.Messages[0].Attributes.SequenceNumber, /^\d{20}$/);
  assert.ok(first.Messages[0].Attributes.MessageDeduplicationId);
  assert.deepEqual(bodies(await h.call('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10 })), [], 'both groups blocked');
  await h.call('DeleteMessage', { QueueUrl: url, ReceiptHandle: first.Messages[0].ReceiptHandle });
  assert.deepEqual(bodies(await h.call('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10 })), ['a2', 'a3'], 'group a continues in order; b still blocked');
  h.advance(30_000);
  // b1 was never deleted: it comes back first, before b2, and a's messages came back too
  assert.deepEqual(bodies(await h.call('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10 })), ['b1', 'a2', 'b2', 'a3']);
  await h.close();
});

test('deduplication: explicit ids and content-based, within 5 minutes; sequence numbers increase', async () => {
  const h = await harness();
  const url = await h.queue('d.fifo', { FifoQueue: 'true' });
  await rejectsWith(h.call('SendMessage', { QueueUrl: url, MessageBody: 'x', MessageGroupId: 'g' }), 'InvalidParameterValue', /ContentBasedDeduplication/);
  await rejectsWith(h.call('SendMessage', { QueueUrl: url, MessageBody: 'x', MessageDeduplicationId: 'd' }), 'MissingParameter', /MessageGroupId/);
  await rejectsWith(h.call('SendMessage', { QueueUrl: url, MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd', DelaySeconds: 5 }), 'InvalidParameterValue');
  await rejectsWith(h.call('SendMessage', { QueueUrl: url, MessageBody: 'x', MessageGroupId: 'g x', MessageDeduplicationId: 'd' }), 'InvalidParameterValue');
  const s1 = await h.call('SendMessage', { QueueUrl: url, MessageBody: 'one', MessageGroupId: 'g', MessageDeduplicationId: 'd1' });
  const dup = await h.call('SendMessage', { QueueUrl: url, MessageBody: 'one again', MessageGroupId: 'other', MessageDeduplicationId: 'd1' });
  assert.equal(dup.MessageId, s1.MessageId, 'a duplicate answers with the original message id');
  assert.equal(dup.SequenceNumber, s1.SequenceNumber);
  const s2 = await h.call('SendMessage', { QueueUrl: url, MessageBody: 'two', MessageGroupId: 'g', MessageDeduplicationId: 'd2' });
  assert.ok(BigInt(s2.SequenceNumber) > BigInt(s1.SequenceNumber));
  h.advance(5 * 60_000);
  const s3 = await h.call('SendMessage', { QueueUrl: url, MessageBody: 'one', MessageGroupId: 'g', MessageDeduplicationId: 'd1' });
  assert.notEqual(s3.MessageId, s1.MessageId, 'after 5 minutes the id is new again');
  assert.deepEqual(bodies(await h.call('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10 })), ['one', 'two', 'one']);

  const cbd = await h.queue('c.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
  const c1 = await h.call('SendMessage', { QueueUrl: cbd, MessageBody: 'same', MessageGroupId: 'g' });
  const c2 = await h.call('SendMessage', { QueueUrl: cbd, MessageBody: 'same', MessageGroupId: 'g', MessageAttributes: { a: { DataType: 'String', StringValue: 'differs' } } });
  assert.equal(c2.MessageId, c1.MessageId, 'the body alone decides (attributes do not count)');
  const c3 = await h.call('SendMessage', { QueueUrl: cbd, MessageBody: 'same', MessageGroupId: 'g', MessageDeduplicationId: 'explicit' });
  assert.notEqual(c3.MessageId, c1.MessageId, 'an explicit id overrides the content hash');
  // a deleted message's id stays deduplicated until the window ends
  const got = await h.call('ReceiveMessage', { QueueUrl: cbd, MaxNumberOfMessages: 10 });
  for (const m of got.Messages) await h.call('DeleteMessage', { QueueUrl: cbd, ReceiptHandle: m.ReceiptHandle });
  assert.equal((await h.call('SendMessage', { QueueUrl: cbd, MessageBody: 'same', MessageGroupId: 'g' })).MessageId, c1.MessageId);
  assert.deepEqual(await h.call('ReceiveMessage', { QueueUrl: cbd }), {});
  await h.close();
});

test('DeduplicationScope=messageGroup: the same id in two groups is two messages', async () => {
  const h = await harness();
  const url = await h.queue('g.fifo', { FifoQueue: 'true', DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' });
  const a = await h.call('SendMessage', { QueueUrl: url, MessageBody: 'x', MessageGroupId: 'a', MessageDeduplicationId: 'same' });
  const b = await h.call('SendMessage', { QueueUrl: url, MessageBody: 'x', MessageGroupId: 'b', MessageDeduplicationId: 'same' });
  const a2 = await h.call('SendMessage', { QueueUrl: url, MessageBody: 'x', MessageGroupId: 'a', MessageDeduplicationId: 'same' });
  assert.notEqual(a.MessageId, b.MessageId);
  assert.equal(a2.MessageId, a.MessageId);
  assert.equal((await h.call('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10 })).Messages.length, 2);
  await h.close();
});

test('SendMessageBatch on a FIFO queue keeps the entries in order and deduplicates within the batch', async () => {
  const h = await harness();
  const url = await h.queue('b.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
  const r = await h.call('SendMessageBatch', {
    QueueUrl: url,
    Entries: [
      { Id: '1', MessageBody: 'm1', MessageGroupId: 'g' },
      { Id: '2', MessageBody: 'm2', MessageGroupId: 'g' },
      { Id: '3', MessageBody: 'm1', MessageGroupId: 'g' },
      { Id: '4', MessageBody: 'm4' },
    ],
  });
  assert.deepEqual(r.Successful.map((s: any) => s.Id), ['1', '2', '3']);
  assert.equal(r.Successful[2].MessageId, r.Successful[0].MessageId);
  assert.deepEqual(r.Failed.map((f: any) => [f.Id, f.Code]), [['4', 'MissingParameter']]);
  assert.deepEqual(bodies(await h.call('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10 })), ['m1', 'm2']);
  await h.close();
});

test('redrive on a FIFO queue keeps the group order in the FIFO dead-letter queue', async () => {
  const h = await harness();
  const dlq = await h.queue('dead.fifo', { FifoQueue: 'true' });
  const url = await h.queue('src.fifo', {
    FifoQueue: 'true', ContentBasedDeduplication: 'true', VisibilityTimeout: '5',
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:eu-west-1:111122223333:dead.fifo', maxReceiveCount: 1 }),
  });
  await h.call('SendMessage', { QueueUrl: url, MessageBody: 'p1', MessageGroupId: 'g' });
  await h.call('SendMessage', { QueueUrl: url, MessageBody: 'p2', MessageGroupId: 'g' });
  assert.deepEqual(bodies(await h.call('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10 })), ['p1', 'p2']);
  h.advance(5000);
  assert.deepEqual(bodies(await h.call('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10 })), []);
  const dead = await h.call('ReceiveMessage', { QueueUrl: dlq, MaxNumberOfMessages: 10, AttributeNames: ['MessageGroupId'] });
  assert.deepEqual(bodies(dead), ['p1', 'p2']);
  assert.equal(dead.Messages[0].Attributes.MessageGroupId, 'g');
  await h.close();
});
