/**
 * S6, security event auto-remediation, end to end on the built server with the real SDKs: a
 * subscription to an outside endpoint added to a protected topic is an audit record, published on
 * the default bus as `AWS API Call via CloudTrail`; a rule sends it to a Node function that
 * removes the subscription through the SDK inside the function; and the removal is itself
 * audited — a second rule catches its CloudTrail event, made by the function's assumed role.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CreateFunctionCommand, LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateTopicCommand, ListSubscriptionsByTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { makeZip } from '../../src/services/functions/code/zip-writer.test.js';
import { clientConfig, startServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(() => server?.dispose());

const REMEDIATE = `
import { SNSClient, UnsubscribeCommand } from '@aws-sdk/client-sns';
const sns = new SNSClient({});
export const handler = async (event) => {
  const arn = event.detail.responseElements?.subscriptionArn;
  if (!arn || event.detail.requestParameters.protocol === 'sqs') return { skipped: true };
  await sns.send(new UnsubscribeCommand({ SubscriptionArn: arn }));
  return { removed: arn };
};
`;

test('S6: an outside subscription to a protected topic is removed by a function, and the removal is audited', async () => {
  const config = clientConfig(server);
  const sns = new SNSClient(config);
  const lambda = new LambdaClient(config);
  const events = new EventBridgeClient(config);
  const sqs = new SQSClient(config);
  try {
    const topic = (await sns.send(new CreateTopicCommand({ Name: 'protected' }))).TopicArn!;
    await lambda.send(new CreateFunctionCommand({
      FunctionName: 'remediate', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: 'arn:aws:iam::000000000000:role/remediator',
      Code: { ZipFile: makeZip([{ name: 'index.mjs', data: REMEDIATE }]) },
    }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: 'remediate' });
    await events.send(new PutRuleCommand({
      Name: 'protect-topic',
      EventPattern: JSON.stringify({ source: ['aws.sns'], 'detail-type': ['AWS API Call via CloudTrail'], detail: { eventName: ['Subscribe'], requestParameters: { topicArn: [topic] } } }),
    }));
    await events.send(new PutTargetsCommand({ Rule: 'protect-topic', Targets: [{ Id: 'fn', Arn: 'arn:aws:lambda:us-east-1:000000000000:function:remediate' }] }));
    // the revert's own audit event lands in a queue
    const q = await sqs.send(new CreateQueueCommand({ QueueName: 'audit-of-reverts' }));
    const qArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: q.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    await events.send(new PutRuleCommand({
      Name: 'reverts',
      EventPattern: JSON.stringify({ source: ['aws.sns'], detail: { eventName: ['Unsubscribe'] } }),
    }));
    await events.send(new PutTargetsCommand({ Rule: 'reverts', Targets: [{ Id: 'q', Arn: qArn }] }));

    const sub = await sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'https', Endpoint: 'https://outside.example/collect', ReturnSubscriptionArn: true }));
    assert.match(sub.SubscriptionArn!, /^arn:aws:sns:us-east-1:000000000000:protected:/);

    let remaining = 1;
    for (let i = 0; i < 100 && remaining > 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      remaining = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topic }))).Subscriptions?.length ?? 0;
    }
    assert.equal(remaining, 0, 'the function removed the subscription');

    let revert: any;
    for (let i = 0; i < 20 && !revert; i++) {
      const m = await sqs.send(new ReceiveMessageCommand({ QueueUrl: q.QueueUrl, WaitTimeSeconds: 1 }));
      if (m.Messages?.length) revert = JSON.parse(m.Messages[0].Body!);
    }
    assert.ok(revert, 'the Unsubscribe was published as a CloudTrail event');
    assert.equal(revert['detail-type'], 'AWS API Call via CloudTrail');
    assert.equal(revert.detail.eventName, 'Unsubscribe');
    assert.equal(revert.detail.requestParameters.subscriptionArn, sub.SubscriptionArn);
    assert.equal(revert.detail.userIdentity.type, 'AssumedRole');
    assert.equal(revert.detail.userIdentity.arn, 'arn:aws:sts::000000000000:assumed-role/remediator/remediate');
    assert.equal(revert.detail.userIdentity.sessionContext.sessionIssuer.arn, 'arn:aws:iam::000000000000:role/remediator');
  } finally {
    for (const c of [sns, lambda, events, sqs]) c.destroy();
  }
});
