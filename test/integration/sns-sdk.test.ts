/**
 * The SNS API through the built server and the real @aws-sdk/client-sns: topics, attributes,
 * tags, subscriptions and their confirmation (the unsigned SubscribeURL GET, the e-mail pages),
 * Publish / PublishBatch, and the errors AWS answers, as the SDK parses them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ConfirmSubscriptionCommand, CreateTopicCommand, DeleteTopicCommand, GetSubscriptionAttributesCommand, GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand, ListSubscriptionsCommand, ListTagsForResourceCommand, ListTopicsCommand, PublishBatchCommand,
  PublishCommand, SetSubscriptionAttributesCommand, SetTopicAttributesCommand, SNSClient, SubscribeCommand, TagResourceCommand,
  UnsubscribeCommand, UntagResourceCommand,
} from '@aws-sdk/client-sns';
import { Receiver } from '../helpers/receiver.js';
import { clientConfig, startServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let sns: SNSClient;
let rcv: Receiver;
let manual: Receiver;

before(async () => {
  server = await startServer();
  sns = new SNSClient(clientConfig(server));
  rcv = await new Receiver().start();
  manual = await new Receiver().start();
  manual.autoConfirm = false;
});

after(async () => {
  await server?.dispose();
  await rcv?.stop();
  await manual?.stop();
});

async function rejects(p: Promise<unknown>, name: string, message?: string | RegExp): Promise<void> {
  await assert.rejects(p, (e: any) => {
    assert.equal(e.name, name, `error name (message: ${e.message})`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return true;
  });
}

async function topic(name: string, Attributes?: Record<string, string>): Promise<string> {
  return (await sns.send(new CreateTopicCommand({ Name: name, Attributes }))).TopicArn!;
}

describe('topics', () => {
  test('create, attributes, list, tags, delete', async () => {
    const arn = await topic('sdk-topic', { DisplayName: 'SDK' });
    assert.equal(arn, 'arn:aws:sns:us-east-1:000000000000:sdk-topic');
    assert.equal(await topic('sdk-topic', { DisplayName: 'SDK' }), arn);
    await rejects(sns.send(new CreateTopicCommand({ Name: 'sdk-topic', Attributes: { DisplayName: 'Other' } })), 'InvalidParameterException',
      'Invalid parameter: Attributes Reason: Topic already exists with different attributes');
    await rejects(sns.send(new CreateTopicCommand({ Name: 'bad.name' })), 'InvalidParameterException', 'Invalid parameter: Topic Name');

    await sns.send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'SignatureVersion', AttributeValue: '2' }));
    const attrs = (await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes!;
    assert.equal(attrs.DisplayName, 'SDK');
    assert.equal(attrs.SignatureVersion, '2');
    assert.equal(attrs.Owner, '000000000000');
    assert.equal(JSON.parse(attrs.EffectiveDeliveryPolicy!).http.defaultHealthyRetryPolicy.numRetries, 3);

    const listed = (await sns.send(new ListTopicsCommand({}))).Topics!.map((t) => t.TopicArn);
    assert.ok(listed.includes(arn));

    await sns.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'team', Value: 'ops' }] }));
    assert.deepEqual((await sns.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags, [{ Key: 'team', Value: 'ops' }]);
    await sns.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['team'] }));
    assert.deepEqual((await sns.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags ?? [], []);

    await sns.send(new DeleteTopicCommand({ TopicArn: arn }));
    await rejects(sns.send(new GetTopicAttributesCommand({ TopicArn: arn })), 'NotFoundException', 'Topic does not exist');
    await rejects(sns.send(new PublishCommand({ TopicArn: arn, Message: 'x' })), 'NotFoundException', 'Topic does not exist');
  });
});

describe('subscriptions', () => {
  test('http subscription confirmed by the endpoint GETting the SubscribeURL, then notified', async () => {
    const arn = await topic('sdk-http');
    const endpoint = `${rcv.url}/sdk-http`;
    const sub = await sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'http', Endpoint: endpoint }));
    assert.equal(sub.SubscriptionArn, 'pending confirmation');
    await rcv.waitFor(() => rcv.received.some((r) => r.path === '/sdk-http' && r.sns?.type === 'SubscriptionConfirmation' && r.sns.confirm === 200), 20_000, 'confirmation');
    const subs = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: arn }))).Subscriptions!;
    assert.equal(subs.length, 1);
    assert.match(subs[0].SubscriptionArn!, new RegExp(`^${arn}:`));

    await sns.send(new PublishCommand({ TopicArn: arn, Message: 'hello http', Subject: 'Hi' }));
    await rcv.waitFor(() => rcv.received.some((r) => r.path === '/sdk-http' && r.json?.Message === 'hello http'), 20_000, 'notification');
    const n = rcv.received.find((r) => r.json?.Message === 'hello http')!;
    assert.equal(n.json.Subject, 'Hi');
    assert.equal(n.json.TopicArn, arn);

    // the UnsubscribeURL in the notification is a plain GET
    const res = await fetch(n.json.UnsubscribeURL);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /UnsubscribeResponse/);
    assert.equal((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: arn }))).Subscriptions!.length, 0);
  });

  test('ConfirmSubscription through an unsigned GET of the SubscribeURL', async () => {
    const arn = await topic('sdk-manual');
    await sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'http', Endpoint: `${manual.url}/m` }));
    await manual.waitFor(() => manual.received.some((r) => r.sns?.type === 'SubscriptionConfirmation' && r.json.TopicArn === arn), 20_000, 'confirmation');
    const msg = manual.received.find((r) => r.json?.TopicArn === arn)!.json;
    assert.equal((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: arn }))).Subscriptions![0].SubscriptionArn, 'PendingConfirmation');
    const res = await fetch(msg.SubscribeURL);
    const xml = await res.text();
    assert.equal(res.status, 200, xml);
    const subArn = /<SubscriptionArn>([^<]+)<\/SubscriptionArn>/.exec(xml)?.[1];
    assert.match(subArn ?? '', new RegExp(`^${arn}:`));
    // the SDK's ConfirmSubscription with the same token answers the same ARN
    const again = await sns.send(new ConfirmSubscriptionCommand({ TopicArn: arn, Token: msg.Token }));
    assert.equal(again.SubscriptionArn, subArn);
    await rejects(sns.send(new ConfirmSubscriptionCommand({ TopicArn: arn, Token: 'abc' })), 'InvalidParameterException', 'Invalid parameter: Token');
  });

  test('the e-mail confirmation page confirms and unsubscribes', async () => {
    const arn = await topic('sdk-page');
    await sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'http', Endpoint: `${manual.url}/page` }));
    await manual.waitFor(() => manual.received.some((r) => r.json?.TopicArn === arn), 20_000, 'confirmation');
    const token = manual.received.find((r) => r.json?.TopicArn === arn)!.json.Token;
    const page = await fetch(`${server.url}/_signalbox/sns/confirm?TopicArn=${encodeURIComponent(arn)}&Token=${encodeURIComponent(token)}`);
    const html = await page.text();
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.match(html, /Subscription confirmed!/);
    const subArn = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: arn }))).Subscriptions![0].SubscriptionArn!;
    assert.ok(html.includes(subArn));
    const bad = await fetch(`${server.url}/_signalbox/sns/confirm?TopicArn=${encodeURIComponent(arn)}&Token=nope`);
    assert.equal(bad.status, 400);
    const leave = await fetch(`${server.url}/_signalbox/sns/unsubscribe?SubscriptionArn=${encodeURIComponent(subArn)}`);
    assert.equal(leave.status, 200);
    assert.equal((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: arn }))).Subscriptions!.length, 0);
  });

  test('bad protocols, endpoints and filter policies', async () => {
    const arn = await topic('sdk-bad');
    await rejects(sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'smoke', Endpoint: 'x' })), 'InvalidParameterException',
      'Invalid parameter: Amazon SNS does not support this protocol string: smoke');
    await rejects(sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'https', Endpoint: 'http://x.test' })), 'InvalidParameterException',
      'Invalid parameter: Endpoint must match the specified protocol');
    await rejects(sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: 'not-an-arn' })), 'InvalidParameterException', 'Invalid parameter: SQS endpoint ARN');
    await rejects(
      sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'webhook', Endpoint: 'https://r.test/h', Attributes: { FilterPolicy: '{"a": "b"}' } })),
      'InvalidParameterException',
      /^Invalid parameter: Attributes Reason: FilterPolicy: /,
    );
    const s = await sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'webhook', Endpoint: 'https://r.test/h' }));
    await rejects(
      sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: s.SubscriptionArn, AttributeName: 'FilterPolicy', AttributeValue: '{"a": [{"numeric": [">", "x"]}]}' })),
      'InvalidParameterException',
      /^Invalid parameter: FilterPolicy: /,
    );
    const a = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: s.SubscriptionArn }))).Attributes!;
    assert.match(a.WebhookSecret!, /^whsec_/);
    assert.equal(a.PendingConfirmation, 'false');
    const mine = (await sns.send(new ListSubscriptionsCommand({}))).Subscriptions!.map((x) => x.SubscriptionArn);
    assert.ok(mine.includes(s.SubscriptionArn));
    await sns.send(new UnsubscribeCommand({ SubscriptionArn: s.SubscriptionArn }));
    await rejects(sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: s.SubscriptionArn })), 'NotFoundException', 'Subscription does not exist');
  });
});

describe('publishing', () => {
  test('errors: size, attributes, structure, FIFO', async () => {
    const arn = await topic('sdk-pub');
    await rejects(sns.send(new PublishCommand({ TopicArn: arn, Message: 'x'.repeat(262_145) })), 'InvalidParameterException', 'Invalid parameter: Message too long');
    await rejects(
      sns.send(new PublishCommand({ TopicArn: arn, Message: 'm', MessageAttributes: { n: { DataType: 'Number', StringValue: 'abc' } } })),
      'InvalidParameterValueException',
      "Could not cast message attribute 'n' value to number.",
    );
    await rejects(sns.send(new PublishCommand({ TopicArn: arn, Message: '{"x":"y"}', MessageStructure: 'json' })), 'InvalidParameterException',
      'Invalid parameter: Message Structure - No default entry in JSON message body');
    await rejects(sns.send(new PublishCommand({ TopicArn: arn, Message: 'm', Subject: 'a\nb' })), 'InvalidParameterException', 'Invalid parameter: Subject');
    const fifo = await topic('sdk.fifo', { FifoTopic: 'true', ContentBasedDeduplication: 'true' });
    await rejects(sns.send(new PublishCommand({ TopicArn: fifo, Message: 'm' })), 'InvalidParameterException', 'Invalid parameter: The MessageGroupId parameter is required for FIFO topics');
    const a = await sns.send(new PublishCommand({ TopicArn: fifo, Message: 'm', MessageGroupId: 'g' }));
    const b = await sns.send(new PublishCommand({ TopicArn: fifo, Message: 'm', MessageGroupId: 'g' }));
    assert.equal(b.MessageId, a.MessageId);
    assert.match(a.SequenceNumber!, /^\d{20}$/);
  });

  test('PublishBatch: per-entry results and batch errors', async () => {
    const arn = await topic('sdk-batch');
    const out = await sns.send(new PublishBatchCommand({
      TopicArn: arn,
      PublishBatchRequestEntries: [{ Id: 'ok', Message: 'fine' }, { Id: 'bad', Message: 'm', Subject: 'x'.repeat(101) }],
    }));
    assert.deepEqual(out.Successful!.map((s) => s.Id), ['ok']);
    assert.deepEqual(out.Failed!.map((f) => [f.Id, f.Code, f.SenderFault]), [['bad', 'InvalidParameter', true]]);
    await rejects(sns.send(new PublishBatchCommand({ TopicArn: arn, PublishBatchRequestEntries: [{ Id: 'a', Message: 'm' }, { Id: 'a', Message: 'n' }] })),
      'BatchEntryIdsNotDistinctException');
    await rejects(sns.send(new PublishBatchCommand({
      TopicArn: arn, PublishBatchRequestEntries: Array.from({ length: 11 }, (_, i) => ({ Id: `i${i}`, Message: 'm' })),
    })), 'TooManyEntriesInBatchRequestException');
    await rejects(sns.send(new PublishBatchCommand({
      TopicArn: arn, PublishBatchRequestEntries: [{ Id: 'a', Message: 'x'.repeat(140_000) }, { Id: 'b', Message: 'x'.repeat(140_000) }],
    })), 'BatchRequestTooLongException');
  });
});
