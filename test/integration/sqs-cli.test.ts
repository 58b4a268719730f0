/**
 * SQS through both real AWS CLIs, as a user types it: `aws` (v1, botocore 1.43: JSON 1.0) and
 * `/usr/bin/aws` (Debian's v2.9: Query). Breadth lives in sqs-sdk.test.ts; this is the smoke
 * path per CLI, including a batch and message attributes, which only travel right over Query
 * when the Query names of SQS's old model are in place.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { aws1, aws2, hasAws2, type CliResult } from '../helpers/aws-cli.js';
import { startServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.dispose();
});

function ok(r: CliResult): CliResult {
  assert.equal(r.code, 0, `CLI failed (${r.code}): ${r.stderr}`);
  return r;
}

const CLIS = [
  { label: 'CLI v1 (JSON 1.0)', run: aws1, prefix: 'v1', skip: false },
  { label: 'Debian CLI v2.9 (Query)', run: aws2, prefix: 'v2', skip: !hasAws2 },
];

for (const { label, run, prefix, skip } of CLIS) {
  describe(label, { skip }, () => {
    test('create, send (with attributes and in a batch), receive, delete, attributes, errors', async () => {
      const url = ok(await run(server, ['sqs', 'create-queue', '--queue-name', `${prefix}-smoke`, '--attributes', 'VisibilityTimeout=20', '--tags', 'team=ops'])).json.QueueUrl;
      assert.equal(url, `${server.url}/000000000000/${prefix}-smoke`);
      ok(await run(server, ['sqs', 'send-message', '--queue-url', url, '--message-body', 'hello',
        '--message-attributes', '{"color":{"DataType":"String","StringValue":"blue"}}']));
      const batch = ok(await run(server, ['sqs', 'send-message-batch', '--queue-url', url, '--entries',
        '[{"Id":"a","MessageBody":"b1"},{"Id":"b","MessageBody":"b2","DelaySeconds":999}]'])).json;
      assert.deepEqual(batch.Successful.map((s: any) => s.Id), ['a']);
      assert.deepEqual(batch.Failed.map((f: any) => f.Id), ['b']);
      const got = ok(await run(server, ['sqs', 'receive-message', '--queue-url', url, '--max-number-of-messages', '10',
        '--message-attribute-names', 'All', '--attribute-names', 'All'])).json.Messages;
      assert.deepEqual(got.map((m: any) => m.Body).sort(), ['b1', 'hello']);
      const hello = got.find((m: any) => m.Body === 'hello');
      assert.equal(hello.MessageAttributes.color.StringValue, 'blue');
      assert.equal(hello.Attributes.ApproximateReceiveCount, '1');
      const entries = got.map((m: any, i: number) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle }));
      const del = ok(await run(server, ['sqs', 'delete-message-batch', '--queue-url', url, '--entries', JSON.stringify(entries)])).json;
      assert.equal(del.Successful.length, 2);
      const attrs = ok(await run(server, ['sqs', 'get-queue-attributes', '--queue-url', url, '--attribute-names', 'All'])).json.Attributes;
      assert.equal(attrs.VisibilityTimeout, '20');
      assert.equal(attrs.ApproximateNumberOfMessagesNotVisible, '0');
      assert.deepEqual(ok(await run(server, ['sqs', 'list-queue-tags', '--queue-url', url])).json.Tags, { team: 'ops' });
      assert.ok(ok(await run(server, ['sqs', 'list-queues', '--queue-name-prefix', prefix])).json.QueueUrls.includes(url));
      const missing = await run(server, ['sqs', 'get-queue-url', '--queue-name', 'does-not-exist']);
      assert.notEqual(missing.code, 0);
      assert.match(missing.stderr, /NonExistentQueue|QueueDoesNotExist/);
      ok(await run(server, ['sqs', 'delete-queue', '--queue-url', url]));
    });
  });
}
