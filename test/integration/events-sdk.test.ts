/**
 * EventBridge end to end: the built `signalbox start` in a child process, driven by the real
 * `@aws-sdk/client-eventbridge`, with SQS queues (standard and FIFO), an SNS topic, another bus
 * and a log group as targets, read back through their own SDKs. Covers buses, rules, targets
 * with Input / InputPath / InputTransformer, PutEvents partial failures, limits and AWS's error
 * messages, a missing queue ending in the dead-letter queue, CloudTrail events of other services'
 * calls, alarm state changes, archives and replay, and tags.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateArchiveCommand, CreateEventBusCommand, DeleteEventBusCommand, DeleteRuleCommand, DescribeArchiveCommand, DescribeEventBusCommand,
  DescribeReplayCommand, DescribeRuleCommand, DisableRuleCommand, EnableRuleCommand, EventBridgeClient, ListEventBusesCommand,
  ListRuleNamesByTargetCommand, ListRulesCommand, ListTagsForResourceCommand, ListTargetsByRuleCommand, PutEventsCommand, PutRuleCommand,
  PutTargetsCommand, RemoveTargetsCommand, StartReplayCommand, TagResourceCommand, TestEventPatternCommand, UntagResourceCommand,
} from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CloudWatchLogsClient, CreateLogGroupCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { clientConfig, startServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let eb: EventBridgeClient;
let sqs: SQSClient;
before(async () => {
  server = await startServer();
  eb = new EventBridgeClient(clientConfig(server));
  sqs = new SQSClient(clientConfig(server));
});
after(async () => {
  await server?.dispose();
});

const ACCOUNT = '000000000000';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function fails(p: Promise<unknown>, name: string, message?: string | RegExp): Promise<void> {
  await assert.rejects(p, (e: any) => {
    assert.equal(e.name, name, `expected ${name}, got ${e.name}: ${e.message}`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return true;
  });
}

async function queue(name: string, attributes?: Record<string, string>): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const a = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { url: QueueUrl!, arn: a.Attributes!.QueueArn! };
}

/** Receives until `n` messages arrived or the time is up. */
async function receive(url: string, n: number, timeoutMs = 8000, attributes = false): Promise<any[]> {
  const got: any[] = [];
  const deadline = Date.now() + timeoutMs;
  while (got.length < n && Date.now() < deadline) {
    const r = await sqs.send(new ReceiveMessageCommand({
      QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, ...(attributes ? { MessageAttributeNames: ['All'], AttributeNames: ['All'] } : {}),
    }));
    got.push(...(r.Messages ?? []));
  }
  return got;
}

const entry = (detail: object, over: Record<string, unknown> = {}) => ({ Source: 'app.orders', DetailType: 'Order Placed', Detail: JSON.stringify(detail), ...over });

describe('buses', () => {
  test('the default bus exists; custom buses are created, listed, described and deleted', async () => {
    const d = await eb.send(new DescribeEventBusCommand({}));
    assert.equal(d.Name, 'default');
    assert.equal(d.Arn, `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/default`);
    const c = await eb.send(new CreateEventBusCommand({ Name: 'orders-bus', Tags: [{ Key: 'team', Value: 'a' }] }));
    assert.equal(c.EventBusArn, `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/orders-bus`);
    await fails(eb.send(new CreateEventBusCommand({ Name: 'orders-bus' })), 'ResourceAlreadyExistsException', 'Event bus orders-bus already exists.');
    const list = await eb.send(new ListEventBusesCommand({}));
    assert.deepEqual(list.EventBuses!.map((b) => b.Name), ['default', 'orders-bus']);
    const tags = await eb.send(new ListTagsForResourceCommand({ ResourceARN: c.EventBusArn }));
    assert.deepEqual(tags.Tags, [{ Key: 'team', Value: 'a' }]);
    await eb.send(new CreateEventBusCommand({ Name: 'doomed' }));
    await eb.send(new DeleteEventBusCommand({ Name: 'doomed' }));
    await fails(eb.send(new DescribeEventBusCommand({ Name: 'doomed' })), 'ResourceNotFoundException', 'Event bus doomed does not exist.');
    await fails(eb.send(new DeleteEventBusCommand({ Name: 'default' })), 'ValidationException');
  });
});

