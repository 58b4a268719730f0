/**
 * The message life cycle on standard queues: send, receive, visibility timeout, delete, change
 * visibility, batches with per-entry failures, delays, system attributes, retention, redrive.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT, REGION, harness, rejectsWith } from './harness.test.js';

test('send → receive → the message is invisible → reappears after the visibility timeout → delete', async () => {
  const h = await harness();
  const url = await h.queue('q', { VisibilityTimeout: '10' });
  const sent = await h.call('SendMessage', { QueueUrl: url, MessageBody: 'hello' });
  assert.equal(sent.MD5OfMessageBody, '5d41402abc4b2a76b9719d911017c592');
  assert.match(sent.MessageId, /^[0-9a-f-]{36}$/);
  const r1 = (await h.call('ReceiveMessage', { QueueUrl: url, AttributeNames: ['All'] })).Messages;
  assert.equal(r1.length, 1);
  assert.equal(r1[0].Body, 'hello');
  assert.equal(r1[0].MessageId, sent.MessageId);
  assert.equal(r1[0].MD5OfBody, sent.MD5OfMessageBody);
  assert.equal(r1[0].Attributes.ApproximateReceiveCount, '1');
  assert.equal(r1[0].Attributes.SenderId, 'AKIDTEST');
  assert.equal(r1[0].Attributes.SentTimestamp, String(Date.UTC(2024, 4, 1, 12)));
  assert.deepEqual(await h.call('ReceiveMessage', { QueueUrl: url }), {}, 'in flight');
  const counts = (await h.call('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['All'] })).Attributes;
  assert.equal(counts.ApproximateNumberOfMessages, '0');
  assert.equal(counts.ApproximateNumberOfMessagesNotVisible, '1');

  h.advance(10_000);
  const r2 = (await h.call('ReceiveMessage', { QueueUrl: url, MessageSystemAttributeNames: ['ApproximateReceiveCount', 'ApproximateFirstReceiveTimestamp'] })).Messages;
  assert.equal(r2[0].Attributes.ApproximateReceiveCount, '2');
  assert.equal(r2[0].Attributes.ApproximateFirstReceiveTimestamp, String(Date.UTC(2024, 4, 1, 12)));
  assert.notEqual(r2[0].ReceiptHandle, r1[0].ReceiptHandle);

  // the older handle no longer deletes (AWS: succeeds, message may stay); the newest one does
  await h.call('DeleteMessage', { QueueUrl: url, ReceiptHandle: r1[0].ReceiptHandle });
  h.advance(30_000);
  const r3 = (await h.call('ReceiveMessage', { QueueUrl: url })).Messages;
  assert.equal(r3.length, 1);
  await h.call('DeleteMessage', { QueueUrl: url, ReceiptHandle: r3[0].ReceiptHandle });
  await h.call('DeleteMessage', { QueueUrl: url, ReceiptHandle: r3[0].ReceiptHandle }); // again: still fine
  h.advance(60_000);
  assert.deepEqual(await h.call('ReceiveMessage', { QueueUrl: url }), {});
  await rejectsWith(h.call('DeleteMessage', { QueueUrl: url, ReceiptHandle: 'not-a-handle' }), 'ReceiptHandleIsInvalid');
  const other = await h.queue('other');
  await rejectsWith(h.call('DeleteMessage', { QueueUrl: other, ReceiptHandle: r3[0].ReceiptHandle }), 'ReceiptHandleIsInvalid');
  await h.close();
});

test('ReceiveMessage: MaxNumberOfMessages 1–10, VisibilityTimeout override, parameter ranges', async () => {
  const h = await harness();
  const url = await h.queue('many');
  for (let i = 0; i < 12; i++) await h.call('SendMessage', { QueueUrl: url, MessageBody: `m${i}` });
  const ten = (await h.call('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 5 })).Messages;
  assert.equal(ten.length, 10);
  assert.equal((await h.call('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10 })).Messages.length, 2);
  h.advance(5000);
  assert.equal((await h.call('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10 })).Messages.length, 10);
  await rejectsWith(h.call('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 11 }), 'InvalidParameterValue', /MaxNumberOfMessages/);
  await rejectsWith(h.call('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 0 }), 'InvalidParameterValue');
  await rejectsWith(h.call('ReceiveMessage', { QueueUrl: url, WaitTimeSeconds: 21 }), 'InvalidParameterValue', /WaitTimeSeconds/);
  await rejectsWith(h.call('ReceiveMessage', { QueueUrl: url, VisibilityTimeout: 43_201 }), 'InvalidParameterValue');
  await h.close();
});

test('message attributes: digests, filters on receive, binary values, size limit, invalid characters', async () => {
  const h = await harness();
  const url = await h.queue('attrs', { MaximumMessageSize: '1024' });
  const sent = await h.call('SendMessage', {
    QueueUrl: url, MessageBody: 'body',
    MessageAttributes: { attribName1: { DataType: 'String', StringValue: 'attribValue 1' }, 'bin.x': { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 2]) } },
    MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-5759e988-bd862e3fe1be46a994272793' } },
  });
  assert.match(sent.MD5OfMessageAttributes, /^[0-9a-f]{32}$/);
  assert.match(sent.MD5OfMessageSystemAttributes, /^[0-9a-f]{32}$/);
  const m = (await h.call('ReceiveMessage', { QueueUrl: url, MessageAttributeNames: ['attribName1'], AttributeNames: ['AWSTraceHeader'] })).Messages[0];
  assert.deepEqual(m.MessageAttributes, { attribName1: { DataType: 'String', StringValue: 'attribValue 1' } });
  assert.equal(m.MD5OfMessageAttributes, '19e27d4e946b072f3f58da80d94fd778', 'digest of what is returned');
  assert.deepEqual(m.Attributes, { AWSTraceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793' });
  await h.call('ChangeMessageVisibility', { QueueUrl: url, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 });
  const all = (await h.call('ReceiveMessage', { QueueUrl: url, MessageAttributeNames: ['All'] })).Messages[0];
  assert.equal(all.MD5OfMessageAttributes, sent.MD5OfMessageAttributes);
  assert.deepEqual(all.MessageAttributes['bin.x'].BinaryValue, Buffer.from([0, 1, 2]));
  assert.equal(all.Attributes, undefined, 'no system attributes asked for');

  await rejectsWith(h.call('SendMessage', { QueueUrl: url, MessageBody: 'x'.repeat(1025) }), 'InvalidParameterValue', /shorter than 1024 bytes/);
  await rejectsWith(h.call('SendMessage', { QueueUrl: url, MessageBody: 'x'.repeat(1000), MessageAttributes: { a: { DataType: 'String', StringValue: 'y'.repeat(30) } } }), 'InvalidParameterValue');
  await rejectsWith(h.call('SendMessage', { QueueUrl: url, MessageBody: 'nul \u0000' }), 'InvalidMessageContents');
  await rejectsWith(h.call('SendMessage', { QueueUrl: url, MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd' }), 'InvalidParameterValue');
  await h.close();
});

test('DelaySeconds: per message and per queue; delayed messages are counted and then delivered', async () => {
  const h = await harness();
  const url = await h.queue('delay', { DelaySeconds: '5', VisibilityTimeout: '600' });
  await h.call('SendMessage', { QueueUrl: url, MessageBody: 'queue-delay' });
  await h.call('SendMessage', { QueueUrl: url, MessageBody: 'no-delay', DelaySeconds: 0 });
  await h.call('SendMessage', { QueueUrl: url, MessageBody: 'long', DelaySeconds: 60 });
  await rejectsWith(h.call('SendMessage', { QueueUrl: url, MessageBody: 'x', DelaySeconds: 901 }), 'InvalidParameterValue', /DelaySeconds/);
  assert.equal((await h.call('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessagesDelayed'] })).Attributes.ApproximateNumberOfMessagesDelayed, '2');
  const now = await h.call('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10 });
  assert.deepEqual(now.Messages.map((m: any) => m.Body), ['no-delay']);
  h.advance(5000);
  assert.deepEqual((await h.call('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10 })).Messages.map((m: any) => m.Body), ['queue-delay']);
  h.advance(55_000);
  assert.deepEqual((await h.call('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10 })).Messages.map((m: any) => m.Body), ['long']);
  await h.close();
});

test('ChangeMessageVisibility: extends, releases (0), MessageNotInflight when not in flight', async () => {
  const h = await harness();
  const url = await h.queue('vis', { VisibilityTimeout: '30' });
  await h.call('SendMessage', { QueueUrl: url, MessageBody: 'm' });
  const m = (await h.call('ReceiveMessage', { QueueUrl: url })).Messages[0];
  await h.call('ChangeMessageVisibility', { QueueUrl: url, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 120 });
  h.advance(60_000);
  assert.deepEqual(await h.call('ReceiveMessage', { QueueUrl: url }), {}, 'extended past the queue default');
  h.advance(60_000);
  await rejectsWith(h.call('ChangeMessageVisibility', { QueueUrl: url, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 10 }), 'MessageNotInflight');
  const again = (await h.call('ReceiveMessage', { QueueUrl: url })).Messages[0];
  await h.call('ChangeMessageVisibility', { QueueUrl: url, ReceiptHandle: again.ReceiptHandle, VisibilityTimeout: 0 });
  assert.equal((await h.call('ReceiveMessage', { QueueUrl: url })).Messages.length, 1, 'visible again at once');
  await rejectsWith(h.call('ChangeMessageVisibility', { QueueUrl: url, ReceiptHandle: again.ReceiptHandle, VisibilityTimeout: 43_201 }), 'InvalidParameterValue');
  await h.close();
});

test('batches: per-entry failures next to successes; whole-batch errors with their Query names', async () => {
  const h = await harness();
  const url = await h.queue('batch', { VisibilityTimeout: '30' });
  const sent = await h.call('SendMessageBatch', {
    QueueUrl: url,
    Entries: [
      { Id: 'a', MessageBody: 'one' },
      { Id: 'b', MessageBody: 'bad \u0002' },
      { Id: 'c', MessageBody: 'three', DelaySeconds: 1000 },
      { Id: 'd', MessageBody: 'four', MessageAttributes: { k: { DataType: 'Number', StringValue: '12' } } },
    ],
  });
  assert.deepEqual(sent.Successful.map((s: any) => s.Id), ['a', 'd']);
  assert.equal(sent.Successful[0].MD5OfMessageBody, 'f97c5d29941bfb1b2fdab0874906ab82');
  assert.ok(sent.Successful[1].MD5OfMessageAttributes);
  assert.deepEqual(sent.Failed.map((f: any) => [f.Id, f.Code, f.SenderFault]), [['b', 'InvalidMessageContents', true], ['c', 'InvalidParameterValue', true]]);

  const batchError = async (p: Promise<unknown>, code: string) =>
    assert.rejects(p, (e: any) => e.code === code && e.queryCode === `AWS.SimpleQueueService.${code}`);
  await batchError(h.call('SendMessageBatch', { QueueUrl: url, Entries: [] }), 'EmptyBatchRequest');
  await batchError(h.call('SendMessageBatch', { QueueUrl: url, Entries: Array.from({ length: 11 }, (_, i) => ({ Id: `i${i}`, MessageBody: 'x' })) }), 'TooManyEntriesInBatchRequest');
  await batchError(h.call('SendMessageBatch', { QueueUrl: url, Entries: [{ Id: 'x', MessageBody: '1' }, { Id: 'x', MessageBody: '2' }] }), 'BatchEntryIdsNotDistinct');
  await batchError(h.call('SendMessageBatch', { QueueUrl: url, Entries: [{ Id: 'bad id!', MessageBody: '1' }] }), 'InvalidBatchEntryId');
  await batchError(h.call('SendMessageBatch', { QueueUrl: url, Entries: [{ Id: 'a', MessageBody: 'x'.repeat(200_000) }, { Id: 'b', MessageBody: 'x'.repeat(100_000) }] }), 'BatchRequestTooLong');

  const got = (await h.call('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10 })).Messages;
  assert.equal(got.length, 2);
  const changed = await h.call('ChangeMessageVisibilityBatch', {
    QueueUrl: url,
    Entries: [{ Id: 'v1', ReceiptHandle: got[0].ReceiptHandle, VisibilityTimeout: 0 }, { Id: 'v2', ReceiptHandle: 'junk', VisibilityTimeout: 0 }],
  });
  assert.deepEqual(changed.Successful, [{ Id: 'v1' }]);
  assert.deepEqual(changed.Failed.map((f: any) => [f.Id, f.Code]), [['v2', 'ReceiptHandleIsInvalid']]);
  const deleted = await h.call('DeleteMessageBatch', {
    QueueUrl: url,
    Entries: [{ Id: 'd1', ReceiptHandle: got[1].ReceiptHandle }, { Id: 'd2', ReceiptHandle: 'junk' }],
  });
  assert.deepEqual(deleted.Successful, [{ Id: 'd1' }]);
  assert.deepEqual(deleted.Failed.map((f: any) => [f.Id, f.Code, f.SenderFault]), [['d2', 'ReceiptHandleIsInvalid', true]]);
  const left = (await h.call('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10 })).Messages;
  assert.deepEqual(left.map((m: any) => m.Body), [got[0].Body]);
  await h.close();
});

test('retention: messages older than MessageRetentionPeriod are never delivered and are swept', async () => {
  const h = await harness();
  const url = await h.queue('short', { MessageRetentionPeriod: '60' });
  await h.call('SendMessage', { QueueUrl: url, MessageBody: 'old' });
  h.advance(30_000);
  await h.call('SendMessage', { QueueUrl: url, MessageBody: 'young' });
  h.advance(30_000);
  assert.deepEqual((await h.call('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 0 })).Messages.map((m: any) => m.Body), ['young']);
  assert.equal((await h.call('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] })).Attributes.ApproximateNumberOfMessages, '1');
  // the sweep runs from the service's background timer; here it is run directly
  const { Background } = await import('./background.js');
  const { createLogger } = await import('../../core/log.js');
  const { Waiters } = await import('./waiters.js');
  const rows = async () => (await h.store.one<{ n: number }>('SELECT count(*) AS n FROM sqs_messages'))!.n;
  assert.equal(await rows(), 2);
  await new Background({ store: h.store, clock: h.clock, log: createLogger('silent'), publicUrl: '', waiters: new Waiters(), wakeMoves() {} }).sweep();
  assert.equal(await rows(), 1);
  await h.close();
});

test('redrive: received maxReceiveCount times, the next receive moves it to the DLQ (same id, source recorded)', async () => {
  const h = await harness();
  const dlq = await h.queue('dlq');
  const src = await h.queue('src', {
    VisibilityTimeout: '1',
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:dlq`, maxReceiveCount: 2 }),
  });
  const { MessageId } = await h.call('SendMessage', { QueueUrl: src, MessageBody: 'poison' });
  await h.call('SendMessage', { QueueUrl: src, MessageBody: 'fine', DelaySeconds: 5 });
  for (let i = 1; i <= 2; i++) {
    const m = (await h.call('ReceiveMessage', { QueueUrl: src })).Messages;
    assert.equal(m[0].Body, 'poison', `receive ${i}`);
    h.advance(1000);
  }
  assert.deepEqual(await h.call('ReceiveMessage', { QueueUrl: src }), {}, 'third receive: moved, not delivered');
  const d = (await h.call('ReceiveMessage', { QueueUrl: dlq, AttributeNames: ['All'] })).Messages[0];
  assert.equal(d.Body, 'poison');
  assert.equal(d.MessageId, MessageId);
  assert.equal(d.Attributes.DeadLetterQueueSourceArn, `arn:aws:sqs:${REGION}:${ACCOUNT}:src`);
  assert.equal(d.Attributes.ApproximateReceiveCount, '1');
  h.advance(5000);
  assert.equal((await h.call('ReceiveMessage', { QueueUrl: src })).Messages[0].Body, 'fine');
  await h.close();
});
