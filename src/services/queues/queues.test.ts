/**
 * Queue lifecycle and configuration: CreateQueue idempotency, names, attributes, listing, purge,
 * tags, redrive policies, permissions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT, PUBLIC_URL, REGION, harness, rejectsWith } from './harness.test.js';

const arn = (name: string) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;

test('CreateQueue: URL on the public URL, idempotent with the same attributes, QueueNameExists with others', async () => {
  const h = await harness();
  const url = await h.queue('jobs', { VisibilityTimeout: '10' });
  assert.equal(url, `${PUBLIC_URL}/${ACCOUNT}/jobs`);
  assert.equal(await h.queue('jobs', { VisibilityTimeout: '10' }), url);
  assert.equal(await h.queue('jobs'), url, 'no attributes named: nothing to differ');
  await rejectsWith(h.queue('jobs', { VisibilityTimeout: '11' }), 'QueueNameExists', /VisibilityTimeout/);
  await rejectsWith(h.queue('jobs', { DelaySeconds: '5' }), 'QueueNameExists');
  assert.equal(await h.queue('jobs', { DelaySeconds: '0' }), url, 'a default value matches');
  assert.equal((await h.call('GetQueueUrl', { QueueName: 'jobs' })).QueueUrl, url);
  await rejectsWith(h.call('GetQueueUrl', { QueueName: 'nope' }), 'QueueDoesNotExist', 'The specified queue does not exist.');
  await h.close();
});

test('queue names: characters, length, .fifo only for FIFO queues', async () => {
  const h = await harness();
  await rejectsWith(h.queue('bad name'), 'InvalidParameterValue');
  await rejectsWith(h.queue('x'.repeat(81)), 'InvalidParameterValue');
  await rejectsWith(h.queue('plain.fifo'), 'InvalidParameterValue');
  await rejectsWith(h.queue('orders', { FifoQueue: 'true' }), 'InvalidParameterValue', /\.fifo/);
  assert.match(await h.queue('orders.fifo', { FifoQueue: 'true' }), /orders\.fifo$/);
  assert.ok(await h.queue('a'.repeat(80)));
  await h.close();
});

test('GetQueueAttributes: All with defaults and computed values, FIFO attributes only on FIFO queues, unknown names', async () => {
  const h = await harness();
  const url = await h.queue('std');
  const all = (await h.call('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['All'] })).Attributes;
  assert.deepEqual(all, {
    QueueArn: arn('std'),
    ApproximateNumberOfMessages: '0',
    ApproximateNumberOfMessagesNotVisible: '0',
    ApproximateNumberOfMessagesDelayed: '0',
    CreatedTimestamp: String(Date.UTC(2024, 4, 1, 12) / 1000),
    LastModifiedTimestamp: String(Date.UTC(2024, 4, 1, 12) / 1000),
    DelaySeconds: '0',
    MaximumMessageSize: '262144',
    MessageRetentionPeriod: '345600',
    ReceiveMessageWaitTimeSeconds: '0',
    VisibilityTimeout: '30',
    SqsManagedSseEnabled: 'true',
  });
  assert.deepEqual(await h.call('GetQueueAttributes', { QueueUrl: url }), {}, 'no names: no attributes');
  assert.deepEqual((await h.call('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['QueueArn', 'FifoQueue'] })).Attributes, { QueueArn: arn('std') });
  await rejectsWith(h.call('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['Nope'] }), 'InvalidAttributeName', 'Unknown Attribute Nope.');

  const f = await h.queue('f.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
  const fa = (await h.call('GetQueueAttributes', { QueueUrl: f, AttributeNames: ['All'] })).Attributes;
  assert.equal(fa.FifoQueue, 'true');
  assert.equal(fa.ContentBasedDeduplication, 'true');
  assert.equal(fa.DeduplicationScope, 'queue');
  assert.equal(fa.FifoThroughputLimit, 'perQueue');
  await h.close();
});

test('attribute values are checked: ranges, booleans, FIFO-only names, FifoQueue fixed at creation', async () => {
  const h = await harness();
  await rejectsWith(h.queue('a', { VisibilityTimeout: '43201' }), 'InvalidAttributeValue', 'Invalid value for the parameter VisibilityTimeout.');
  await rejectsWith(h.queue('a', { MaximumMessageSize: '1023' }), 'InvalidAttributeValue');
  await rejectsWith(h.queue('a', { MessageRetentionPeriod: 'abc' }), 'InvalidAttributeValue');
  await rejectsWith(h.queue('a', { Foo: '1' }), 'InvalidAttributeName', 'Unknown Attribute Foo.');
  await rejectsWith(h.queue('a', { ContentBasedDeduplication: 'true' }), 'InvalidAttributeName');
  await rejectsWith(h.queue('a', { Policy: '{not json' }), 'InvalidAttributeValue');
  await rejectsWith(h.queue('a.fifo', { FifoQueue: 'true', FifoThroughputLimit: 'perMessageGroupId' }), 'InvalidAttributeValue');
  const url = await h.queue('a');
  h.advance(5000);
  await h.call('SetQueueAttributes', { QueueUrl: url, Attributes: { VisibilityTimeout: '5', DelaySeconds: '2', Policy: '{"Version":"2012-10-17"}' } });
  const got = (await h.call('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['VisibilityTimeout', 'DelaySeconds', 'Policy', 'LastModifiedTimestamp', 'CreatedTimestamp'] })).Attributes;
  assert.equal(got.VisibilityTimeout, '5');
  assert.equal(got.DelaySeconds, '2');
  assert.equal(got.Policy, '{"Version":"2012-10-17"}');
  assert.equal(Number(got.LastModifiedTimestamp) - Number(got.CreatedTimestamp), 5);
  await rejectsWith(h.call('SetQueueAttributes', { QueueUrl: url, Attributes: { FifoQueue: 'true' } }), 'InvalidAttributeValue');
  await rejectsWith(h.call('SetQueueAttributes', { QueueUrl: url, Attributes: { ReceiveMessageWaitTimeSeconds: '21' } }), 'InvalidAttributeValue');
  await h.call('SetQueueAttributes', { QueueUrl: url, Attributes: { Policy: '' } });
  assert.equal((await h.call('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['Policy'] })).Attributes.Policy, undefined);
  await h.close();
});

test('RedrivePolicy: the DLQ must exist, have the same type, and allow the source; ListDeadLetterSourceQueues', async () => {
  const h = await harness();
  const dlq = await h.queue('dlq');
  const policy = (target: string, n: number | string = 3) => JSON.stringify({ deadLetterTargetArn: arn(target), maxReceiveCount: n });
  await rejectsWith(h.queue('src', { RedrivePolicy: policy('missing') }), 'InvalidParameterValue', /does not exist/);
  await rejectsWith(h.queue('src', { RedrivePolicy: policy('dlq', 0) }), 'InvalidAttributeValue');
  const fdlq = await h.queue('fdlq.fifo', { FifoQueue: 'true' });
  assert.ok(fdlq);
  await rejectsWith(h.queue('src', { RedrivePolicy: policy('fdlq.fifo') }), 'InvalidParameterValue', /same type/);
  const a = await h.queue('a-src', { RedrivePolicy: policy('dlq', '5') });
  const stored = (await h.call('GetQueueAttributes', { QueueUrl: a, AttributeNames: ['RedrivePolicy'] })).Attributes.RedrivePolicy;
  assert.deepEqual(JSON.parse(stored), { deadLetterTargetArn: arn('dlq'), maxReceiveCount: 5 });
  await h.queue('b-src', { RedrivePolicy: policy('dlq') });
  assert.deepEqual((await h.call('ListDeadLetterSourceQueues', { QueueUrl: dlq })).queueUrls, [`${PUBLIC_URL}/${ACCOUNT}/a-src`, `${PUBLIC_URL}/${ACCOUNT}/b-src`]);
  const first = await h.call('ListDeadLetterSourceQueues', { QueueUrl: dlq, MaxResults: 1 });
  assert.equal(first.queueUrls.length, 1);
  const second = await h.call('ListDeadLetterSourceQueues', { QueueUrl: dlq, MaxResults: 1, NextToken: first.NextToken });
  assert.deepEqual(second.queueUrls, [`${PUBLIC_URL}/${ACCOUNT}/b-src`]);
  assert.equal(second.NextToken, undefined);

  await h.call('SetQueueAttributes', { QueueUrl: dlq, Attributes: { RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [arn('a-src')] }) } });
  await rejectsWith(h.queue('c-src', { RedrivePolicy: policy('dlq') }), 'InvalidParameterValue', /RedriveAllowPolicy/);
  await h.call('SetQueueAttributes', { QueueUrl: dlq, Attributes: { RedriveAllowPolicy: '{"redrivePermission":"denyAll"}' } });
  await rejectsWith(h.call('SetQueueAttributes', { QueueUrl: a, Attributes: { RedrivePolicy: policy('dlq', 2) } }), 'InvalidParameterValue');
  await rejectsWith(h.call('SetQueueAttributes', { QueueUrl: dlq, Attributes: { RedriveAllowPolicy: '{"redrivePermission":"byQueue"}' } }), 'InvalidAttributeValue');
  // removing the policy takes the queue off the DLQ's source list
  await h.call('SetQueueAttributes', { QueueUrl: a, Attributes: { RedrivePolicy: '' } });
  assert.deepEqual((await h.call('ListDeadLetterSourceQueues', { QueueUrl: dlq })).queueUrls, [`${PUBLIC_URL}/${ACCOUNT}/b-src`]);
  await h.close();
});

test('ListQueues: prefix, MaxResults/NextToken, scoped by account and region', async () => {
  const h = await harness();
  for (const n of ['app-1', 'app-2', 'app-3', 'other']) await h.queue(n);
  await h.call('CreateQueue', { QueueName: 'app-elsewhere' }, { region: 'us-east-1' });
  await h.call('CreateQueue', { QueueName: 'app-theirs' }, { accountId: '999999999999' });
  const all = await h.call('ListQueues', {});
  assert.equal(all.QueueUrls.length, 4);
  assert.equal(all.NextToken, undefined);
  const p1 = await h.call('ListQueues', { QueueNamePrefix: 'app', MaxResults: 2 });
  assert.deepEqual(p1.QueueUrls.map((u: string) => u.split('/').pop()), ['app-1', 'app-2']);
  const p2 = await h.call('ListQueues', { QueueNamePrefix: 'app', MaxResults: 2, NextToken: p1.NextToken });
  assert.deepEqual(p2.QueueUrls.map((u: string) => u.split('/').pop()), ['app-3']);
  assert.equal(p2.NextToken, undefined);
  assert.deepEqual(await h.call('ListQueues', { QueueNamePrefix: 'zzz' }), {});
  await rejectsWith(h.call('ListQueues', { MaxResults: 1001 }), 'InvalidParameterValue');
  await rejectsWith(h.call('ListQueues', { MaxResults: 2, NextToken: 'garbage!' }), 'InvalidParameterValue');
  // a queue URL of another account or on another host: matched on /<account>/<name> only
  await rejectsWith(h.call('GetQueueAttributes', { QueueUrl: `${PUBLIC_URL}/999999999999/app-theirs`, AttributeNames: ['All'] }), 'QueueDoesNotExist');
  const viaAws = await h.call('GetQueueAttributes', { QueueUrl: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/app-1`, AttributeNames: ['QueueArn'] });
  assert.equal(viaAws.Attributes.QueueArn, arn('app-1'));
  await rejectsWith(h.call('GetQueueAttributes', { QueueUrl: 'nonsense' }), 'InvalidAddress');
  await h.close();
});

test('DeleteQueue removes messages with the queue; a new queue of the same name starts empty', async () => {
  const h = await harness();
  const url = await h.queue('gone');
  await h.call('SendMessage', { QueueUrl: url, MessageBody: 'old' });
  await h.call('DeleteQueue', { QueueUrl: url });
  await rejectsWith(h.call('SendMessage', { QueueUrl: url, MessageBody: 'x' }), 'QueueDoesNotExist');
  await rejectsWith(h.call('DeleteQueue', { QueueUrl: url }), 'QueueDoesNotExist');
  await h.queue('gone');
  assert.deepEqual(await h.call('ReceiveMessage', { QueueUrl: url }), {});
  assert.equal((await h.store.one<{ n: number }>('SELECT count(*) AS n FROM sqs_messages'))!.n, 0);
  await h.close();
});

test('PurgeQueue empties the queue, once per 60 seconds (PurgeQueueInProgress, 403)', async () => {
  const h = await harness();
  const url = await h.queue('p');
  for (let i = 0; i < 3; i++) await h.call('SendMessage', { QueueUrl: url, MessageBody: `m${i}` });
  await h.call('PurgeQueue', { QueueUrl: url });
  assert.equal((await h.call('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] })).Attributes.ApproximateNumberOfMessages, '0');
  await assert.rejects(h.call('PurgeQueue', { QueueUrl: url }), (e: any) => e.code === 'PurgeQueueInProgress' && e.status === 403 && e.queryCode === 'AWS.SimpleQueueService.PurgeQueueInProgress');
  h.advance(60_000);
  await h.call('PurgeQueue', { QueueUrl: url });
  await h.close();
});

test('tags: on create, TagQueue overwrites, UntagQueue, at most 50', async () => {
  const h = await harness();
  const url = (await h.call('CreateQueue', { QueueName: 't', tags: { team: 'ops', env: 'dev' } })).QueueUrl;
  assert.deepEqual((await h.call('ListQueueTags', { QueueUrl: url })).Tags, { env: 'dev', team: 'ops' });
  await h.call('TagQueue', { QueueUrl: url, Tags: { env: 'prod', cost: '42' } });
  await h.call('UntagQueue', { QueueUrl: url, TagKeys: ['team', 'absent'] });
  assert.deepEqual((await h.call('ListQueueTags', { QueueUrl: url })).Tags, { cost: '42', env: 'prod' });
  const many = Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`k${i}`, 'v']));
  await h.call('TagQueue', { QueueUrl: url, Tags: many });
  await rejectsWith(h.call('TagQueue', { QueueUrl: url, Tags: { one: 'more' } }), 'InvalidParameterValue', /Too many tags/);
  await h.call('TagQueue', { QueueUrl: url, Tags: { env: 'overwrite-is-fine' } });
  await rejectsWith(h.call('TagQueue', { QueueUrl: url, Tags: { 'aws:x': 'y' } }), 'InvalidParameterValue');
  await h.call('UntagQueue', { QueueUrl: url, TagKeys: Object.keys(many).concat(['cost', 'env']) });
  assert.deepEqual(await h.call('ListQueueTags', { QueueUrl: url }), {});
  await h.close();
});

test('AddPermission / RemovePermission edit the Policy attribute', async () => {
  const h = await harness();
  const url = await h.queue('perm');
  await h.call('AddPermission', { QueueUrl: url, Label: 'send', AWSAccountIds: ['123456789012'], Actions: ['SendMessage'] });
  await rejectsWith(h.call('AddPermission', { QueueUrl: url, Label: 'send', AWSAccountIds: ['1'], Actions: ['*'] }), 'InvalidParameterValue');
  const policy = JSON.parse((await h.call('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['Policy'] })).Attributes.Policy);
  assert.deepEqual(policy.Statement, [{ Sid: 'send', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'SQS:SendMessage', Resource: arn('perm') }]);
  await h.call('RemovePermission', { QueueUrl: url, Label: 'send' });
  await rejectsWith(h.call('RemovePermission', { QueueUrl: url, Label: 'send' }), 'InvalidParameterValue');
  assert.equal((await h.call('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['Policy'] })).Attributes.Policy, undefined);
  await h.close();
});
