/**
 * Signalbox's own metrics under AWS's names, read back like any metric: AWS/SNS
 * NumberOfMessagesPublished, PublishSize and NumberOfNotificationsDelivered/Failed per topic, AWS/SQS
 * NumberOfMessagesSent/Received/Deleted per queue —
 * and an alarm on one of them fires like any alarm.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricStatisticsCommand, ListMetricsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { clientConfig, startServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(() => server?.dispose());

async function sum(cw: CloudWatchClient, name: string, topic: string, since: Date): Promise<number> {
  const r = await cw.send(new GetMetricStatisticsCommand({
    Namespace: 'AWS/SNS', MetricName: name, Dimensions: [{ Name: 'TopicName', Value: topic }],
    StartTime: since, EndTime: new Date(Date.now() + 60_000), Period: 60, Statistics: ['Sum'],
  }));
  return (r.Datapoints ?? []).reduce((n, d) => n + (d.Sum ?? 0), 0);
}

test('publishing and delivering are counted under AWS/SNS, and alarms can watch them', async () => {
  const since = new Date(Date.now() - 120_000);
  const cfg = clientConfig(server);
  const sns = new SNSClient(cfg);
  const sqs = new SQSClient(cfg);
  const cw = new CloudWatchClient(cfg);
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'orders' }));
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'orders-q' }));
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: arn }));
  // a subscription to a queue that does not exist fails for good
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: arn.replace('orders-q', 'missing-q') }));
  await cw.send(new PutMetricAlarmCommand({
    AlarmName: 'orders-failing', Namespace: 'AWS/SNS', MetricName: 'NumberOfNotificationsFailed', Dimensions: [{ Name: 'TopicName', Value: 'orders' }],
    Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 2, ComparisonOperator: 'GreaterThanOrEqualToThreshold',
  }));
  for (let i = 0; i < 3; i++) await sns.send(new PublishCommand({ TopicArn, Message: `order ${i}` }));

  const deadline = Date.now() + 15_000;
  for (;;) {
    const [published, delivered, failed] = await Promise.all(['NumberOfMessagesPublished', 'NumberOfNotificationsDelivered', 'NumberOfNotificationsFailed'].map((n) => sum(cw, n, 'orders', since)));
    if (published === 3 && delivered === 3 && failed === 3) break;
    if (Date.now() > deadline) assert.fail(`published ${published}, delivered ${delivered}, failed ${failed}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const size = await cw.send(new GetMetricStatisticsCommand({
    Namespace: 'AWS/SNS', MetricName: 'PublishSize', Dimensions: [{ Name: 'TopicName', Value: 'orders' }],
    StartTime: since, EndTime: new Date(Date.now() + 60_000), Period: 60, Statistics: ['Maximum'],
  }));
  assert.equal(size.Datapoints?.[0]?.Maximum, 'order 0'.length);
  assert.equal(size.Datapoints?.[0]?.Unit, 'Bytes');
  const listed = await cw.send(new ListMetricsCommand({ Namespace: 'AWS/SNS' }));
  assert.ok(listed.Metrics!.some((m) => m.MetricName === 'NumberOfNotificationsDelivered'));
  const alarm = await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['orders-failing'] }));
  assert.equal(alarm.MetricAlarms?.[0]?.StateValue, 'ALARM');

  // AWS/SQS: the three notifications were sent by SNS (not counted as sent); receive and delete them
  const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 2 }));
  assert.ok((got.Messages ?? []).length > 0);
  await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: got.Messages!.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'hello' }));
  const sqsSum = async (name: string) => {
    const r = await cw.send(new GetMetricStatisticsCommand({
      Namespace: 'AWS/SQS', MetricName: name, Dimensions: [{ Name: 'QueueName', Value: 'orders-q' }],
      StartTime: since, EndTime: new Date(Date.now() + 60_000), Period: 60, Statistics: ['Sum'],
    }));
    return (r.Datapoints ?? []).reduce((n, d) => n + (d.Sum ?? 0), 0);
  };
  const until = Date.now() + 10_000;
  for (;;) {
    const [received, deleted, sent] = await Promise.all(['NumberOfMessagesReceived', 'NumberOfMessagesDeleted', 'NumberOfMessagesSent'].map(sqsSum));
    if (received === got.Messages!.length && deleted === got.Messages!.length && sent === 1) break;
    if (Date.now() > until) assert.fail(`received ${received}, deleted ${deleted}, sent ${sent}`);
    await new Promise((r) => setTimeout(r, 200));
  }
});
