/**
 * SNS deliveries as a subscriber sees them, through the built server and the real SDK:
 * S1's notification half (a confirmed, signed HTTP notification and a real e-mail through a real
 * SMTP server, confirmation link followed), retries against a failing endpoint, 429 with
 * Retry-After, dead-lettering to an SQS queue, unconfirmed subscriptions receiving nothing, and
 * 10,000 accepted deliveries surviving SIGKILL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateTopicCommand, ListSubscriptionsByTopicCommand, PublishBatchCommand, PublishCommand, SNSClient, SubscribeCommand,
} from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startMailSink, type Mail, type MailSink } from '../helpers/mail-sink.js';
import { Receiver } from '../helpers/receiver.js';
import { clientConfig, startServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let rcv: Receiver;
let sink: MailSink;
let mails: Mail[];
let sns: SNSClient;
let sqs: SQSClient;

before(async () => {
  rcv = await new Receiver().start();
  sink = await startMailSink();
  mails = sink.mails;
  server = await startServer({ args: ['--config', sink.configFile()] });
  sns = new SNSClient(clientConfig(server));
  sqs = new SQSClient(clientConfig(server));
});

after(async () => {
  await server?.dispose();
  await rcv?.stop();
  await sink?.close();
});

async function topic(name: string): Promise<string> {
  return (await sns.send(new CreateTopicCommand({ Name: name }))).TopicArn!;
}

async function confirmedHttp(topicArn: string, path: string, attributes?: Record<string, string>): Promise<string> {
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'http', Endpoint: `${rcv.url}${path}`, Attributes: attributes }));
  for (let i = 0; i < 200; i++) {
    const subs = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }))).Subscriptions ?? [];
    const s = subs.find((x) => x.Endpoint === `${rcv.url}${path}`);
    if (s && s.SubscriptionArn !== 'PendingConfirmation') return s.SubscriptionArn!;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`subscription ${path} never confirmed`);
}

async function deliveryLog(ref: string): Promise<any[]> {
  const r = await fetch(`${server.url}/_signalbox/deliveries?ref=${encodeURIComponent(ref)}&limit=100`);
  assert.equal(r.status, 200);
  return (await r.json()).attempts;
}

describe('S1 notification half: HTTP and e-mail', () => {
  test('HTTP: the confirmation is signed, SubscribeURL confirms, the notification is signed and shaped as AWS', async () => {
    const arn = await topic('s1-alarms');
    const subArn = await confirmedHttp(arn, '/s1/http');
    const confirmation = rcv.at('/s1/http').find((r) => r.sns?.type === 'SubscriptionConfirmation')!;
    assert.equal(confirmation.sns?.signature, 'valid');
    assert.equal(confirmation.sns?.confirm, 200);
    assert.equal(confirmation.headers['x-amz-sns-message-type'], 'SubscriptionConfirmation');
    assert.match(confirmation.json.SubscribeURL, /Action=ConfirmSubscription/);

    const { MessageId } = await sns.send(new PublishCommand({
      TopicArn: arn, Subject: 'ALARM: "App_Monitorado-4xx"', Message: '{"AlarmName":"App_Monitorado-4xx","NewStateValue":"ALARM"}',
      MessageAttributes: { env: { DataType: 'String', StringValue: 'prod' } },
    }));
    await rcv.waitFor((all) => all.some((r) => r.path === '/s1/http' && r.json?.MessageId === MessageId), 20_000, 'notification');
    const n = rcv.at('/s1/http').find((r) => r.json?.MessageId === MessageId)!;
    assert.equal(n.sns?.signature, 'valid');
    assert.equal(n.headers['x-amz-sns-message-type'], 'Notification');
    assert.equal(n.headers['x-amz-sns-message-id'], MessageId);
    assert.equal(n.headers['x-amz-sns-topic-arn'], arn);
    assert.equal(n.headers['x-amz-sns-subscription-arn'], subArn);
    assert.match(String(n.headers['content-type']), /^text\/plain; charset=UTF-8$/i);
    assert.equal(n.json.Type, 'Notification');
    assert.equal(n.json.Subject, 'ALARM: "App_Monitorado-4xx"');
    assert.equal(JSON.parse(n.json.Message).NewStateValue, 'ALARM');
    assert.deepEqual(n.json.MessageAttributes, { env: { Type: 'String', Value: 'prod' } });
    assert.match(n.json.Timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.match(n.json.UnsubscribeURL, /Action=Unsubscribe&SubscriptionArn=/);
  });

  test('an unconfirmed HTTP subscription never receives a notification', async () => {
    const arn = await topic('unconfirmed');
    rcv.autoConfirm = false;
    try {
      await sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'http', Endpoint: `${rcv.url}/unconfirmed/a` }));
      await rcv.waitFor((all) => all.some((r) => r.path === '/unconfirmed/a' && r.sns?.type === 'SubscriptionConfirmation'), 10_000, 'confirmation');
    } finally {
      rcv.autoConfirm = true;
    }
    const confirmed = await confirmedHttp(arn, '/witness/unconfirmed');
    assert.ok(confirmed);
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn: arn, Message: 'only for the confirmed' }));
    await rcv.waitFor((all) => all.some((r) => r.path === '/witness/unconfirmed' && r.json?.MessageId === MessageId), 20_000, 'witness');
    assert.equal(rcv.at('/unconfirmed/a').filter((r) => r.sns?.type === 'Notification').length, 0);
  });

  test('e-mail: a confirmation mail whose link confirms, then the notification by SMTP', async () => {
    const arn = await topic('s1-mail');
    await sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'email', Endpoint: 'oncall@example.test' }));
    const deadline = Date.now() + 20_000;
    while (!mails.some((m) => m.to.includes('oncall@example.test')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const confirmation = mails.find((m) => m.to.includes('oncall@example.test'));
    assert.ok(confirmation, 'confirmation mail received');
    const unfolded = confirmation.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
    const link = /(https?:\/\/[^\s"<>]+\/_signalbox\/sns\/confirm\?[^\s"<>]+)/.exec(unfolded)?.[1];
    assert.ok(link, `confirm link in: ${unfolded.slice(0, 500)}`);
    const page = await fetch(link.replace(/&amp;/g, '&'));
    assert.equal(page.status, 200);
    const subs = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: arn }))).Subscriptions ?? [];
    assert.notEqual(subs[0].SubscriptionArn, 'PendingConfirmation');

    const before = mails.length;
    await sns.send(new PublishCommand({ TopicArn: arn, Subject: 'Disk almost full', Message: 'host-7 at 97 %' }));
    const until = Date.now() + 20_000;
    while (mails.length === before && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    const mail = mails[mails.length - 1];
    assert.ok(mails.length > before, 'notification mail received');
    assert.match(mail.raw, /^Subject: Disk almost full/m);
    assert.match(mail.raw, /host-7 at 97 %/);
    assert.match(mail.raw.replace(/=\r?\n/g, ''), /_signalbox\/sns\/unsubscribe/);
  });
});

describe('retries, throttling answers and dead letters', () => {
  const fastRetries = (n: number) => JSON.stringify({
    healthyRetryPolicy: { minDelayTarget: 1, maxDelayTarget: 1, numRetries: n, numNoDelayRetries: 0, numMinDelayRetries: 0, numMaxDelayRetries: 0, backoffFunction: 'linear' },
  });

  test('an endpoint that fails twice then recovers gets the message on the third attempt, and the log shows each attempt', async () => {
    const arn = await topic('flaky');
    const subArn = await confirmedHttp(arn, '/fail-2/flaky', { DeliveryPolicy: fastRetries(3) });
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn: arn, Message: 'eventually' }));
    await rcv.waitFor((all) => all.some((r) => r.path === '/fail-2/flaky' && r.json?.MessageId === MessageId && r.status === 200), 30_000, 'recovery');
    const tries = rcv.at('/fail-2/flaky').filter((r) => r.json?.MessageId === MessageId);
    assert.deepEqual(tries.map((r) => r.status), [500, 500, 200]);
    const log = await deliveryLog(subArn);
    assert.ok(log.some((a) => a.outcome === 'delivered' && a.status === 200));
    assert.ok(log.filter((a) => a.status === 500).length >= 2);
  });

  test('429 with Retry-After: the next attempt waits at least that long', async () => {
    const arn = await topic('limited');
    await confirmedHttp(arn, '/429-1-2/limited', { DeliveryPolicy: fastRetries(3) });
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn: arn, Message: 'slow down' }));
    await rcv.waitFor((all) => all.some((r) => r.path === '/429-1-2/limited' && r.json?.MessageId === MessageId && r.status === 200), 30_000, 'after 429');
    const tries = rcv.at('/429-1-2/limited').filter((r) => r.json?.MessageId === MessageId);
    assert.equal(tries[0].status, 429);
    assert.ok(tries[1].t - tries[0].t >= 1900, `second attempt after ${Math.round(tries[1].t - tries[0].t)} ms, Retry-After was 2 s`);
  });

  test('retries exhausted: the message goes to the subscription\'s dead-letter queue', async () => {
    const dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'sns-dlq' }))).QueueUrl!;
    const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    const arn = await topic('doomed');
    await confirmedHttp(arn, '/doomed-confirm');
    await sns.send(new SubscribeCommand({
      TopicArn: arn, Protocol: 'http', Endpoint: `${rcv.url}/always-500/doomed`,
      Attributes: { DeliveryPolicy: fastRetries(1), RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn }) },
    }));
    await rcv.waitFor((all) => all.some((r) => r.path === '/always-500/doomed'), 10_000, 'confirmation attempt');
    // the always-500 endpoint cannot confirm through its own answer, so confirm it the way a user
    // would: follow the SubscribeURL it was sent
    const conf = rcv.at('/always-500/doomed').find((r) => r.sns?.type === 'SubscriptionConfirmation')!;
    if (conf.sns?.confirm !== 200) assert.equal((await fetch(conf.json.SubscribeURL)).status, 200);
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn: arn, Message: 'nobody home' }));
    let body: string | undefined;
    for (let i = 0; i < 60 && !body; i++) {
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, WaitTimeSeconds: 1, MaxNumberOfMessages: 10 }));
      body = r.Messages?.map((m) => m.Body ?? '').find((b) => b.includes('nobody home'));
    }
    assert.ok(body, 'dead-lettered message in the queue');
    assert.ok(body.includes(MessageId!) || body.includes('nobody home'));
    const notifications = rcv.at('/always-500/doomed').filter((r) => r.json?.MessageId === MessageId);
    assert.equal(notifications.length, 2, 'first attempt + 1 retry');
  });
});

describe('durability', () => {
  test('SIGKILL with 10,000 deliveries pending: every accepted message arrives after restart', async () => {
    const arn = await topic('durable');
    await confirmedHttp(arn, '/slow-5/durable');
    const accepted: string[] = [];
    let next = 0;
    const total = 10_000;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < total) {
          const base = next;
          next += 10;
          const entries = Array.from({ length: 10 }, (_, i) => ({ Id: `m${base + i}`, Message: `message ${base + i}` }));
          const r = await sns.send(new PublishBatchCommand({ TopicArn: arn, PublishBatchRequestEntries: entries }));
          assert.equal(r.Failed?.length ?? 0, 0);
          for (const s of r.Successful ?? []) accepted.push(s.MessageId!);
        }
      }),
    );
    assert.equal(accepted.length, total);
    await server.stop('SIGKILL');
    const before = new Set(rcv.at('/slow-5/durable').map((r) => r.json?.MessageId)).size;
    await server.restart();
    const want = new Set(accepted);
    await rcv.waitFor(
      (all) => {
        const got = new Set(all.filter((r) => r.path === '/slow-5/durable' && r.status === 200).map((r) => r.json?.MessageId));
        for (const id of want) if (!got.has(id)) return false;
        return true;
      },
      240_000,
      'every accepted message delivered',
    );
    assert.ok(before < total, `the kill came while deliveries were pending (${before} delivered before it)`);
  });
});
