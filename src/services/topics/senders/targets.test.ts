/**
 * sqs, lambda and firehose senders through the real Targets registry: what each service is
 * handed (envelope or raw body, attributes, FIFO ids, the Lambda record, newline-terminated
 * Firehose records) and how its answer becomes an outcome.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TargetMessage, TargetResult } from '../../../core/targets/index.js';
import { senderContext } from './context.js';
import { loadOrCreateSigningIdentity } from './signing.js';
import { firehoseSender, lambdaSender, sqsAttributes, sqsSender } from './targets.js';
import { delivery, job, kit, SUB, TOPIC } from './kit.test.js';

const QUEUE = 'arn:aws:sqs:eu-west-1:111122223333:inbox';
const FN = 'arn:aws:lambda:eu-west-1:111122223333:function:handler';
const STREAM = 'arn:aws:firehose:eu-west-1:111122223333:deliverystream/archive';

async function setup(answer: TargetResult = { ok: true, id: 'msg-1' }) {
  const k = await kit({ publicUrl: 'https://sbx.example.com' });
  const got: Array<{ arn: string; m: TargetMessage }> = [];
  for (const service of ['sqs', 'firehose']) {
    k.deps.targets.register(service, { send: async (arn, m) => { got.push({ arn, m }); return answer; } });
  }
  const ctx = senderContext(k.deps, loadOrCreateSigningIdentity(':memory:', k.deps.secrets, k.deps.log));
  return { k, ctx, got };
}

test('sqs: the signed envelope with the topic as source; raw: the message with SQS attributes', async () => {
  const { k, ctx, got } = await setup();
  try {
    const send = sqsSender(ctx);
    const attrs = { env: { Type: 'String', Value: 'prod' }, n: { Type: 'Number', Value: '3' }, b: { Type: 'Binary', Value: 'AAE=' }, l: { Type: 'String.Array', Value: '["a"]' } };
    assert.deepEqual(await send(job(delivery({ protocol: 'sqs', endpoint: QUEUE, subject: 'S', messageAttributes: attrs }), 'sns.sqs')), { ok: true, excerpt: 'msg-1' });
    assert.equal(got[0].arn, QUEUE);
    assert.equal(got[0].m.sourceArn, TOPIC);
    assert.equal(got[0].m.attributes, undefined);
    const env = JSON.parse(got[0].m.body);
    assert.equal(env.Type, 'Notification');
    assert.equal(env.Subject, 'S');
    assert.deepEqual(env.MessageAttributes, attrs);
    assert.ok(env.Signature);

    await send(job(delivery({ protocol: 'sqs', endpoint: QUEUE, raw: true, message: 'bare', messageAttributes: attrs }), 'sns.sqs'));
    assert.equal(got[1].m.body, 'bare');
    assert.deepEqual(got[1].m.attributes, {
      env: { DataType: 'String', StringValue: 'prod' },
      n: { DataType: 'Number', StringValue: '3' },
      b: { DataType: 'Binary', BinaryValue: 'AAE=' },
      l: { DataType: 'String', StringValue: '["a"]' },
    });
    assert.equal(sqsAttributes({}), undefined);

    const fifoTopic = `${TOPIC}.fifo`;
    await send(job(delivery({ protocol: 'sqs', endpoint: `${QUEUE}.fifo`, topicArn: fifoTopic, messageGroupId: 'g1', messageDeduplicationId: 'd1', sequenceNumber: '1' }), 'sns.sqs'));
    assert.equal(got[2].m.groupId, 'g1');
    assert.equal(got[2].m.deduplicationId, 'd1');
    assert.equal(JSON.parse(got[2].m.body).SequenceNumber, '1');
  } finally {
    await k.close();
  }
});

test('sqs: the queue\'s refusal becomes the outcome', async () => {
  const { k, ctx } = await setup({ ok: false, retryable: false, error: 'queue does not exist', code: 'AWS.SimpleQueueService.NonExistentQueue' });
  try {
    const o = await sqsSender(ctx)(job(delivery({ protocol: 'sqs', endpoint: QUEUE }), 'sns.sqs'));
    assert.deepEqual(o, { ok: false, retryable: false, error: 'AWS.SimpleQueueService.NonExistentQueue: queue does not exist' });
  } finally {
    await k.close();
  }
});

test('lambda: the SNS event record; without a functions service, a retryable failure', async () => {
  const { k, ctx } = await setup();
  try {
    const send = lambdaSender(ctx);
    const before = await send(job(delivery({ protocol: 'lambda', endpoint: FN }), 'sns.lambda'));
    assert.ok(!before.ok && before.retryable, 'functions do not exist yet: try again later');
    const got: TargetMessage[] = [];
    k.deps.targets.register('lambda', { send: async (_arn, m) => { got.push(m); return { ok: true }; } });
    assert.deepEqual(await send(job(delivery({ protocol: 'lambda', endpoint: FN }), 'sns.lambda')), { ok: true });
    assert.equal(got[0].sourceArn, TOPIC);
    assert.equal(got[0].sourceService, 'sns.amazonaws.com');
    const e = JSON.parse(got[0].body);
    assert.equal(e.Records[0].EventSubscriptionArn, SUB);
    assert.equal(e.Records[0].Sns.Subject, null);
    assert.ok(e.Records[0].Sns.SigningCertUrl.startsWith('https://sbx.example.com/_signalbox/sns/SimpleNotificationService-'));
  } finally {
    await k.close();
  }
});

test('firehose: one newline-terminated record per message, envelope on one line or raw', async () => {
  const { k, ctx, got } = await setup();
  try {
    const send = firehoseSender(ctx);
    await send(job(delivery({ protocol: 'firehose', endpoint: STREAM }), 'sns.firehose'));
    await send(job(delivery({ protocol: 'firehose', endpoint: STREAM, raw: true, message: '{"a":1}' }), 'sns.firehose'));
    assert.equal(got[0].arn, STREAM);
    assert.ok(got[0].m.body.endsWith('}\n'));
    assert.equal(got[0].m.body.split('\n').length, 2, 'one line');
    assert.equal(JSON.parse(got[0].m.body).Type, 'Notification');
    assert.equal(got[1].m.body, '{"a":1}\n');
  } finally {
    await k.close();
  }
});
