/**
 * The service as others see it: its definition (model, protocols, a handler per operation, the
 * Query names put back), the `sqs` target, and everything surviving a reopen of the data dir —
 * receipt handles included.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { queryCodec } from '../../protocols/query.js';
import type { WireRequest } from '../../protocols/codec.js';
import { OPERATION_NAMES } from './api.js';
import { ACCOUNT, REGION, harness } from './harness.test.js';

const wireRequest = (over: Partial<WireRequest>): WireRequest => ({ method: 'POST', path: '/', rawQuery: '', headers: {}, body: Buffer.alloc(0), ...over });

test('the service definition: names, protocols, a handler per operation of the model, data events not audited', async () => {
  const h = await harness();
  const s = h.service;
  assert.deepEqual([s.name, s.signingName, s.eventSource, s.protocols], ['sqs', 'sqs', 'sqs.amazonaws.com', ['json', 'query']]);
  assert.equal(s.model.metadata.targetPrefix, 'AmazonSQS');
  assert.equal(s.model.metadata.awsQueryCompatible, true);
  assert.deepEqual(Object.keys(s.model.operations).sort(), [...OPERATION_NAMES].sort());
  assert.equal(s.isReadOnly!('SendMessage'), true);
  assert.equal(s.isReadOnly!('CreateQueue'), false);
  assert.equal(s.isReadOnly!('GetQueueAttributes'), true);
  await h.close();
});

test('Query names: batch entries, tags and attribute names are read; messages and attributes are written as AWS does', async () => {
  const h = await harness();
  const ops = h.service.model.operations;
  const ctx = { requestId: 'r', service: h.service.model };
  const form = (body: string) => wireRequest({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.from(body) });
  const batch = queryCodec.parse(form(
    'Action=SendMessageBatch&QueueUrl=q&SendMessageBatchRequestEntry.1.Id=a&SendMessageBatchRequestEntry.1.MessageBody=x' +
    '&SendMessageBatchRequestEntry.1.MessageAttribute.1.Name=k&SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.DataType=String' +
    '&SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue=v&SendMessageBatchRequestEntry.2.Id=b&SendMessageBatchRequestEntry.2.MessageBody=y',
  ), ops.SendMessageBatch, ctx);
  assert.deepEqual(batch, { QueueUrl: 'q', Entries: [{ Id: 'a', MessageBody: 'x', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } }, { Id: 'b', MessageBody: 'y' }] });
  assert.deepEqual(queryCodec.parse(form('Action=TagQueue&QueueUrl=q&Tag.1.Key=a&Tag.1.Value=1&Tag.2.Key=b&Tag.2.Value='), ops.TagQueue, ctx),
    { QueueUrl: 'q', Tags: { a: '1', b: '' } });
  assert.deepEqual(queryCodec.parse(form('Action=UntagQueue&QueueUrl=q&TagKey.1=a&TagKey.2=b'), ops.UntagQueue, ctx), { QueueUrl: 'q', TagKeys: ['a', 'b'] });
  assert.deepEqual(queryCodec.parse(form('Action=DeleteMessageBatch&QueueUrl=q&DeleteMessageBatchRequestEntry.1.Id=a&DeleteMessageBatchRequestEntry.1.ReceiptHandle=h'), ops.DeleteMessageBatch, ctx),
    { QueueUrl: 'q', Entries: [{ Id: 'a', ReceiptHandle: 'h' }] });
  assert.deepEqual(queryCodec.parse(form('Action=ChangeMessageVisibilityBatch&QueueUrl=q&ChangeMessageVisibilityBatchRequestEntry.1.Id=a&ChangeMessageVisibilityBatchRequestEntry.1.ReceiptHandle=h&ChangeMessageVisibilityBatchRequestEntry.1.VisibilityTimeout=5'), ops.ChangeMessageVisibilityBatch, ctx),
    { QueueUrl: 'q', Entries: [{ Id: 'a', ReceiptHandle: 'h', VisibilityTimeout: 5 }] });
  assert.deepEqual(queryCodec.parse(form('Action=AddPermission&QueueUrl=q&Label=l&AWSAccountId.1=1&ActionName.1=SendMessage'), ops.AddPermission, ctx),
    { QueueUrl: 'q', Label: 'l', AWSAccountIds: ['1'], Actions: ['SendMessage'] });

  const out = String(queryCodec.serialize({
    Messages: [{ MessageId: 'm', Body: 'b', Attributes: { SenderId: 's' }, MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } }],
  }, ops.ReceiveMessage, ctx).body);
  assert.match(out, /<ReceiveMessageResult><Message><MessageId>m<\/MessageId><Body>b<\/Body><Attribute><Name>SenderId<\/Name><Value>s<\/Value><\/Attribute><MessageAttribute><Name>k<\/Name><Value><StringValue>v<\/StringValue><DataType>String<\/DataType><\/Value><\/MessageAttribute><\/Message><\/ReceiveMessageResult>/);
  const batchOut = String(queryCodec.serialize({ Successful: [{ Id: 'a' }], Failed: [{ Id: 'b', SenderFault: true, Code: 'X', Message: 'm' }] }, ops.DeleteMessageBatch, ctx).body);
  assert.match(batchOut, /<DeleteMessageBatchResultEntry><Id>a<\/Id><\/DeleteMessageBatchResultEntry><BatchResultErrorEntry><Id>b<\/Id><SenderFault>true<\/SenderFault><Code>X<\/Code><Message>m<\/Message><\/BatchResultErrorEntry>/);
  assert.match(String(queryCodec.serialize({ QueueUrls: ['u1', 'u2'] }, ops.ListQueues, ctx).body), /<QueueUrl>u1<\/QueueUrl><QueueUrl>u2<\/QueueUrl>/);
  assert.match(String(queryCodec.serialize({ Attributes: { A: '1' } }, ops.GetQueueAttributes, ctx).body), /<Attribute><Name>A<\/Name><Value>1<\/Value><\/Attribute>/);
  assert.match(String(queryCodec.serialize({ Tags: { k: 'v' } }, ops.ListQueueTags, ctx).body), /<Tag><Key>k<\/Key><Value>v<\/Value><\/Tag>/);
  await h.close();
});

test('the sqs target: by ARN, FIFO ids honoured, SNS as sender, unknown queues and refused messages not retried', async () => {
  const h = await harness();
  const url = await h.queue('t');
  const fifo = await h.queue('t.fifo', { FifoQueue: 'true' });
  const sent = await h.targets.send(`arn:aws:sqs:${REGION}:${ACCOUNT}:t`, {
    body: '{"Type":"Notification"}', sourceService: 'sns.amazonaws.com', deduplicationId: 'ignored-on-standard',
    attributes: { k: { DataType: 'Binary', BinaryValue: Buffer.from('bin').toString('base64') } },
  });
  assert.equal(sent.ok, true);
  const m = (await h.call('ReceiveMessage', { QueueUrl: url, AttributeNames: ['SenderId'], MessageAttributeNames: ['All'] })).Messages[0];
  assert.equal(m.Body, '{"Type":"Notification"}');
  assert.equal(m.Attributes.SenderId, 'AIDAIT2UOQQY3AUEKVGXU');
  assert.deepEqual(m.MessageAttributes.k.BinaryValue, Buffer.from('bin'));
  assert.ok(sent.ok && sent.id === m.MessageId);

  const f1 = await h.targets.send(`arn:aws:sqs:${REGION}:${ACCOUNT}:t.fifo`, { body: 'x', groupId: 'g', deduplicationId: 'd' });
  const f2 = await h.targets.send(`arn:aws:sqs:${REGION}:${ACCOUNT}:t.fifo`, { body: 'x', groupId: 'g', deduplicationId: 'd' });
  assert.ok(f1.ok && f2.ok && f1.id === f2.id, 'deduplicated');
  const fm = (await h.call('ReceiveMessage', { QueueUrl: fifo, MaxNumberOfMessages: 10, AttributeNames: ['All'] })).Messages;
  assert.equal(fm.length, 1);
  assert.equal(fm[0].Attributes.MessageGroupId, 'g');

  const missing = await h.targets.send(`arn:aws:sqs:${REGION}:${ACCOUNT}:nope`, { body: 'x' });
  assert.deepEqual(missing.ok ? undefined : [missing.retryable, missing.code], [false, 'AWS.SimpleQueueService.NonExistentQueue']);
  const refused = await h.targets.send(`arn:aws:sqs:${REGION}:${ACCOUNT}:t.fifo`, { body: 'no group' });
  assert.equal(refused.ok, false);
  assert.equal(!refused.ok && refused.retryable, false);
  await h.close();
});

test('messages, in-flight state, receipt handles and FIFO dedup survive closing and reopening the data dir', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sbx-sqs-'));
  try {
    const first = await harness({ dataDir: dir });
    const url = await first.queue('keep', { VisibilityTimeout: '60' });
    const f = await first.queue('keep.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    await first.call('SendMessage', { QueueUrl: url, MessageBody: 'in flight' });
    await first.call('SendMessage', { QueueUrl: url, MessageBody: 'waiting', DelaySeconds: 1 });
    const s1 = await first.call('SendMessage', { QueueUrl: f, MessageBody: 'once', MessageGroupId: 'g' });
    const handle = (await first.call('ReceiveMessage', { QueueUrl: url })).Messages[0].ReceiptHandle;
    await first.close();

    const second = await harness({ dataDir: dir });
    assert.deepEqual((await second.call('ReceiveMessage', { QueueUrl: url })), {}, 'still in flight, still delayed');
    await second.call('ChangeMessageVisibility', { QueueUrl: url, ReceiptHandle: handle, VisibilityTimeout: 120 });
    await second.call('DeleteMessage', { QueueUrl: url, ReceiptHandle: handle });
    second.advance(1000);
    assert.deepEqual((await second.call('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10 })).Messages.map((m: any) => m.Body), ['waiting']);
    assert.equal((await second.call('SendMessage', { QueueUrl: f, MessageBody: 'once', MessageGroupId: 'g' })).MessageId, s1.MessageId);
    await second.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
