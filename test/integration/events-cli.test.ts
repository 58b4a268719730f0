/**
 * EventBridge smoke path with both real CLIs (v1 from pip, Debian's v2.9; both JSON 1.1 for
 * events): create a bus, a rule with a pattern, a target, send matching and failing entries,
 * read the rule back, test a pattern, and see the event arrive in the target queue.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BOTH_CLIS, cliOk } from '../helpers/aws-cli.js';
import { clientConfig, startServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.dispose();
});

for (const cli of BOTH_CLIS) {
  describe(cli.label, { skip: cli.skip }, () => {
    test('bus, rule, target, put-events, test-event-pattern', async () => {
      const sqs = new SQSClient(clientConfig(server));
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `cli-${cli.cli}` }));
      const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
      const bus = `bus-${cli.cli}`;
      assert.match(cliOk(await cli.run(server, ['events', 'create-event-bus', '--name', bus])).json.EventBusArn, new RegExp(`event-bus/${bus}$`));
      cliOk(await cli.run(server, ['events', 'put-rule', '--name', 'r', '--event-bus-name', bus, '--event-pattern', '{"source":["cli.app"]}']));
      cliOk(await cli.run(server, ['events', 'put-targets', '--rule', 'r', '--event-bus-name', bus, '--targets', JSON.stringify([{ Id: 'q', Arn: arn, InputPath: '$.detail' }])]));
      const put = cliOk(await cli.run(server, ['events', 'put-events', '--entries', JSON.stringify([
        { Source: 'cli.app', DetailType: 'T', Detail: '{"from":"cli"}', EventBusName: bus },
        { Source: 'cli.app', DetailType: 'T', Detail: 'not json', EventBusName: bus },
      ])])).json;
      assert.equal(put.FailedEntryCount, 1);
      assert.equal(put.Entries[1].ErrorCode, 'MalformedDetail');
      const rules = cliOk(await cli.run(server, ['events', 'list-rules', '--event-bus-name', bus])).json;
      assert.deepEqual(rules.Rules.map((r: any) => r.Name), ['r']);
      const t = cliOk(await cli.run(server, ['events', 'test-event-pattern', '--event-pattern', '{"source":[{"prefix":"cli"}]}', '--event',
        JSON.stringify({ id: '1', account: '000000000000', source: 'cli.app', time: '2024-01-01T00:00:00Z', region: 'us-east-1', resources: [], 'detail-type': 'T', detail: {} })])).json;
      assert.equal(t.Result, true);
      const bad = await cli.run(server, ['events', 'put-rule', '--name', 'bad', '--event-pattern', '{"source":"x"}']);
      assert.notEqual(bad.code, 0);
      assert.match(bad.stderr, /InvalidEventPatternException/);
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5 }));
      assert.deepEqual(JSON.parse(r.Messages![0].Body!), { from: 'cli' });
    });
  });
}
