/**
 * SNS through both real AWS CLIs, as a user types it: `aws` (v1, botocore 1.43) and
 * `/usr/bin/aws` (Debian's v2.9), Query protocol either way. Breadth lives in sns-sdk.test.ts;
 * this is the smoke path per CLI, ending with a notification a local receiver actually gets.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { aws1, aws2, hasAws2, type CliResult } from '../helpers/aws-cli.js';
import { Receiver } from '../helpers/receiver.js';
import { startServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let rcv: Receiver;
before(async () => {
  server = await startServer();
  rcv = await new Receiver().start();
});
after(async () => {
  await server?.dispose();
  await rcv?.stop();
});

function ok(r: CliResult): CliResult {
  assert.equal(r.code, 0, `CLI failed (${r.code}): ${r.stderr}`);
  return r;
}

type Cli = typeof aws1;

async function smoke(cli: Cli, name: string): Promise<void> {
  const arn = ok(await cli(server, ['sns', 'create-topic', '--name', name, '--attributes', 'DisplayName=Smoke'])).json.TopicArn;
  assert.equal(arn, `arn:aws:sns:us-east-1:000000000000:${name}`);
  ok(await cli(server, ['sns', 'set-topic-attributes', '--topic-arn', arn, '--attribute-name', 'SignatureVersion', '--attribute-value', '2']));
  const attrs = ok(await cli(server, ['sns', 'get-topic-attributes', '--topic-arn', arn])).json.Attributes;
  assert.equal(attrs.DisplayName, 'Smoke');
  assert.equal(attrs.SignatureVersion, '2');

  // CLI v1 would fetch an http(s) argument (cli_follow_urlparam): URLs go through --cli-input-json
  const endpoint = `${rcv.url}/${name}`;
  const sub = ok(await cli(server, ['sns', 'subscribe', '--cli-input-json', JSON.stringify({ TopicArn: arn, Protocol: 'http', Endpoint: endpoint })])).json;
  assert.equal(sub.SubscriptionArn, 'pending confirmation');
  await rcv.waitFor(() => rcv.received.some((r) => r.path === `/${name}` && r.sns?.type === 'SubscriptionConfirmation' && r.sns.confirm === 200), 20_000, 'confirmation');
  const subs = ok(await cli(server, ['sns', 'list-subscriptions-by-topic', '--topic-arn', arn])).json.Subscriptions;
  assert.equal(subs.length, 1);
  assert.match(subs[0].SubscriptionArn, new RegExp(`^${arn}:`));

  const pub = ok(await cli(server, ['sns', 'publish', '--topic-arn', arn, '--subject', 'Smoke test', '--message', `hello from ${name}`,
    '--message-attributes', '{"level":{"DataType":"String","StringValue":"info"}}'])).json;
  assert.match(pub.MessageId, /^[0-9a-f-]{36}$/);
  await rcv.waitFor(() => rcv.received.some((r) => r.json?.MessageId === pub.MessageId), 20_000, 'notification');
  const n = rcv.received.find((r) => r.json?.MessageId === pub.MessageId)!;
  assert.equal(n.json.Message, `hello from ${name}`);
  assert.deepEqual(n.json.MessageAttributes, { level: { Type: 'String', Value: 'info' } });

  const missing = await cli(server, ['sns', 'publish', '--topic-arn', `${arn}-missing`, '--message', 'x']);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /NotFound/);
  assert.match(missing.stderr, /Topic does not exist/);

  ok(await cli(server, ['sns', 'unsubscribe', '--subscription-arn', subs[0].SubscriptionArn]));
  ok(await cli(server, ['sns', 'delete-topic', '--topic-arn', arn]));
  const topics = ok(await cli(server, ['sns', 'list-topics'])).json.Topics.map((t: { TopicArn: string }) => t.TopicArn);
  assert.ok(!topics.includes(arn));
}

describe('aws CLI v1 (botocore 1.43)', () => {
  test('topic, http subscription confirmed, publish delivered, errors, cleanup', () => smoke(aws1, 'cli-v1'));
});

describe('aws CLI v2 (Debian 2.9)', { skip: !hasAws2 && 'no /usr/bin/aws' }, () => {
  test('topic, http subscription confirmed, publish delivered, errors, cleanup', () => smoke(aws2, 'cli-v2'));
});
