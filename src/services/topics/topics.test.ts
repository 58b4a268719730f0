/**
 * Topics: CreateTopic idempotency and name rules, attributes (defaults, validation), DeleteTopic
 * taking its subscriptions along, ListTopics paging, tags.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ACCOUNT, harness, REGION, rejectsWith, type Harness } from './harness.test.js';

let h: Harness;
before(async () => {
  h = await harness();
});
after(() => h.close());

describe('CreateTopic', () => {
  test('answers the ARN and is idempotent for the same attributes', async () => {
    const a = await h.call('CreateTopic', { Name: 'alerts', Attributes: { DisplayName: 'Alerts' } });
    assert.equal(a.TopicArn, `arn:aws:sns:${REGION}:${ACCOUNT}:alerts`);
    const b = await h.call('CreateTopic', { Name: 'alerts', Attributes: { DisplayName: 'Alerts' } });
    assert.equal(b.TopicArn, a.TopicArn);
    // no attributes at all: the existing topic's ARN
    assert.equal((await h.call('CreateTopic', { Name: 'alerts' })).TopicArn, a.TopicArn);
  });

  test('a different attribute set is InvalidParameter', async () => {
    await rejectsWith(
      h.call('CreateTopic', { Name: 'alerts', Attributes: { DisplayName: 'Other' } }),
      'InvalidParameter',
      'Invalid parameter: Attributes Reason: Topic already exists with different attributes',
    );
    await rejectsWith(h.call('CreateTopic', { Name: 'alerts', Attributes: { DisplayName: 'Alerts', SignatureVersion: '2' } }), 'InvalidParameter', /different attributes/);
  });

  test('name rules, FIFO suffix', async () => {
    await rejectsWith(h.call('CreateTopic', { Name: 'bad name' }), 'InvalidParameter', 'Invalid parameter: Topic Name');
    await rejectsWith(h.call('CreateTopic', { Name: 'x.fifo' }), 'InvalidParameter', 'Invalid parameter: Topic Name');
    await rejectsWith(h.call('CreateTopic', { Name: 'nofifo', Attributes: { FifoTopic: 'true' } }), 'InvalidParameter', /Fifo Topic names must end with .fifo/);
    await rejectsWith(h.call('CreateTopic', { Name: 'a'.repeat(257) }), 'InvalidParameter', 'Invalid parameter: Topic Name');
    const fifo = await h.topic('orders.fifo', { FifoTopic: 'true', ContentBasedDeduplication: 'true' });
    assert.match(fifo, /:orders\.fifo$/);
    const attrs = (await h.call('GetTopicAttributes', { TopicArn: fifo })).Attributes;
    assert.equal(attrs.FifoTopic, 'true');
    assert.equal(attrs.ContentBasedDeduplication, 'true');
  });

  test('attribute values are checked', async () => {
    await rejectsWith(h.call('CreateTopic', { Name: 't1', Attributes: { SignatureVersion: '3' } }), 'InvalidParameter', 'Invalid parameter: Attributes Reason: SignatureVersion');
    await rejectsWith(h.call('CreateTopic', { Name: 't1', Attributes: { Nope: 'x' } }), 'InvalidParameter', /Attributes Reason/);
    await rejectsWith(h.call('CreateTopic', { Name: 't1', Attributes: { ContentBasedDeduplication: 'true' } }), 'InvalidParameter', /FIFO/);
    await rejectsWith(
      h.call('CreateTopic', { Name: 't1', Attributes: { DeliveryPolicy: '{"http":{"defaultHealthyRetryPolicy":{"numRetries":101}}}' } }),
      'InvalidParameter',
      'Invalid parameter: Attributes Reason: DeliveryPolicy: http.defaultHealthyRetryPolicy.numRetries must be less than or equal to 100',
    );
  });
});

describe('topic attributes', () => {
  test('GetTopicAttributes has the defaults AWS shows', async () => {
    const arn = await h.topic('plain');
    const a = (await h.call('GetTopicAttributes', { TopicArn: arn })).Attributes;
    assert.equal(a.TopicArn, arn);
    assert.equal(a.Owner, ACCOUNT);
    assert.equal(a.DisplayName, '');
    assert.equal(a.SubscriptionsConfirmed, '0');
    assert.equal(a.SubscriptionsPending, '0');
    assert.equal(a.SubscriptionsDeleted, '0');
    const policy = JSON.parse(a.Policy);
    assert.equal(policy.Statement[0].Resource, arn);
    assert.deepEqual(policy.Statement[0].Condition, { StringEquals: { 'AWS:SourceOwner': ACCOUNT } });
    assert.deepEqual(JSON.parse(a.EffectiveDeliveryPolicy).http.defaultHealthyRetryPolicy, {
      minDelayTarget: 20, maxDelayTarget: 20, numRetries: 3, numMaxDelayRetries: 0, numNoDelayRetries: 0, numMinDelayRetries: 0, backoffFunction: 'linear',
    });
    assert.equal(a.FifoTopic, undefined);
  });

  test('SetTopicAttributes stores, validates and refuses FifoTopic', async () => {
    const arn = await h.topic('settable');
    await h.call('SetTopicAttributes', { TopicArn: arn, AttributeName: 'DisplayName', AttributeValue: 'Ops' });
    const dp = '{"http":{"defaultHealthyRetryPolicy":{"numRetries":5,"minDelayTarget":1,"maxDelayTarget":10,"backoffFunction":"exponential"}}}';
    await h.call('SetTopicAttributes', { TopicArn: arn, AttributeName: 'DeliveryPolicy', AttributeValue: dp });
    const a = (await h.call('GetTopicAttributes', { TopicArn: arn })).Attributes;
    assert.equal(a.DisplayName, 'Ops');
    assert.equal(a.DeliveryPolicy, dp);
    assert.equal(JSON.parse(a.EffectiveDeliveryPolicy).http.defaultHealthyRetryPolicy.numRetries, 5);
    await rejectsWith(h.call('SetTopicAttributes', { TopicArn: arn, AttributeName: 'FifoTopic', AttributeValue: 'true' }), 'InvalidParameter', 'Invalid parameter: AttributeName');
    await rejectsWith(h.call('SetTopicAttributes', { TopicArn: arn, AttributeName: 'DeliveryPolicy', AttributeValue: '{' }), 'InvalidParameter', 'Invalid parameter: DeliveryPolicy: failed to parse JSON');
    await rejectsWith(
      h.call('SetTopicAttributes', { TopicArn: arn, AttributeName: 'DeliveryPolicy', AttributeValue: '{"http":{"throttlePolicy":{}}}' }),
      'InvalidParameter',
      'Invalid parameter: DeliveryPolicy: Unexpected JSON member: throttlePolicy',
    );
  });

  test('unknown topic is NotFound; another region is InvalidParameter', async () => {
    await rejectsWith(h.call('GetTopicAttributes', { TopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:nope` }), 'NotFound', 'Topic does not exist');
    await rejectsWith(h.call('GetTopicAttributes', { TopicArn: `arn:aws:sns:us-west-2:${ACCOUNT}:plain` }), 'InvalidParameter', 'Invalid parameter: TopicArn');
    await rejectsWith(h.call('GetTopicAttributes', { TopicArn: 'nonsense' }), 'InvalidParameter', /An ARN must have at least 6 elements, not 1/);
  });
});

describe('DeleteTopic and ListTopics', () => {
  test('DeleteTopic removes the topic with its subscriptions', async () => {
    const arn = await h.topic('doomed');
    const sub = await h.call('Subscribe', { TopicArn: arn, Protocol: 'slack', Endpoint: 'https://hooks.slack.test/x' });
    await h.call('DeleteTopic', { TopicArn: arn });
    await rejectsWith(h.call('GetTopicAttributes', { TopicArn: arn }), 'NotFound');
    await rejectsWith(h.call('GetSubscriptionAttributes', { SubscriptionArn: sub.SubscriptionArn }), 'NotFound', 'Subscription does not exist');
    // deleting again succeeds
    await h.call('DeleteTopic', { TopicArn: arn });
  });

  test('ListTopics pages by 100 with NextToken', async () => {
    const other = await harness();
    try {
      for (let i = 0; i < 230; i++) await other.topic(`t${String(i).padStart(3, '0')}`);
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const out = await other.call('ListTopics', token ? { NextToken: token } : {});
        seen.push(...out.Topics.map((t: { TopicArn: string }) => t.TopicArn));
        token = out.NextToken;
        pages++;
      } while (token);
      assert.equal(pages, 3);
      assert.equal(new Set(seen).size, 230);
      await rejectsWith(other.call('ListTopics', { NextToken: 'garbage!' }), 'InvalidParameter', 'Invalid parameter: NextToken');
    } finally {
      await other.close();
    }
  });
});

describe('tags', () => {
  test('tag, list, untag, limits and errors', async () => {
    const arn = (await h.call('CreateTopic', { Name: 'tagged', Tags: [{ Key: 'team', Value: 'ops' }] })).TopicArn;
    await h.call('TagResource', { ResourceArn: arn, Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'sre' }] });
    assert.deepEqual((await h.call('ListTagsForResource', { ResourceArn: arn })).Tags, [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'sre' }]);
    await h.call('UntagResource', { ResourceArn: arn, TagKeys: ['env'] });
    assert.deepEqual((await h.call('ListTagsForResource', { ResourceArn: arn })).Tags, [{ Key: 'team', Value: 'sre' }]);
    const many = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await rejectsWith(h.call('TagResource', { ResourceArn: arn, Tags: many }), 'TagLimitExceeded');
    await rejectsWith(h.call('TagResource', { ResourceArn: arn, Tags: [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }] }), 'InvalidParameter', 'Invalid parameter: Duplicated keys are not allowed.');
    await rejectsWith(h.call('ListTagsForResource', { ResourceArn: `arn:aws:sns:${REGION}:${ACCOUNT}:missing` }), 'ResourceNotFound');
    await rejectsWith(h.call('CreateTopic', { Name: 'tagged', Tags: [{ Key: 'team', Value: 'other' }] }), 'InvalidParameter', 'Invalid parameter: Tags Reason: Topic already exists with different tags');
  });
});

describe('service definition', () => {
  test('unsigned operations, audit exclusions, routes', async () => {
    assert.deepEqual([...(h.service.unsignedOperations ?? [])].sort(), ['ConfirmSubscription', 'Unsubscribe']);
    assert.equal(h.service.isReadOnly!('Publish'), true);
    assert.equal(h.service.isReadOnly!('PublishBatch'), true);
    assert.equal(h.service.isReadOnly!('Subscribe'), false);
    assert.equal(h.service.isReadOnly!('ListTopics'), true);
    const req = (path: string, rawQuery = '') => ({ method: 'GET', path, rawQuery, headers: {}, body: Buffer.alloc(0) });
    assert.equal(await h.service.route!(req('/_signalbox/sns/elsewhere')), undefined);
    const bad = await h.service.route!(req('/_signalbox/sns/confirm', `TopicArn=${encodeURIComponent(`arn:aws:sns:${REGION}:${ACCOUNT}:x`)}&Token=nope`));
    assert.equal(bad?.status, 400);
    assert.match(String(bad?.body), /Invalid parameter: Token/);
    const t = await h.topic('paged');
    await h.call('Subscribe', { TopicArn: t, Protocol: 'email', Endpoint: 'a@b.test' });
    const [conf] = (await h.jobs({ kind: 'sns.email' })).filter((j) => j.payload.topicArn === t);
    const ok = await h.service.route!(req('/_signalbox/sns/confirm', `TopicArn=${encodeURIComponent(t)}&Token=${conf.payload.token}`));
    assert.equal(ok?.status, 200);
    assert.match(String(ok?.body), /Subscription confirmed!/);
    const subs = (await h.call('ListSubscriptionsByTopic', { TopicArn: t })).Subscriptions;
    assert.match(subs[0].SubscriptionArn, new RegExp(`^${t}:`));
    const gone = await h.service.route!(req('/_signalbox/sns/unsubscribe', `SubscriptionArn=${encodeURIComponent(subs[0].SubscriptionArn)}`));
    assert.equal(gone?.status, 200);
    assert.equal((await h.call('ListSubscriptionsByTopic', { TopicArn: t })).Subscriptions.length, 0);
  });
});
