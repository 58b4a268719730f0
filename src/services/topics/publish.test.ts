/**
 * Publish and PublishBatch: the jobs a message fans out to (filter policies on attributes and
 * on the body, unconfirmed subscriptions left out, MessageStructure=json per protocol, raw
 * delivery, DeliveryPolicy → retry, RedrivePolicy → dead letter), one enqueue per call, the
 * message checks, FIFO deduplication and sequence numbers, and batch errors.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ACCOUNT, harness, PUBLIC_URL, REGION, rejectsWith, type Harness } from './harness.test.js';

let h: Harness;
before(async () => {
  h = await harness();
});
after(() => h.close());

const queue = (n: string) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${n}`;

async function subscribe(topic: string, protocol: string, endpoint: string, Attributes?: Record<string, string>): Promise<string> {
  return (await h.call('Subscribe', { TopicArn: topic, Protocol: protocol, Endpoint: endpoint, Attributes, ReturnSubscriptionArn: true })).SubscriptionArn;
}

async function notifications(messageId: string) {
  return (await h.jobs()).filter((j) => j.payload.type === 'Notification' && j.payload.messageId === messageId);
}

describe('fan-out', () => {
  test('one job per matching confirmed subscription, committed in one enqueue call', async () => {
    const t = await h.topic('fan', { DisplayName: 'Fan' });
    const all = await subscribe(t, 'sqs', queue('all'));
    const errors = await subscribe(t, 'sqs', queue('errors'), { FilterPolicy: '{"level":["error"]}' });
    const body = await subscribe(t, 'webhook', 'https://r.test/body', { FilterPolicyScope: 'MessageBody', FilterPolicy: '{"kind":["deploy"]}' });
    await subscribe(t, 'http', 'http://r.test/pending'); // never confirmed

    const before = h.enqueueCalls();
    const out = await h.call('Publish', {
      TopicArn: t, Message: '{"kind":"deploy"}', Subject: 'Hello',
      MessageAttributes: { level: { DataType: 'String', StringValue: 'error' }, blob: { DataType: 'Binary', BinaryValue: Buffer.from('hi') } },
    });
    assert.equal(h.enqueueCalls() - before, 1);
    assert.match(out.MessageId, /^[0-9a-f-]{36}$/);
    const jobs = await notifications(out.MessageId);
    assert.deepEqual(jobs.map((j) => j.ref).sort(), [all, errors, body].sort());
    const j = jobs.find((x) => x.ref === all)!;
    assert.equal(j.kind, 'sns.sqs');
    assert.equal(j.source, 'sns');
    assert.equal(j.target, queue('all'));
    assert.equal(j.payload.subject, 'Hello');
    assert.equal(j.payload.displayName, 'Fan');
    assert.equal(j.payload.signatureVersion, '1');
    assert.equal(j.payload.raw, false);
    assert.deepEqual(j.payload.messageAttributes, { level: { Type: 'String', Value: 'error' }, blob: { Type: 'Binary', Value: Buffer.from('hi').toString('base64') } });
    assert.match(j.payload.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const hook = jobs.find((x) => x.ref === body)!;
    assert.ok(hook.payload.webhookSecretSealed?.startsWith('v1:'));

    // neither the attribute filter nor the body filter match this one
    const other = await h.call('Publish', { TopicArn: t, Message: 'plain text', MessageAttributes: { level: { DataType: 'String', StringValue: 'info' } } });
    assert.deepEqual((await notifications(other.MessageId)).map((x) => x.ref), [all]);
  });

  test('a publish to a topic without subscriptions enqueues nothing', async () => {
    const t = await h.topic('empty');
    const before = h.enqueueCalls();
    const out = await h.call('Publish', { TopicArn: t, Message: 'x' });
    assert.ok(out.MessageId);
    assert.equal(h.enqueueCalls(), before);
  });

  test('MessageStructure=json picks each protocol its message', async () => {
    const t = await h.topic('structured');
    const q = await subscribe(t, 'sqs', queue('s'));
    const s = await subscribe(t, 'slack', 'https://hooks.slack.test/s');
    const out = await h.call('Publish', { TopicArn: t, MessageStructure: 'json', Message: JSON.stringify({ default: 'dflt', slack: 'for slack', sqs: 7 }) });
    const jobs = await notifications(out.MessageId);
    assert.equal(jobs.find((j) => j.ref === s)!.payload.message, 'for slack');
    // a non-string value is ignored: the default
    assert.equal(jobs.find((j) => j.ref === q)!.payload.message, 'dflt');
    await rejectsWith(h.call('Publish', { TopicArn: t, MessageStructure: 'json', Message: '{"sqs":"x"}' }), 'InvalidParameter', 'Invalid parameter: Message Structure - No default entry in JSON message body');
    await rejectsWith(h.call('Publish', { TopicArn: t, MessageStructure: 'json', Message: 'nope' }), 'InvalidParameter', 'Invalid parameter: Message Structure - JSON message body failed to parse');
  });

  test('raw delivery, DeliveryPolicy retry and RedrivePolicy dead letter', async () => {
    const t = await h.topic('policies', {
      SignatureVersion: '2',
      DeliveryPolicy: '{"http":{"defaultHealthyRetryPolicy":{"numRetries":2,"minDelayTarget":5,"maxDelayTarget":5}}}',
    });
    const url = 'http://r.test/p';
    await h.call('Subscribe', { TopicArn: t, Protocol: 'http', Endpoint: url });
    const [conf] = (await h.jobs({ kind: 'sns.http' })).filter((j) => j.target === url);
    const arn = (await h.call('ConfirmSubscription', { TopicArn: t, Token: conf.payload.token })).SubscriptionArn;
    await h.call('SetSubscriptionAttributes', { SubscriptionArn: arn, AttributeName: 'RedrivePolicy', AttributeValue: JSON.stringify({ deadLetterTargetArn: queue('dlq') }) });
    await h.call('SetSubscriptionAttributes', {
      SubscriptionArn: arn, AttributeName: 'DeliveryPolicy',
      AttributeValue: '{"healthyRetryPolicy":{"numRetries":6,"minDelayTarget":1,"maxDelayTarget":60,"backoffFunction":"exponential"},"requestPolicy":{"headerContentType":"application/json"}}',
    });
    const out = await h.call('Publish', { TopicArn: t, Message: 'boom', Subject: 'S' });
    const [j] = await notifications(out.MessageId);
    assert.equal(j.kind, 'sns.http');
    assert.equal(j.payload.signatureVersion, '2');
    assert.equal(j.payload.headerContentType, 'application/json');
    assert.deepEqual(j.retry, { maxAttempts: 7, baseDelayMs: 1000, maxDelayMs: 60_000, backoff: 'exponential' });
    assert.equal(j.deadLetter!.arn, queue('dlq'));
    const env = JSON.parse(j.deadLetter!.body);
    assert.equal(env.Type, 'Notification');
    assert.equal(env.MessageId, out.MessageId);
    assert.equal(env.Message, 'boom');
    assert.equal(env.Subject, 'S');
    assert.equal(env.UnsubscribeURL, `${PUBLIC_URL}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(arn)}`);

    await h.call('SetSubscriptionAttributes', { SubscriptionArn: arn, AttributeName: 'RawMessageDelivery', AttributeValue: 'true' });
    const raw = await h.call('Publish', { TopicArn: t, Message: 'bare', MessageAttributes: { a: { DataType: 'Number', StringValue: '1.5' } } });
    const [r] = await notifications(raw.MessageId);
    assert.equal(r.payload.raw, true);
    assert.equal(r.deadLetter!.body, 'bare');
    assert.deepEqual(r.deadLetter!.attributes, { a: { DataType: 'Number', StringValue: '1.5' } });
  });
});

describe('message checks', () => {
  let t: string;
  before(async () => {
    t = await h.topic('checks');
  });

  test('size, subject, empty message, target', async () => {
    await rejectsWith(h.call('Publish', { TopicArn: t, Message: 'x'.repeat(262_145) }), 'InvalidParameter', 'Invalid parameter: Message too long');
    // attributes count against the limit
    await rejectsWith(
      h.call('Publish', { TopicArn: t, Message: 'x'.repeat(262_100), MessageAttributes: { big: { DataType: 'String', StringValue: 'y'.repeat(100) } } }),
      'InvalidParameter',
      'Invalid parameter: Message too long',
    );
    assert.ok((await h.call('Publish', { TopicArn: t, Message: 'x'.repeat(262_144) })).MessageId);
    await rejectsWith(h.call('Publish', { TopicArn: t, Message: 'm', Subject: 'a'.repeat(101) }), 'InvalidParameter', 'Invalid parameter: Subject');
    await rejectsWith(h.call('Publish', { TopicArn: t, Message: 'm', Subject: 'two\nlines' }), 'InvalidParameter', 'Invalid parameter: Subject');
    await rejectsWith(h.call('Publish', { TopicArn: t, Message: '' }), 'InvalidParameter', 'Invalid parameter: Empty message');
    await rejectsWith(h.call('Publish', { Message: 'm' }), 'InvalidParameter', /TopicArn or TargetArn/);
    await rejectsWith(h.call('Publish', { TopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:ghost`, Message: 'm' }), 'NotFound', 'Topic does not exist');
    assert.ok((await h.call('Publish', { TargetArn: t, Message: 'via TargetArn' })).MessageId);
  });

  test('message attributes', async () => {
    const pub = (MessageAttributes: unknown) => h.call('Publish', { TopicArn: t, Message: 'm', MessageAttributes });
    await rejectsWith(pub({ n: { DataType: 'Number', StringValue: 'abc' } }), 'ParameterValueInvalid', "Could not cast message attribute 'n' value to number.");
    await rejectsWith(pub({ x: { DataType: 'Blob', StringValue: 'a' } }), 'ParameterValueInvalid', /invalid message attribute type/);
    await rejectsWith(pub({ x: { DataType: 'Binary', StringValue: 'a' } }), 'ParameterValueInvalid', "The message attribute 'x' with type 'Binary' must use field 'Binary'.");
    await rejectsWith(pub({ x: { DataType: 'String', StringValue: '' } }), 'ParameterValueInvalid', /must contain non-empty message attribute value/);
    await rejectsWith(pub({ '.x': { DataType: 'String', StringValue: 'a' } }), 'ParameterValueInvalid', "Invalid message attribute name starting with character '.' was found.");
    await rejectsWith(pub({ 'a b': { DataType: 'String', StringValue: 'a' } }), 'ParameterValueInvalid', /Invalid non-alphanumeric character '#x20'/);
    await rejectsWith(pub({ x: { StringValue: 'a' } }), 'ValidationError', /messageAttributes\.x\.member\.dataType/);
    await rejectsWith(pub({ x: { DataType: 'String.Array', StringValue: 'not json' } }), 'ParameterValueInvalid', /String\.Array/);
    assert.ok((await pub({ x: { DataType: 'String.Array', StringValue: '["a",1,true]' }, 'v.1': { DataType: 'Number.float', StringValue: '-1e3' } })).MessageId);
  });
});

describe('FIFO', () => {
  test('MessageGroupId required, deduplication within 5 minutes, SequenceNumber', async () => {
    const t = await h.topic('fifo.fifo', { FifoTopic: 'true' });
    const q = await subscribe(t, 'sqs', queue('q.fifo'));
    await rejectsWith(h.call('Publish', { TopicArn: t, Message: 'm' }), 'InvalidParameter', 'Invalid parameter: The MessageGroupId parameter is required for FIFO topics');
    await rejectsWith(
      h.call('Publish', { TopicArn: t, Message: 'm', MessageGroupId: 'g' }),
      'InvalidParameter',
      'Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    );
    const a = await h.call('Publish', { TopicArn: t, Message: 'm', MessageGroupId: 'g', MessageDeduplicationId: 'd1' });
    assert.match(a.SequenceNumber, /^\d{20}$/);
    const dup = await h.call('Publish', { TopicArn: t, Message: 'other', MessageGroupId: 'g', MessageDeduplicationId: 'd1' });
    assert.equal(dup.MessageId, a.MessageId);
    assert.equal(dup.SequenceNumber, a.SequenceNumber);
    assert.equal((await notifications(a.MessageId)).length, 1, 'the duplicate was not delivered again');
    const b = await h.call('Publish', { TopicArn: t, Message: 'm', MessageGroupId: 'g', MessageDeduplicationId: 'd2' });
    assert.ok(BigInt(b.SequenceNumber) > BigInt(a.SequenceNumber));
    const [j] = await notifications(b.MessageId);
    assert.equal(j.ref, q);
    assert.equal(j.payload.messageGroupId, 'g');
    assert.equal(j.payload.messageDeduplicationId, 'd2');
    assert.equal(j.payload.sequenceNumber, b.SequenceNumber);
    // after the window the same id is new again
    const later = await h.call('Publish', { TopicArn: t, Message: 'm', MessageGroupId: 'g', MessageDeduplicationId: 'd1' }, { now: new Date(Date.now() + 5 * 60_000 + 1000) });
    assert.notEqual(later.MessageId, a.MessageId);

    const standard = await h.topic('std');
    await rejectsWith(h.call('Publish', { TopicArn: standard, Message: 'm', MessageDeduplicationId: 'x' }), 'InvalidParameter', /MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type/);
  });

  test('ContentBasedDeduplication hashes the body', async () => {
    const t = await h.topic('cbd.fifo', { FifoTopic: 'true', ContentBasedDeduplication: 'true' });
    const a = await h.call('Publish', { TopicArn: t, Message: 'same', MessageGroupId: 'g' });
    const b = await h.call('Publish', { TopicArn: t, Message: 'same', MessageGroupId: 'g' });
    assert.equal(b.MessageId, a.MessageId);
  });
});

describe('PublishBatch', () => {
  test('per-entry results, batch-level errors', async () => {
    const t = await h.topic('batch');
    const q = await subscribe(t, 'sqs', queue('b'));
    const before = h.enqueueCalls();
    const out = await h.call('PublishBatch', {
      TopicArn: t,
      PublishBatchRequestEntries: [
        { Id: 'a', Message: 'one' },
        { Id: 'b', Message: 'two', Subject: 'x\ny' },
        { Id: 'c', Message: 'three', MessageAttributes: { n: { DataType: 'Number', StringValue: 'NaN?' } } },
        { Id: 'd', Message: 'four' },
      ],
    });
    assert.equal(h.enqueueCalls() - before, 1, 'one enqueue for the whole batch');
    assert.deepEqual(out.Successful.map((s: { Id: string }) => s.Id), ['a', 'd']);
    assert.deepEqual(out.Failed.map((f: { Id: string; Code: string; SenderFault: boolean }) => [f.Id, f.Code, f.SenderFault]), [
      ['b', 'InvalidParameter', true],
      ['c', 'ParameterValueInvalid', true],
    ]);
    const jobs = await notifications(out.Successful[1].MessageId);
    assert.equal(jobs[0].ref, q);
    assert.equal(jobs[0].payload.message, 'four');

    const e = (n: number) => Array.from({ length: n }, (_, i) => ({ Id: `e${i}`, Message: 'm' }));
    await rejectsWith(h.call('PublishBatch', { TopicArn: t, PublishBatchRequestEntries: [] }), 'EmptyBatchRequest');
    await rejectsWith(h.call('PublishBatch', { TopicArn: t, PublishBatchRequestEntries: e(11) }), 'TooManyEntriesInBatchRequest');
    await rejectsWith(h.call('PublishBatch', { TopicArn: t, PublishBatchRequestEntries: [{ Id: 'x', Message: 'm' }, { Id: 'x', Message: 'n' }] }), 'BatchEntryIdsNotDistinct');
    await rejectsWith(h.call('PublishBatch', { TopicArn: t, PublishBatchRequestEntries: [{ Id: 'bad id!', Message: 'm' }] }), 'InvalidBatchEntryId');
    const big = Array.from({ length: 2 }, (_, i) => ({ Id: `big${i}`, Message: 'x'.repeat(140_000) }));
    await rejectsWith(h.call('PublishBatch', { TopicArn: t, PublishBatchRequestEntries: big }), 'BatchRequestTooLong');
  });
});