describe('rules and targets', () => {
  test('PutRule validates patterns with AWS messages; Describe/List/Enable/Disable/Delete', async () => {
    await fails(eb.send(new PutRuleCommand({ Name: 'bad', EventPattern: '{"source": "aws.ec2"}' })), 'InvalidEventPatternException', /^Event pattern is not valid\. Reason: "source" must be an object or an array/);
    await fails(eb.send(new PutRuleCommand({ Name: 'none' })), 'ValidationException', 'Parameter(s) EventPattern or ScheduleExpression must be specified.');
    await fails(eb.send(new PutRuleCommand({ Name: 'sched', ScheduleExpression: 'rate(1 minutes)' })), 'ValidationException', 'Parameter ScheduleExpression is not valid.');
    await fails(eb.send(new PutRuleCommand({ Name: 'x', EventBusName: 'nope', EventPattern: '{"source":["a"]}' })), 'ResourceNotFoundException', 'Event bus nope does not exist.');
    const r = await eb.send(new PutRuleCommand({ Name: 'r1', EventBusName: 'orders-bus', EventPattern: '{"source":["app.orders"]}', Description: 'd' }));
    assert.equal(r.RuleArn, `arn:aws:events:us-east-1:${ACCOUNT}:rule/orders-bus/r1`);
    const d = await eb.send(new DescribeRuleCommand({ Name: 'r1', EventBusName: 'orders-bus' }));
    assert.equal(d.State, 'ENABLED');
    assert.equal(d.EventPattern, '{"source":["app.orders"]}');
    await eb.send(new DisableRuleCommand({ Name: 'r1', EventBusName: 'orders-bus' }));
    assert.equal((await eb.send(new DescribeRuleCommand({ Name: 'r1', EventBusName: 'orders-bus' }))).State, 'DISABLED');
    await eb.send(new EnableRuleCommand({ Name: 'r1', EventBusName: 'orders-bus' }));
    const list = await eb.send(new ListRulesCommand({ EventBusName: 'orders-bus', NamePrefix: 'r' }));
    assert.deepEqual(list.Rules!.map((x) => x.Name), ['r1']);
    await fails(eb.send(new DescribeRuleCommand({ Name: 'ghost' })), 'ResourceNotFoundException', 'Rule ghost does not exist on EventBus default.');
    await eb.send(new DeleteRuleCommand({ Name: 'r1', EventBusName: 'orders-bus' }));
    await fails(eb.send(new DescribeRuleCommand({ Name: 'r1', EventBusName: 'orders-bus' })), 'ResourceNotFoundException');
  });

  test('a rule holds at most 5 targets; bad transformers are refused; targets are listed', async () => {
    await eb.send(new PutRuleCommand({ Name: 'many', EventPattern: '{"source":["app.many"]}' }));
    const t = (i: number) => ({ Id: `t${i}`, Arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:q${i}` });
    await eb.send(new PutTargetsCommand({ Rule: 'many', Targets: [1, 2, 3, 4, 5].map(t) }));
    await fails(eb.send(new PutTargetsCommand({ Rule: 'many', Targets: [t(6)] })), 'LimitExceededException', 'The requested resource exceeds the maximum number allowed.');
    await fails(eb.send(new PutTargetsCommand({ Rule: 'many', Targets: [{ ...t(1), Input: '{}', InputPath: '$.detail' }] })), 'ValidationException', /Only one of Input, InputPath, or InputTransformer/);
    await fails(eb.send(new PutTargetsCommand({ Rule: 'many', Targets: [{ ...t(1), InputTransformer: { InputPathsMap: { a: 'detail' }, InputTemplate: '<a>' } }] })), 'ValidationException', /not a valid JSON path/);
    await fails(eb.send(new PutTargetsCommand({ Rule: 'many', Targets: [{ ...t(1), InputTransformer: { InputPathsMap: { a: '$.a' }, InputTemplate: '{"x": <a>,}' } }] })), 'ValidationException', /Invalid InputTemplate for target t1/);
    await fails(eb.send(new PutTargetsCommand({ Rule: 'many', Targets: [{ ...t(1), RetryPolicy: { MaximumRetryAttempts: 200 } }] })), 'ValidationException', /maximumRetryAttempts/);
    const listed = await eb.send(new ListTargetsByRuleCommand({ Rule: 'many' }));
    assert.deepEqual(listed.Targets!.map((x) => x.Id), ['t1', 't2', 't3', 't4', 't5']);
    const names = await eb.send(new ListRuleNamesByTargetCommand({ TargetArn: t(3).Arn }));
    assert.deepEqual(names.RuleNames, ['many']);
    await fails(eb.send(new DeleteRuleCommand({ Name: 'many' })), 'ValidationException', "Rule can't be deleted since it has targets.");
    await eb.send(new RemoveTargetsCommand({ Rule: 'many', Ids: ['t1', 't2', 't3', 't4', 't5'] }));
    await eb.send(new DeleteRuleCommand({ Name: 'many' }));
  });

  test('TestEventPattern answers with the shared matcher', async () => {
    const event = JSON.stringify({ id: '1', account: ACCOUNT, source: 'aws.ec2', time: '2024-01-01T00:00:00Z', region: 'us-east-1', resources: [], 'detail-type': 'x', detail: { n: 7, ip: '10.0.0.7' } });
    const yes = await eb.send(new TestEventPatternCommand({ EventPattern: '{"detail":{"n":[{"numeric":[">",5]}],"ip":[{"cidr":"10.0.0.0/24"}]}}', Event: event }));
    assert.equal(yes.Result, true);
    const no = await eb.send(new TestEventPatternCommand({ EventPattern: '{"source":[{"anything-but":"aws.ec2"}]}', Event: event }));
    assert.equal(no.Result, false);
    await fails(eb.send(new TestEventPatternCommand({ EventPattern: '{"source":["a"]}', Event: '{"source":"a"}' })), 'ValidationException', 'Parameter Event is not valid.');
  });
});

describe('PutEvents to targets', () => {
  test('entries fail one by one; matched events reach SQS (with Input, InputPath, InputTransformer) and FIFO queues', async () => {
    const plain = await queue('eb-plain');
    const shaped = await queue('eb-shaped');
    const fifo = await queue('eb-orders.fifo', { FifoQueue: 'true' });
    await eb.send(new PutRuleCommand({ Name: 'orders', EventBusName: 'orders-bus', EventPattern: JSON.stringify({ source: ['app.orders'], detail: { amount: [{ numeric: ['>=', 100] }] } }) }));
    await eb.send(new PutTargetsCommand({
      Rule: 'orders', EventBusName: 'orders-bus', Targets: [
        { Id: 'whole', Arn: plain.arn },
        { Id: 'path', Arn: shaped.arn, InputPath: '$.detail' },
        { Id: 'const', Arn: shaped.arn, Input: '{"fixed":true}' },
        {
          Id: 'xf', Arn: shaped.arn,
          InputTransformer: { InputPathsMap: { id: '$.detail.id', amount: '$.detail.amount', note: '$.detail.note' }, InputTemplate: '{"order": <id>, "total": <amount>, "text": "order <id>: <note>", "rule": "<aws.events.rule-name>"}' },
        },
        { Id: 'fifo', Arn: fifo.arn, SqsParameters: { MessageGroupId: 'orders' } },
      ],
    }));
    const r = await eb.send(new PutEventsCommand({
      Entries: [
        entry({ id: 'o-1', amount: 150, note: 'say "hi"' }, { EventBusName: 'orders-bus' }),
        { DetailType: 'x', Detail: '{}' },
        entry({ id: 'o-2', amount: 5 }, { EventBusName: 'orders-bus' }),
        { Source: 'app', DetailType: 'x', Detail: '[1' },
        entry({}, { EventBusName: 'nowhere' }),
      ],
    }));
    assert.equal(r.FailedEntryCount, 3);
    assert.ok(r.Entries![0].EventId);
    assert.deepEqual(r.Entries![1], { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.' });
    assert.ok(r.Entries![2].EventId);
    assert.deepEqual(r.Entries![3], { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' });
    assert.equal(r.Entries![4].ErrorCode, 'ResourceNotFoundException');

    const [whole] = await receive(plain.url, 1);
    const event = JSON.parse(whole.Body);
    assert.equal(event.id, r.Entries![0].EventId);
    assert.equal(event['detail-type'], 'Order Placed');
    assert.equal(event.account, ACCOUNT);
    assert.deepEqual(event.detail, { id: 'o-1', amount: 150, note: 'say "hi"' });
    assert.match(event.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const bodies = (await receive(shaped.url, 3)).map((m) => JSON.parse(m.Body));
    assert.deepEqual(bodies.find((b) => 'amount' in b), { id: 'o-1', amount: 150, note: 'say "hi"' });
    assert.ok(bodies.some((b) => b.fixed === true));
    assert.deepEqual(bodies.find((b) => 'order' in b), { order: 'o-1', total: 150, text: 'order o-1: say "hi"', rule: 'orders' });
    const [f] = await receive(fifo.url, 1, 8000, true);
    assert.equal(f.Attributes.MessageGroupId, 'orders');
    assert.equal(JSON.parse(f.Body).id, r.Entries![0].EventId);
    assert.equal((await receive(plain.url, 1, 1500)).length, 0, 'the event under 100 matched nothing');
  });

  test('limits: more than 10 entries, over 256 KB', async () => {
    await fails(eb.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => entry({})) })), 'ValidationException', /Member must have length less than or equal to 10/);
    await fails(eb.send(new PutEventsCommand({ Entries: [entry({ big: 'x'.repeat(256 * 1024) })] })), 'ValidationException', 'Total size of the entries in the request is over the limit.');
  });

  test('a missing queue is not retried: the event goes to the dead-letter queue with the reason', async () => {
    const dlq = await queue('eb-dlq');
    await eb.send(new PutRuleCommand({ Name: 'to-nowhere', EventPattern: '{"source":["app.dlq"]}' }));
    await eb.send(new PutTargetsCommand({ Rule: 'to-nowhere', Targets: [{ Id: 'gone', Arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:no-such-queue`, DeadLetterConfig: { Arn: dlq.arn }, InputPath: '$.detail' }] }));
    const r = await eb.send(new PutEventsCommand({ Entries: [entry({ n: 1 }, { Source: 'app.dlq' })] }));
    const [m] = await receive(dlq.url, 1, 8000, true);
    assert.ok(m, 'the dead-letter queue received the event');
    const body = JSON.parse(m.Body);
    assert.equal(body.id, r.Entries![0].EventId, 'the original event, not the transformed input');
    assert.equal(m.MessageAttributes.RULE_ARN.StringValue, `arn:aws:events:us-east-1:${ACCOUNT}:rule/to-nowhere`);
    assert.equal(m.MessageAttributes.TARGET_ARN.StringValue, `arn:aws:sqs:us-east-1:${ACCOUNT}:no-such-queue`);
    assert.equal(m.MessageAttributes.ERROR_CODE.StringValue, 'NO_RESOURCE');
    assert.equal(m.MessageAttributes.RETRY_ATTEMPTS.StringValue, '0');
  });

  test('bus to bus, SNS topic and log group targets', async () => {
    const relay = await queue('eb-relay');
    await eb.send(new PutRuleCommand({ Name: 'fwd', EventPattern: '{"source":["app.fwd"]}' }));
    await eb.send(new PutTargetsCommand({ Rule: 'fwd', Targets: [{ Id: 'bus', Arn: `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/orders-bus` }] }));
    await eb.send(new PutRuleCommand({ Name: 'arrived', EventBusName: 'orders-bus', EventPattern: '{"source":["app.fwd"]}' }));
    const sns = new SNSClient(clientConfig(server));
    const topic = await sns.send(new CreateTopicCommand({ Name: 'eb-topic' }));
    const viaTopic = await queue('eb-via-topic');
    await sns.send(new SubscribeCommand({ TopicArn: topic.TopicArn, Protocol: 'sqs', Endpoint: viaTopic.arn, Attributes: { RawMessageDelivery: 'true' } }));
    const logs = new CloudWatchLogsClient(clientConfig(server));
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/events/fwd' }));
    await eb.send(new PutTargetsCommand({
      Rule: 'arrived', EventBusName: 'orders-bus', Targets: [
        { Id: 'q', Arn: relay.arn },
        { Id: 'topic', Arn: topic.TopicArn! },
        { Id: 'log', Arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/events/fwd:*` },
      ],
    }));
    const r = await eb.send(new PutEventsCommand({ Entries: [entry({ hop: 1 }, { Source: 'app.fwd' })] }));
    const [m] = await receive(relay.url, 1);
    assert.equal(JSON.parse(m.Body).id, r.Entries![0].EventId);
    const [t] = await receive(viaTopic.url, 1);
    assert.equal(JSON.parse(t.Body).detail.hop, 1);
    let found: any[] = [];
    for (let i = 0; i < 40 && found.length === 0; i++) {
      found = (await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/events/fwd' }))).events ?? [];
      if (!found.length) await sleep(100);
    }
    assert.equal(JSON.parse(found[0].message).detail.hop, 1);
  });
});

describe('Signalbox events on the default bus', () => {
  test('other services\' mutating calls arrive as AWS API Call via CloudTrail', async () => {
    const q = await queue('eb-cloudtrail');
    await eb.send(new PutRuleCommand({
      Name: 'topic-created',
      EventPattern: JSON.stringify({ source: ['aws.sns'], 'detail-type': ['AWS API Call via CloudTrail'], detail: { eventSource: ['sns.amazonaws.com'], eventName: ['CreateTopic'] } }),
    }));
    await eb.send(new PutTargetsCommand({ Rule: 'topic-created', Targets: [{ Id: 'q', Arn: q.arn }] }));
    const sns = new SNSClient(clientConfig(server));
    const created = await sns.send(new CreateTopicCommand({ Name: 'audited-topic' }));
    const [m] = await receive(q.url, 1);
    const e = JSON.parse(m.Body);
    assert.equal(e.source, 'aws.sns');
    assert.equal(e['detail-type'], 'AWS API Call via CloudTrail');
    assert.equal(e.detail.eventName, 'CreateTopic');
    assert.equal(e.detail.requestParameters.name, 'audited-topic');
    assert.equal(e.detail.responseElements.topicArn, created.TopicArn);
    assert.equal(e.detail.userIdentity.accountId, ACCOUNT);
    assert.equal(e.detail.eventType, 'AwsApiCall');
  });

  test('alarm state changes arrive as CloudWatch Alarm State Change', async () => {
    const q = await queue('eb-alarms');
    await eb.send(new PutRuleCommand({ Name: 'alarms', EventPattern: '{"source":["aws.cloudwatch"],"detail-type":["CloudWatch Alarm State Change"]}' }));
    await eb.send(new PutTargetsCommand({ Rule: 'alarms', Targets: [{ Id: 'q', Arn: q.arn, InputTransformer: { InputPathsMap: { name: '$.detail.alarmName', state: '$.detail.state.value' }, InputTemplate: '"<name> is <state>"' } }] }));
    const cw = new CloudWatchClient(clientConfig(server));
    await cw.send(new PutMetricAlarmCommand({ AlarmName: 'eb-alarm', Namespace: 'T', MetricName: 'M', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' }));
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'eb-alarm', StateValue: 'ALARM', StateReason: 'test' }));
    const bodies = (await receive(q.url, 1)).map((m) => m.Body);
    assert.ok(bodies.includes('"eb-alarm is ALARM"'), JSON.stringify(bodies));
  });
});

describe('archives and replay', () => {
  test('archived events replay into a rule, marked with replay-name', async () => {
    const q = await queue('eb-replayed');
    const busArn = `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/orders-bus`;
    const a = await eb.send(new CreateArchiveCommand({ ArchiveName: 'orders-archive', EventSourceArn: busArn, EventPattern: '{"source":["app.archived"]}' }));
    assert.equal(a.State, 'ENABLED');
    const start = new Date(Math.floor(Date.now() / 1000) * 1000 - 1000);
    const sent = await eb.send(new PutEventsCommand({ Entries: [1, 2, 3].map((n) => entry({ n }, { Source: 'app.archived', EventBusName: 'orders-bus' })) }));
    assert.equal(sent.FailedEntryCount, 0);
    let count = 0;
    for (let i = 0; i < 50 && count < 3; i++) {
      count = Number((await eb.send(new DescribeArchiveCommand({ ArchiveName: 'orders-archive' }))).EventCount);
      if (count < 3) await sleep(100);
    }
    assert.equal(count, 3);
    const rule = await eb.send(new PutRuleCommand({ Name: 'replayed', EventBusName: 'orders-bus', EventPattern: '{"source":["app.archived"],"replay-name":[{"exists":true}]}' }));
    await eb.send(new PutTargetsCommand({ Rule: 'replayed', EventBusName: 'orders-bus', Targets: [{ Id: 'q', Arn: q.arn }] }));
    await sleep(1100);
    await eb.send(new StartReplayCommand({
      ReplayName: 'again', EventSourceArn: a.ArchiveArn, EventStartTime: start, EventEndTime: new Date(), Destination: { Arn: busArn, FilterArns: [rule.RuleArn!] },
    }));
    const got = (await receive(q.url, 3)).map((m) => JSON.parse(m.Body));
    assert.deepEqual(got.map((e) => e.detail.n).sort(), [1, 2, 3]);
    assert.ok(got.every((e) => e['replay-name'] === 'again'));
    assert.deepEqual(new Set(got.map((e) => e.id)), new Set(sent.Entries!.map((e) => e.EventId)));
    let state = '';
    for (let i = 0; i < 30 && state !== 'COMPLETED'; i++) {
      state = (await eb.send(new DescribeReplayCommand({ ReplayName: 'again' }))).State!;
      if (state !== 'COMPLETED') await sleep(100);
    }
    assert.equal(state, 'COMPLETED');
    assert.equal(Number((await eb.send(new DescribeArchiveCommand({ ArchiveName: 'orders-archive' }))).EventCount), 3, 'replayed events are not archived again');
  });
});

describe('tags', () => {
  test('rules and buses take tags', async () => {
    const r = await eb.send(new PutRuleCommand({ Name: 'tagged', EventPattern: '{"source":["t"]}', Tags: [{ Key: 'a', Value: '1' }] }));
    await eb.send(new TagResourceCommand({ ResourceARN: r.RuleArn, Tags: [{ Key: 'b', Value: '2' }] }));
    await eb.send(new UntagResourceCommand({ ResourceARN: r.RuleArn, TagKeys: ['a'] }));
    assert.deepEqual((await eb.send(new ListTagsForResourceCommand({ ResourceARN: r.RuleArn }))).Tags, [{ Key: 'b', Value: '2' }]);
    await fails(eb.send(new ListTagsForResourceCommand({ ResourceARN: `arn:aws:events:us-east-1:${ACCOUNT}:rule/ghost` })), 'ResourceNotFoundException');
  });
});
