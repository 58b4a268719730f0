/**
 * EventBridge PutEvents → SQS target through the built server and the real SDKs: the server is
 * SIGKILLed while PutEvents calls are arriving and their target jobs (one per call, ten events
 * each) are being delivered; after a restart every event whose call was answered reaches the
 * queue (at least once).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { clientConfig, startServer, type TestServer } from '../helpers/server.js';

let server: TestServer;

before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.dispose();
});

test('SIGKILL while events are accepted and delivered: every accepted event reaches the queue after restart', async () => {
  const events = new EventBridgeClient(clientConfig(server));
  const sqs = new SQSClient(clientConfig(server));
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'durable-events' }));
  await events.send(new PutRuleCommand({ Name: 'durable', EventPattern: '{"source":["durability"]}' }));
  await events.send(new PutTargetsCommand({ Rule: 'durable', Targets: [{ Id: 'q', Arn: 'arn:aws:sqs:us-east-1:000000000000:durable-events' }] }));

  const accepted = new Set<string>();
  let killed = false;
  const kill = (async () => {
    while (accepted.size < 2000) await new Promise((r) => setTimeout(r, 5));
    killed = true;
    await server.stop('SIGKILL');
  })();
  await Promise.all(Array.from({ length: 8 }, async (_, c) => {
    for (let k = 0; !killed; k++) {
      const entries = Array.from({ length: 10 }, (_, i) => ({ Source: 'durability', DetailType: 'T', Detail: JSON.stringify({ c, k, i }) }));
      let r;
      try {
        r = await events.send(new PutEventsCommand({ Entries: entries }));
      } catch {
        break; // the server is gone: this call was never answered
      }
      assert.equal(r.FailedEntryCount, 0);
      for (const e of r.Entries ?? []) accepted.add(e.EventId!);
    }
  }));
  await kill;
  events.destroy();
  sqs.destroy();

  await server.restart();
  const after = new SQSClient(clientConfig(server));
  const arrived = new Set<string>();
  const missing = () => [...accepted].filter((id) => !arrived.has(id)).length;
  const deadline = Date.now() + 120_000;
  while (missing() > 0 && Date.now() < deadline) {
    // each message is received once and then stays invisible: no deletes needed to page through
    const r = await after.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 600, WaitTimeSeconds: 1 }));
    for (const m of r.Messages ?? []) arrived.add(JSON.parse(m.Body!).id);
  }
  after.destroy();
  assert.equal(missing(), 0, `${missing()} of ${accepted.size} accepted events never reached the queue`);
});
