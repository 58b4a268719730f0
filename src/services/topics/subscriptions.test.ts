/**
 * Subscriptions: endpoint validation per protocol, pending vs. confirmed, the confirmation jobs
 * and tokens (wrong, expired, reused), Unsubscribe with its UnsubscribeConfirmation and the
 * AuthenticateOnUnsubscribe rule, webhook secrets, attributes, listings.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ACCOUNT, harness, REGION, rejectsWith, type Harness } from './harness.test.js';

let h: Harness;
let topic: string;
before(async () => {
  h = await harness();
  topic = await h.topic('subs');
});
after(() => h.close());

const DAY = 24 * 3600 * 1000;

describe('Subscribe', () => {
  test('endpoints are validated per protocol', async () => {
    await rejectsWith(h.call('Subscribe', { TopicArn: topic, Protocol: 'carrier-pigeon', Endpoint: 'x' }), 'InvalidParameter', 'Invalid parameter: Amazon SNS does not support this protocol string: carrier-pigeon');
    await rejectsWith(h.call('Subscribe', { TopicArn: topic, Protocol: 'https', Endpoint: 'http://x.test/' }), 'InvalidParameter', 'Invalid parameter: Endpoint must match the specified protocol');
    await rejectsWith(h.call('Subscribe', { TopicArn: topic, Protocol: 'email', Endpoint: 'not-an-address' }), 'InvalidParameter', 'Invalid parameter: Email address');
    await rejectsWith(h.call('Subscribe', { TopicArn: topic, Protocol: 'sqs', Endpoint: 'queue' }), 'InvalidParameter', 'Invalid parameter: SQS endpoint ARN');
    await rejectsWith(h.call('Subscribe', { TopicArn: topic, Protocol: 'lambda', Endpoint: 'arn:aws:sqs:eu-west-1:1:q' }), 'InvalidParameter', 'Invalid parameter: Lambda endpoint ARN');
    await rejectsWith(h.call('Subscribe', { TopicArn: topic, Protocol: 'webhook', Endpoint: 'ftp://x' }), 'InvalidParameter', /http\(s\) URL/);
    await rejectsWith(h.call('Subscribe', { TopicArn: topic, Protocol: 'slack' }), 'InvalidParameter', /Endpoint/);
    await rejectsWith(h.call('Subscribe', { TopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:ghost`, Protocol: 'slack', Endpoint: 'https://h.test' }), 'NotFound');
    await rejectsWith(
      h.call('Subscribe', { TopicArn: topic, Protocol: 'sqs', Endpoint: `arn:aws:sqs:${REGION}:${ACCOUNT}:q.fifo` }),
      'InvalidParameter',
      /FIFO SQS Queues can not be subscribed to standard SNS topics/,
    );
  });

  test('attributes are validated with AWS wording', async () => {
    const sub = (a: Record<string, string>, protocol = 'sqs') =>
      h.call('Subscribe', { TopicArn: topic, Protocol: protocol, Endpoint: protocol === 'sqs' ? `arn:aws:sqs:${REGION}:${ACCOUNT}:q` : 'https://h.test/', Attributes: a });
    await rejectsWith(sub({ RawMessageDelivery: 'yes' }), 'InvalidParameter', 'Invalid parameter: Attributes Reason: RawMessageDelivery: Invalid value [yes]. Must be true or false.');
    await rejectsWith(sub({ FilterPolicyScope: 'Body' }), 'InvalidParameter', /FilterPolicyScope: Invalid value \[Body\]/);
    await rejectsWith(sub({ RedrivePolicy: '{"deadLetterTargetArn":"nope"}' }), 'InvalidParameter', 'Invalid parameter: Attributes Reason: RedrivePolicy: deadLetterTargetArn is an invalid arn');
    await rejectsWith(sub({ DeliveryPolicy: '{"healthyRetryPolicy":{"numRetries":3}}' }), 'InvalidParameter', /does not support delivery policies/);
    await rejectsWith(sub({ Bogus: '1' }), 'InvalidParameter', 'Invalid parameter: Attributes Reason: AttributeName');
    await rejectsWith(sub({ FilterPolicy: '{"a": "not-a-list"' }), 'InvalidParameter', /^Invalid parameter: Attributes Reason: FilterPolicy/);
    await rejectsWith(sub({ RawMessageDelivery: 'true' }, 'slack'), 'InvalidParameter', /does not support raw message delivery/);
  });

  test('sqs in the same account and native protocols are confirmed at once', async () => {
    const q = await h.call('Subscribe', { TopicArn: topic, Protocol: 'sqs', Endpoint: `arn:aws:sqs:${REGION}:${ACCOUNT}:q1` });
    assert.match(q.SubscriptionArn, new RegExp(`^${topic}:[0-9a-f-]{36}$`));
    const s = await h.call('Subscribe', { TopicArn: topic, Protocol: 'slack', Endpoint: 'https://hooks.slack.test/1' });
    const a = (await h.call('GetSubscriptionAttributes', { SubscriptionArn: s.SubscriptionArn })).Attributes;
    assert.equal(a.PendingConfirmation, 'false');
    assert.equal(a.Protocol, 'slack');
    // the same endpoint again: the same subscription
    const again = await h.call('Subscribe', { TopicArn: topic, Protocol: 'slack', Endpoint: 'https://hooks.slack.test/1' });
    assert.equal(again.SubscriptionArn, s.SubscriptionArn);
    await rejectsWith(
      h.call('Subscribe', { TopicArn: topic, Protocol: 'slack', Endpoint: 'https://hooks.slack.test/1', Attributes: { FilterPolicy: '{"a":["b"]}' } }),
      'InvalidParameter',
      'Invalid parameter: Attributes Reason: Subscription already exists with different attributes',
    );
  });

  test('webhook subscriptions get a sealed Standard Webhooks secret', async () => {
    const s = await h.call('Subscribe', { TopicArn: topic, Protocol: 'webhook', Endpoint: 'https://receiver.test/hook' });
    const a = (await h.call('GetSubscriptionAttributes', { SubscriptionArn: s.SubscriptionArn })).Attributes;
    assert.match(a.WebhookSecret, /^whsec_[A-Za-z0-9+/]{32,}={0,2}$/);
    assert.ok(Buffer.from(a.WebhookSecret.slice(6), 'base64').length >= 24);
    const row = await h.store.one<{ webhook_secret: string }>('SELECT webhook_secret FROM sns_subscriptions WHERE arn = ?', [s.SubscriptionArn]);
    assert.ok(row!.webhook_secret.startsWith('v1:'), 'stored sealed');
    assert.ok(!row!.webhook_secret.includes(a.WebhookSecret.slice(6)));
    assert.equal(h.secrets.open(row!.webhook_secret, s.SubscriptionArn), a.WebhookSecret);
  });
});

describe('confirmation', () => {
  test('http starts pending, a SubscriptionConfirmation job is committed, the token confirms', async () => {
    const t = await h.topic('confirm-me');
    const out = await h.call('Subscribe', { TopicArn: t, Protocol: 'http', Endpoint: 'http://127.0.0.1:9/sns' });
    assert.equal(out.SubscriptionArn, 'pending confirmation');
    const [job] = await h.jobs({ kind: 'sns.http' }).then((js) => js.filter((j) => j.payload.topicArn === t));
    assert.ok(job, 'confirmation job');
    assert.equal(job.source, 'sns');
    assert.equal(job.target, 'http://127.0.0.1:9/sns');
    assert.equal(job.payload.type, 'SubscriptionConfirmation');
    assert.equal(job.payload.subscriptionArn, undefined);
    assert.match(job.payload.token!, /^[0-9a-f]{128}$/);
    assert.equal(job.payload.message, `You have chosen to subscribe to the topic ${t}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`);
    assert.equal(job.retry?.maxAttempts, 4);

    const listed = (await h.call('ListSubscriptionsByTopic', { TopicArn: t })).Subscriptions;
    assert.deepEqual(listed.map((s: { SubscriptionArn: string }) => s.SubscriptionArn), ['PendingConfirmation']);
    let attrs = (await h.call('GetTopicAttributes', { TopicArn: t })).Attributes;
    assert.equal(attrs.SubscriptionsPending, '1');

    await rejectsWith(h.call('ConfirmSubscription', { TopicArn: t, Token: 'f'.repeat(128) }), 'InvalidParameter', 'Invalid parameter: Token');
    await rejectsWith(h.call('ConfirmSubscription', { TopicArn: topic, Token: job.payload.token }), 'InvalidParameter', 'Invalid parameter: Topic');
    // unsigned, as the SubscribeURL GET arrives
    const c = await h.call('ConfirmSubscription', { TopicArn: t, Token: job.payload.token }, { accessKeyId: '' });
    assert.match(c.SubscriptionArn, new RegExp(`^${t}:`));
    const sa = (await h.call('GetSubscriptionAttributes', { SubscriptionArn: c.SubscriptionArn })).Attributes;
    assert.equal(sa.PendingConfirmation, 'false');
    assert.equal(sa.ConfirmationWasAuthenticated, 'false');
    // reusing the token after confirmation answers the same ARN (idempotent)
    assert.equal((await h.call('ConfirmSubscription', { TopicArn: t, Token: job.payload.token })).SubscriptionArn, c.SubscriptionArn);
    attrs = (await h.call('GetTopicAttributes', { TopicArn: t })).Attributes;
    assert.equal(attrs.SubscriptionsConfirmed, '1');
    assert.equal(attrs.SubscriptionsPending, '0');
  });

  test('tokens expire after three days', async () => {
    const t = await h.topic('expiring');
    await h.call('Subscribe', { TopicArn: t, Protocol: 'email', Endpoint: 'ops@example.com' });
    const [job] = (await h.jobs({ kind: 'sns.email' })).filter((j) => j.payload.topicArn === t);
    assert.equal(job.payload.type, 'SubscriptionConfirmation');
    await rejectsWith(h.call('ConfirmSubscription', { TopicArn: t, Token: job.payload.token }, { now: new Date(Date.now() + 3 * DAY + 1000) }), 'InvalidParameter', 'Invalid parameter: Token');
    // ReturnSubscriptionArn gives the ARN of a pending subscription
    const again = await h.call('Subscribe', { TopicArn: t, Protocol: 'email', Endpoint: 'ops@example.com', ReturnSubscriptionArn: true });
    assert.match(again.SubscriptionArn, new RegExp(`^${t}:`));
    assert.equal((await h.jobs({ kind: 'sns.email' })).filter((j) => j.payload.topicArn === t).length, 2, 'confirmation sent again');
  });
});

describe('Unsubscribe', () => {
  test('http: UnsubscribeConfirmation whose token restores the subscription', async () => {
    const t = await h.topic('leaving');
    await h.call('Subscribe', { TopicArn: t, Protocol: 'https', Endpoint: 'https://r.test/a' });
    const [conf] = (await h.jobs({ kind: 'sns.https' })).filter((j) => j.payload.topicArn === t);
    const { SubscriptionArn: arn } = await h.call('ConfirmSubscription', { TopicArn: t, Token: conf.payload.token });
    await h.call('Unsubscribe', { SubscriptionArn: arn }, { accessKeyId: '' });
    await rejectsWith(h.call('GetSubscriptionAttributes', { SubscriptionArn: arn }), 'NotFound');
    const bye = (await h.jobs({ kind: 'sns.https', ref: arn })).find((j) => j.payload.type === 'UnsubscribeConfirmation');
    assert.ok(bye, 'UnsubscribeConfirmation job');
    assert.equal(bye.payload.subscriptionArn, arn);
    assert.match(bye.payload.message, /^You have chosen to deactivate subscription /);
    assert.equal((await h.call('GetTopicAttributes', { TopicArn: t })).Attributes.SubscriptionsDeleted, '1');
    // unsubscribing again succeeds
    await h.call('Unsubscribe', { SubscriptionArn: arn });
    const restored = await h.call('ConfirmSubscription', { TopicArn: t, Token: bye.payload.token });
    const a = (await h.call('GetSubscriptionAttributes', { SubscriptionArn: restored.SubscriptionArn })).Attributes;
    assert.equal(a.Endpoint, 'https://r.test/a');
    assert.equal(a.PendingConfirmation, 'false');
  });

  test('AuthenticateOnUnsubscribe=true in a signed confirm refuses unsigned unsubscribes', async () => {
    const t = await h.topic('guarded');
    await h.call('Subscribe', { TopicArn: t, Protocol: 'http', Endpoint: 'http://r.test/g' });
    const [conf] = (await h.jobs({ kind: 'sns.http' })).filter((j) => j.payload.topicArn === t);
    const { SubscriptionArn: arn } = await h.call('ConfirmSubscription', { TopicArn: t, Token: conf.payload.token, AuthenticateOnUnsubscribe: 'true' });
    assert.equal((await h.call('GetSubscriptionAttributes', { SubscriptionArn: arn })).Attributes.ConfirmationWasAuthenticated, 'true');
    await rejectsWith(h.call('Unsubscribe', { SubscriptionArn: arn }, { accessKeyId: '' }), 'AuthorizationError');
    await h.call('Unsubscribe', { SubscriptionArn: arn });
    await rejectsWith(h.call('GetSubscriptionAttributes', { SubscriptionArn: arn }), 'NotFound');
  });
});

describe('subscription attributes and listings', () => {
  test('SetSubscriptionAttributes validates and stores', async () => {
    const t = await h.topic('attrs');
    const { SubscriptionArn: arn } = await h.call('Subscribe', { TopicArn: t, Protocol: 'sqs', Endpoint: `arn:aws:sqs:${REGION}:${ACCOUNT}:attrs` });
    await h.call('SetSubscriptionAttributes', { SubscriptionArn: arn, AttributeName: 'RawMessageDelivery', AttributeValue: 'TRUE' });
    await h.call('SetSubscriptionAttributes', { SubscriptionArn: arn, AttributeName: 'FilterPolicy', AttributeValue: '{"level":["error"]}' });
    let a = (await h.call('GetSubscriptionAttributes', { SubscriptionArn: arn })).Attributes;
    assert.equal(a.RawMessageDelivery, 'true');
    assert.equal(a.FilterPolicy, '{"level":["error"]}');
    assert.equal(a.FilterPolicyScope, 'MessageAttributes');
    await rejectsWith(h.call('SetSubscriptionAttributes', { SubscriptionArn: arn, AttributeName: 'Nope', AttributeValue: 'x' }), 'InvalidParameter', 'Invalid parameter: AttributeName');
    await rejectsWith(h.call('SetSubscriptionAttributes', { SubscriptionArn: arn, AttributeName: 'FilterPolicy', AttributeValue: '{"a":' }), 'InvalidParameter', /^Invalid parameter: FilterPolicy/);
    await h.call('SetSubscriptionAttributes', { SubscriptionArn: arn, AttributeName: 'FilterPolicy', AttributeValue: '' });
    a = (await h.call('GetSubscriptionAttributes', { SubscriptionArn: arn })).Attributes;
    assert.equal(a.FilterPolicy, undefined);
    await rejectsWith(h.call('GetSubscriptionAttributes', { SubscriptionArn: `${t}:00000000-0000-0000-0000-000000000000` }), 'NotFound', 'Subscription does not exist');
  });

  test('http subscriptions show an EffectiveDeliveryPolicy', async () => {
    const t = await h.topic('effective');
    const { SubscriptionArn: arn } = await h.call('Subscribe', {
      TopicArn: t, Protocol: 'https', Endpoint: 'https://r.test/e', ReturnSubscriptionArn: true,
      Attributes: { DeliveryPolicy: '{"healthyRetryPolicy":{"numRetries":7,"minDelayTarget":2,"maxDelayTarget":30},"requestPolicy":{"headerContentType":"application/json"}}' },
    });
    const eff = JSON.parse((await h.call('GetSubscriptionAttributes', { SubscriptionArn: arn })).Attributes.EffectiveDeliveryPolicy);
    assert.equal(eff.healthyRetryPolicy.numRetries, 7);
    assert.equal(eff.requestPolicy.headerContentType, 'application/json');
  });

  test('ListSubscriptions pages by 100', async () => {
    const other = await harness();
    try {
      const t = await other.topic('many');
      for (let i = 0; i < 150; i++) await other.call('Subscribe', { TopicArn: t, Protocol: 'webhook', Endpoint: `https://r.test/${i}` });
      const first = await other.call('ListSubscriptions', {});
      assert.equal(first.Subscriptions.length, 100);
      assert.ok(first.NextToken);
      const second = await other.call('ListSubscriptions', { NextToken: first.NextToken });
      assert.equal(second.Subscriptions.length, 50);
      assert.equal(second.NextToken, undefined);
      assert.equal(second.Subscriptions[49].Endpoint, 'https://r.test/149');
      const byTopic = await other.call('ListSubscriptionsByTopic', { TopicArn: t });
      assert.equal(byTopic.Subscriptions.length, 100);
      assert.equal(byTopic.Subscriptions[0].TopicArn, t);
      await rejectsWith(other.call('ListSubscriptionsByTopic', { TopicArn: t, NextToken: first.NextToken }), 'InvalidParameter', 'Invalid parameter: NextToken');
    } finally {
      await other.close();
    }
  });
});
