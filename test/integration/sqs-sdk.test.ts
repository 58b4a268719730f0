/**
 * SQS end to end: the built `signalbox start` in a child process, driven by the real
 * `@aws-sdk/client-sqs` over both wire protocols it can speak: AWS JSON 1.0 (the default) and
 * Query (`protocol: AwsQueryProtocol`, what older SDKs and Debian's CLI send). Each protocol runs
 * the same checks on its own queues: visibility timeout, FIFO order and deduplication, batches
 * with per-entry failures, long polling, redrive and a move task back, errors with their legacy
 * codes, and messages surviving a restart. The SDK verifies every MD5 it is sent.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AwsQueryProtocol } from '@aws-sdk/core/protocols';
import {
  ChangeMessageVisibilityBatchCommand, CreateQueueCommand, DeleteMessageBatchCommand, DeleteMessageCommand, GetQueueAttributesCommand,
  GetQueueUrlCommand, ListDeadLetterSourceQueuesCommand, ListMessageMoveTasksCommand, ListQueuesCommand, ListQueueTagsCommand,
  PurgeQueueCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, SetQueueAttributesCommand,
  SQSClient, StartMessageMoveTaskCommand, TagQueueCommand, UntagQueueCommand,
} from '@aws-sdk/client-sqs';
import { clientConfig, startServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.dispose();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function fails(p: Promise<unknown>, name: string, code?: string, status = 400): Promise<any> {
  let err: any;
  await assert.rejects(p, (e: any) => {
    err = e;
    assert.equal(e.name, name, `expected ${name}, got ${e.name}: ${e.message}`);
    if (code) assert.equal(e.Code ?? e.name, code);
    assert.equal(e.$metadata?.httpStatusCode, status);
    return true;
  });
  return err;
}

const PROTOCOLS = [
  { label: 'JSON 1.0', prefix: 'j', extra: {} },
  { label: 'Query', prefix: 'q', extra: { protocol: AwsQueryProtocol } },
] as const;

for (const { label, prefix, extra } of PROTOCOLS) {
  describe(`SQS over ${label}`, () => {
    let sqs: SQSClient;
    const name = (n: string) => `${prefix}-${n}`;
    const create = async (n: string, Attributes?: Record<string, string>) =>
      (await sqs.send(new CreateQueueCommand({ QueueName: name(n), Attributes }))).QueueUrl!;
    before(() => {
      sqs = new SQSClient({ ...clientConfig(server), ...extra });
    });
    after(() => sqs?.destroy());

    test('queues: create (idempotent), URL, attributes, list, tags, QueueDoesNotExist with its legacy code', async () => {
      const url = await create('basic', { VisibilityTimeout: '45' });
      assert.equal(url, `${server.url}/000000000000/${name('basic')}`);
      assert.equal(await create('basic', { VisibilityTimeout: '45' }), url);
      await fails(create('basic', { VisibilityTimeout: '46' }), 'QueueNameExists');
      assert.equal((await sqs.send(new GetQueueUrlCommand({ QueueName: name('basic') }))).QueueUrl, url);
      const attrs = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Attributes!;
      assert.equal(attrs.VisibilityTimeout, '45');
      assert.equal(attrs.QueueArn, `arn:aws:sqs:us-east-1:000000000000:${name('basic')}`);
      assert.equal(attrs.ApproximateNumberOfMessages, '0');
      await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { DelaySeconds: '1' } }));
      const listed = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: `${prefix}-basic` }));
      assert.deepEqual(listed.QueueUrls, [url]);
      await sqs.send(new TagQueueCommand({ QueueUrl: url, Tags: { team: 'ops', env: 'dev' } }));
      await sqs.send(new UntagQueueCommand({ QueueUrl: url, TagKeys: ['env'] }));
      assert.deepEqual((await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags, { team: 'ops' });
      const missing = await fails(sqs.send(new GetQueueUrlCommand({ QueueName: 'absent' })), 'QueueDoesNotExist');
      // the legacy code: from <Code> over Query, from x-amzn-query-error over JSON
      assert.equal(missing.Code, 'AWS.SimpleQueueService.NonExistentQueue');
      await fails(sqs.send(new SendMessageCommand({ QueueUrl: `${server.url}/000000000000/absent`, MessageBody: 'x' })), 'QueueDoesNotExist');
      await fails(create('bad', { VisibilityTimeout: 'soon' }), 'InvalidAttributeValue');
      await fails(create('bad', { Nope: '1' }), 'InvalidAttributeName');
    });

    test('send with attributes, receive (MD5s verified by the SDK), visibility timeout expiry redelivers, delete', async () => {
      const url = await create('vis', { VisibilityTimeout: '1' });
      const sent = await sqs.send(new SendMessageCommand({
        QueueUrl: url, MessageBody: 'hello <&> "world"\r\n',
        MessageAttributes: { s: { DataType: 'String', StringValue: 'v' }, n: { DataType: 'Number', StringValue: '42' }, b: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]) } },
      }));
      assert.ok(sent.MessageId && sent.MD5OfMessageAttributes);
      const r1 = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }));
      const m = r1.Messages![0];
      assert.equal(m.Body, 'hello <&> "world"\r\n');
      assert.equal(m.MD5OfMessageAttributes, sent.MD5OfMessageAttributes);
      assert.equal(m.MessageAttributes!.n.StringValue, '42');
      assert.deepEqual(Buffer.from(m.MessageAttributes!.b.BinaryValue!), Buffer.from([1, 2, 3]));
      assert.equal(m.Attributes!.ApproximateReceiveCount, '1');
      assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages, undefined);
      await sleep(1100);
      const r2 = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
      assert.equal(r2.Messages![0].MessageId, m.MessageId);
      assert.equal(r2.Messages![0].Attributes!.ApproximateReceiveCount, '2');
      await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: r2.Messages![0].ReceiptHandle }));
      await sleep(1100);
      assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages, undefined);
      await fails(sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: 'bogus' })), 'ReceiptHandleIsInvalid', undefined, 404);
    });

    test('errors: oversize message, invalid characters, bad parameters', async () => {
      const url = await create('errors');
      const big = await fails(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x'.repeat(262_145) })), 'InvalidParameterValue');
      assert.match(big.message, /shorter than 262144 bytes/);
      await fails(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'bell \u0007' })), 'InvalidMessageContents');
      await fails(sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 11 })), 'InvalidParameterValue');
      await fails(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageAttributes: { 'AWS.x': { DataType: 'String', StringValue: 'v' } } })), 'InvalidParameterValue');
      await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
      await fails(sqs.send(new PurgeQueueCommand({ QueueUrl: url })), 'PurgeQueueInProgress', undefined, 403);
    });

    test('FIFO: order per group, a busy group waits, the deduplication window', async () => {
      const url = await create('orders.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
      for (const [g, b] of [['a', 'a1'], ['b', 'b1'], ['a', 'a2'], ['a', 'a3']]) {
        await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: b, MessageGroupId: g }));
      }
      const dup = await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'a1', MessageGroupId: 'a' }));
      const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 1, MessageSystemAttributeNames: ['All'] }));
      assert.equal(first.Messages![0].Body, 'a1');
      assert.equal(first.Messages![0].MessageId, dup.MessageId, 'the duplicate answered with the original id');
      assert.ok(first.Messages![0].Attributes!.SequenceNumber);
      const rest = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
      assert.deepEqual(rest.Messages!.map((m) => m.Body), ['b1'], 'group a is blocked by a1 in flight');
      await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first.Messages![0].ReceiptHandle }));
      const next = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
      assert.deepEqual(next.Messages!.map((m) => m.Body), ['a2', 'a3']);
      await fails(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' })), 'MissingParameter');
    });

    test('batches and their per-entry failures', async () => {
      const url = await create('batch');
      const sent = await sqs.send(new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'ok1', MessageBody: 'one', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } },
          { Id: 'bad', MessageBody: 'two', DelaySeconds: 901 },
          { Id: 'ok2', MessageBody: 'three' },
        ],
      }));
      assert.deepEqual(sent.Successful!.map((s) => s.Id), ['ok1', 'ok2']);
      assert.deepEqual(sent.Failed!.map((f) => [f.Id, f.Code, f.SenderFault]), [['bad', 'InvalidParameterValue', true]]);
      await fails(sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [] })), 'EmptyBatchRequest');
      await fails(sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'x', MessageBody: '1' }, { Id: 'x', MessageBody: '2' }] })), 'BatchEntryIdsNotDistinct');
      const got = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }))).Messages!;
      assert.equal(got.length, 2);
      const vis = await sqs.send(new ChangeMessageVisibilityBatchCommand({
        QueueUrl: url, Entries: [{ Id: 'v', ReceiptHandle: got[0].ReceiptHandle, VisibilityTimeout: 60 }, { Id: 'w', ReceiptHandle: 'junk', VisibilityTimeout: 1 }],
      }));
      assert.deepEqual(vis.Successful!.map((s) => s.Id), ['v']);
      assert.deepEqual(vis.Failed!.map((f) => [f.Id, f.Code]), [['w', 'ReceiptHandleIsInvalid']]);
      const del = await sqs.send(new DeleteMessageBatchCommand({
        QueueUrl: url, Entries: got.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })).concat([{ Id: 'junk', ReceiptHandle: 'junk' }]),
      }));
      assert.deepEqual(del.Successful!.map((s) => s.Id), ['d0', 'd1']);
      assert.deepEqual(del.Failed!.map((f) => f.Id), ['junk']);
    });

    test('long polling returns as soon as a message arrives', async () => {
      const url = await create('poll');
      const t0 = Date.now();
      const waiting = sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 10 }));
      await sleep(300);
      await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'arrived' }));
      const got = await waiting;
      assert.equal(got.Messages![0].Body, 'arrived');
      assert.ok(Date.now() - t0 < 3000, `answered after ${Date.now() - t0} ms`);
    });

    test('redrive to the DLQ after maxReceiveCount, then a move task takes it back', async () => {
      const dlq = await create('dlq');
      const dlqArn = `arn:aws:sqs:us-east-1:000000000000:${name('dlq')}`;
      const src = await create('src', { VisibilityTimeout: '1', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: '2' }) });
      await sqs.send(new SendMessageCommand({ QueueUrl: src, MessageBody: 'poison' }));
      for (let i = 0; i < 2; i++) {
        assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: src }))).Messages![0].Body, 'poison');
        await sleep(1100);
      }
      assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: src }))).Messages, undefined);
      const dead = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq, WaitTimeSeconds: 2, VisibilityTimeout: 0, MessageSystemAttributeNames: ['All'] }));
      assert.equal(dead.Messages![0].Body, 'poison');
      assert.deepEqual((await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq }))).queueUrls, [src]);

      await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn }));
      const back = await sqs.send(new ReceiveMessageCommand({ QueueUrl: src, WaitTimeSeconds: 5 }));
      assert.equal(back.Messages![0].Body, 'poison');
      let task: any;
      for (let i = 0; i < 20; i++) {
        task = (await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn }))).Results![0];
        if (task.Status === 'COMPLETED') break;
        await sleep(100);
      }
      assert.equal(task.Status, 'COMPLETED');
      assert.equal(task.ApproximateNumberOfMessagesMoved, 1);
    });

    test('messages and receipt handles survive a restart', async () => {
      const url = await create('durable', { VisibilityTimeout: '30' });
      await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'kept-1' }));
      await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'kept-2' }));
      const inFlight = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages![0];
      sqs.destroy();
      await server.restart();
      sqs = new SQSClient({ ...clientConfig(server), ...extra });
      const after = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }))).Messages!;
      assert.equal(after.length, 1, 'the other one is still in flight');
      await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: inFlight.ReceiptHandle }));
      await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: after[0].ReceiptHandle }));
      const attrs = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }))).Attributes!;
      assert.deepEqual(attrs, { ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
    });
  });
}
