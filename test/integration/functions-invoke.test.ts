/**
 * Functions that really run, end to end: the built `signalbox start`, the real
 * `@aws-sdk/client-lambda` (and the SNS, SSM, SQS, CloudWatch and Logs clients), real child
 * processes. Synchronous Invoke with AWS's headers; the S1 Python handler (urllib3 POST of the SNS
 * message to a webhook) run unmodified from a zip behind an SNS subscription; a Node handler that
 * reads a SecureString through the SDK inside the function (S8); a bash `provided` bootstrap; a
 * Python layer; errors and timeouts with AWS's error shapes and a fresh instance afterwards;
 * concurrency throttles; asynchronous retries ending in the OnFailure destination; logs, metrics
 * and function URLs; a CLI smoke path on both CLIs.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  CreateFunctionCommand, CreateFunctionUrlConfigCommand, InvokeCommand, LambdaClient, PublishLayerVersionCommand, PutFunctionConcurrencyCommand,
  PutFunctionEventInvokeConfigCommand, waitUntilFunctionActiveV2, type CreateFunctionCommandInput, type InvokeCommandOutput,
} from '@aws-sdk/client-lambda';
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { codeZip, makeZip } from '../../src/services/functions/code/zip-writer.test.js';
import { aws1, aws2, cliOk, hasAws2 } from '../helpers/aws-cli.js';
import { Receiver } from '../helpers/receiver.js';
import { clientConfig, startServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let lambda: LambdaClient;
let receiver: Receiver;
before(async () => {
  // retries after a function error a second apart instead of a minute
  server = await startServer({ env: { SIGNALBOX_FUNCTION_RETRY_DELAY_SECONDS: '1' } });
  lambda = new LambdaClient(clientConfig(server));
  receiver = await new Receiver().start();
});
after(async () => {
  lambda?.destroy();
  await receiver?.stop();
  await server?.dispose();
});

const ROLE = 'arn:aws:iam::000000000000:role/fn';
const text = (b: Uint8Array | undefined) => Buffer.from(b ?? []).toString('utf8');
const json = (out: InvokeCommandOutput) => JSON.parse(text(out.Payload));

async function create(name: string, extra: Partial<CreateFunctionCommandInput>): Promise<void> {
  await lambda.send(new CreateFunctionCommand({ FunctionName: name, Role: ROLE, Runtime: 'nodejs20.x', Handler: 'index.handler', Code: { ZipFile: codeZip() }, ...extra }));
  await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: name });
}

function invoke(name: string, event: unknown, extra: Record<string, unknown> = {}): Promise<InvokeCommandOutput> {
  return lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)), ...extra }));
}

describe('synchronous Invoke', () => {
  before(() =>
    create('echo', {
      Code: { ZipFile: codeZip('exports.handler = async (event, context) => { console.log("got", JSON.stringify(event)); return { event, fn: context.functionName, left: context.getRemainingTimeInMillis() > 0 }; };\n') },
    }),
  );

  test('answers the handler’s result, the version that ran, and with LogType Tail the invocation’s log', async () => {
    const out = await invoke('echo', { n: 1 }, { LogType: 'Tail' });
    assert.equal(out.StatusCode, 200);
    assert.equal(out.ExecutedVersion, '$LATEST');
    assert.equal(out.FunctionError, undefined);
    assert.deepEqual(json(out), { event: { n: 1 }, fn: 'echo', left: true });
    const log = Buffer.from(out.LogResult!, 'base64').toString('utf8');
    assert.match(log, /START RequestId: [0-9a-f-]{36} Version: \$LATEST/);
    assert.match(log, /\tINFO\tgot \{"n":1\}/);
    assert.match(log, /REPORT RequestId: .*Duration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB/);
  });

  test('Event answers 202 and DryRun 204; a payload that is not JSON is InvalidRequestContentException', async () => {
    assert.equal((await invoke('echo', {}, { InvocationType: 'Event' })).StatusCode, 202);
    assert.equal((await invoke('echo', {}, { InvocationType: 'DryRun' })).StatusCode, 204);
    await assert.rejects(lambda.send(new InvokeCommand({ FunctionName: 'echo', Payload: Buffer.from('{nope') })), (e: any) => {
      assert.equal(e.name, 'InvalidRequestContentException');
      assert.equal(e.$metadata.httpStatusCode, 400);
      return true;
    });
    await assert.rejects(invoke('missing', {}), (e: any) => e.name === 'ResourceNotFoundException' && e.$metadata.httpStatusCode === 404);
  });

  test('the function’s lines reach /aws/lambda/<name>, and AWS/Lambda metrics count the invocations', async () => {
    const logs = new CloudWatchLogsClient(clientConfig(server));
    const cw = new CloudWatchClient(clientConfig(server));
    try {
      let events: string[] = [];
      for (let i = 0; i < 50 && !events.some((m) => m.startsWith('REPORT')); i++) {
        const out = await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/echo' }));
        events = (out.events ?? []).map((e) => e.message ?? '');
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(events.some((m) => m.startsWith('START RequestId:')), 'START line');
      assert.ok(events.some((m) => /\tINFO\tgot /.test(m)), 'the handler’s console.log');
      assert.ok(events.some((m) => m.startsWith('REPORT RequestId:')), 'REPORT line');
      let sum = 0;
      for (let i = 0; i < 40 && sum < 1; i++) {
        const now = Date.now();
        const st = await cw.send(new GetMetricStatisticsCommand({
          Namespace: 'AWS/Lambda', MetricName: 'Invocations', Dimensions: [{ Name: 'FunctionName', Value: 'echo' }],
          StartTime: new Date(now - 600_000), EndTime: new Date(now + 60_000), Period: 60, Statistics: ['Sum'],
        }));
        sum = (st.Datapoints ?? []).reduce((s, d) => s + (d.Sum ?? 0), 0);
        if (sum < 1) await new Promise((r) => setTimeout(r, 250));
      }
      assert.ok(sum >= 1, `AWS/Lambda Invocations for echo: ${sum}`);
    } finally {
      logs.destroy();
      cw.destroy();
    }
  });
});

describe('failures have AWS’s shape, and the next invoke gets a fresh instance', () => {
  before(() =>
    create('fragile', {
      Timeout: 1,
      Code: {
        ZipFile: codeZip(
          'let calls = 0;\nexports.handler = async (e) => { calls++;\n' +
            '  if (e.do === "throw") { const err = new Error("boom"); err.name = "BoomError"; throw err; }\n' +
            '  if (e.do === "exit") process.exit(3);\n' +
            '  if (e.do === "hang") await new Promise(() => setInterval(() => {}, 1000));\n' +
            '  return { pid: process.pid, calls }; };\n',
        ),
      },
    }),
  );

  test('an unhandled exception is FunctionError Unhandled with the runtime’s error JSON', async () => {
    const out = await invoke('fragile', { do: 'throw' });
    assert.equal(out.StatusCode, 200);
    assert.equal(out.FunctionError, 'Unhandled');
    const err = json(out);
    assert.equal(err.errorType, 'BoomError');
    assert.equal(err.errorMessage, 'boom');
    assert.ok(Array.isArray(err.trace));
  });

  test('a timeout kills the instance: Task timed out after 1.00 seconds, then a new instance', async () => {
    const first = json(await invoke('fragile', {}));
    const out = await invoke('fragile', { do: 'hang' });
    assert.equal(out.FunctionError, 'Unhandled');
    assert.match(json(out).errorMessage, /Task timed out after 1\.00 seconds/);
    const next = json(await invoke('fragile', {}));
    assert.notEqual(next.pid, first.pid);
    assert.equal(next.calls, 1);
  });

  test('a process that exits is Runtime.ExitError', async () => {
    const out = await invoke('fragile', { do: 'exit' });
    assert.equal(out.FunctionError, 'Unhandled');
    assert.equal(json(out).errorType, 'Runtime.ExitError');
    assert.equal(json(await invoke('fragile', {})).calls, 1);
  });
});

describe('runtimes', () => {
  test('S8: a Node ESM handler reads a SecureString through the SDK inside the function', async () => {
    const ssm = new SSMClient(clientConfig(server));
    await ssm.send(new PutParameterCommand({ Name: '/app/webhook', Type: 'SecureString', Value: 'https://hooks.example/s3cr3t' }));
    ssm.destroy();
    const source =
      "import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';\n" +
      'const ssm = new SSMClient({});\n' +
      "export const handler = async () => (await ssm.send(new GetParameterCommand({ Name: '/app/webhook', WithDecryption: true }))).Parameter.Value;\n";
    await create('reads-secret', { Code: { ZipFile: makeZip([{ name: 'index.mjs', data: source }]) } });
    const out = await invoke('reads-secret', {});
    assert.equal(out.FunctionError, undefined, text(out.Payload));
    assert.equal(json(out), 'https://hooks.example/s3cr3t');
  });

  test('a function signs as a session of its execution role: the key works only with its token', async () => {
    await create('whoami', {
      Role: 'arn:aws:iam::000000000000:role/service-role/tagger',
      Code: { ZipFile: codeZip('exports.handler = async () => ({ id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY, token: process.env.AWS_SESSION_TOKEN });\n') },
    });
    const creds = json(await invoke('whoami', {}));
    assert.match(creds.id, /^ASIA[A-Z2-7]{16}$/);
    assert.ok(creds.token.length > 100);
    const config = clientConfig(server);
    const withToken = new SSMClient({ ...config, credentials: { accessKeyId: creds.id, secretAccessKey: creds.secret, sessionToken: creds.token } });
    const withoutToken = new SSMClient({ ...config, credentials: { accessKeyId: creds.id, secretAccessKey: creds.secret } });
    try {
      await withToken.send(new PutParameterCommand({ Name: '/whoami/ok', Type: 'String', Value: 'v' }));
      await assert.rejects(withoutToken.send(new PutParameterCommand({ Name: '/whoami/no', Type: 'String', Value: 'v' })), (e: any) => {
        assert.equal(e.name, 'UnrecognizedClientException');
        return true;
      });
    } finally {
      withToken.destroy();
      withoutToken.destroy();
    }
  });

  test('a provided.al2023 bootstrap written in bash', async () => {
    const bootstrap =
      '#!/bin/bash\nset -euo pipefail\nAPI="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"\n' +
      'while true; do\n  HEADERS=$(mktemp)\n  EVENT=$(curl -sS -D "$HEADERS" "$API/invocation/next")\n' +
      '  ID=$(grep -i Lambda-Runtime-Aws-Request-Id "$HEADERS" | tr -d "\\r" | cut -d" " -f2)\n' +
      '  curl -sS -X POST "$API/invocation/$ID/response" -d "{\\"echo\\":$EVENT,\\"shell\\":\\"bash\\"}" > /dev/null\ndone\n';
    await create('bash-fn', { Runtime: 'provided.al2023', Handler: 'unused', Code: { ZipFile: makeZip([{ name: 'bootstrap', data: bootstrap, mode: 0o755 }]) } });
    const out = await invoke('bash-fn', { a: 1 });
    assert.equal(out.FunctionError, undefined, text(out.Payload));
    assert.deepEqual(json(out), { echo: { a: 1 }, shell: 'bash' });
  });

  test('a Python handler imports a package from its layer', async () => {
    const layer = await lambda.send(new PublishLayerVersionCommand({
      LayerName: 'greeting', CompatibleRuntimes: ['python3.12'],
      Content: { ZipFile: makeZip([{ name: 'python/greeting/__init__.py', data: 'def hello(name):\n    return f"hello {name}"\n' }]) },
    }));
    await create('py-layer', {
      Runtime: 'python3.12', Handler: 'app.handler', Layers: [layer.LayerVersionArn!],
      Code: { ZipFile: makeZip([{ name: 'app.py', data: 'from greeting import hello\n\ndef handler(event, context):\n    return {"msg": hello(event["who"]), "id": context.aws_request_id, "left": context.get_remaining_time_in_millis() > 0}\n' }]) },
    });
    const out = await invoke('py-layer', { who: 'layer' });
    assert.equal(out.FunctionError, undefined, text(out.Payload));
    const r = json(out);
    assert.equal(r.msg, 'hello layer');
    assert.match(r.id, /^[0-9a-f-]{36}$/);
    assert.equal(r.left, true);
  });
});

test('S1: the Python handler behind an SNS subscription POSTs the message to a webhook with urllib3', async () => {
  const handler =
    'import json\nimport os\nimport urllib3\n\nhttp = urllib3.PoolManager()\n\n' +
    'def lambda_handler(event, context):\n    message = event["Records"][0]["Sns"]["Message"]\n' +
    '    r = http.request("POST", os.environ["WEBHOOK_URL"], body=json.dumps({"text": message}).encode(), headers={"Content-Type": "application/json"})\n' +
    '    return {"status": r.status}\n';
  await create('s1-notify', {
    Runtime: 'python3.12', Handler: 'lambda_function.lambda_handler',
    Environment: { Variables: { WEBHOOK_URL: `${receiver.url}/s1-hook` } },
    Code: { ZipFile: makeZip([{ name: 'lambda_function.py', data: handler }]) },
  });
  const sns = new SNSClient(clientConfig(server));
  try {
    const topic = await sns.send(new CreateTopicCommand({ Name: 'alarms-s1' }));
    await sns.send(new SubscribeCommand({ TopicArn: topic.TopicArn, Protocol: 'lambda', Endpoint: 'arn:aws:lambda:us-east-1:000000000000:function:s1-notify' }));
    await sns.send(new PublishCommand({ TopicArn: topic.TopicArn, Message: 'the sixth 404' }));
    await receiver.waitFor((r) => r.some((x) => x.path === '/s1-hook'), 20_000, 'the webhook POST');
    assert.deepEqual(receiver.at('/s1-hook')[0].json, { text: 'the sixth 404' });
  } finally {
    sns.destroy();
  }
});

test('reserved concurrency throttles with TooManyRequestsException and its Reason', async () => {
  await create('narrow', { Code: { ZipFile: codeZip('exports.handler = async () => { await new Promise((r) => setTimeout(r, 800)); return "done"; };\n') } });
  await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'narrow', ReservedConcurrentExecutions: 1 }));
  const results = await Promise.allSettled([invoke('narrow', {}), invoke('narrow', {})]);
  const ok = results.filter((r) => r.status === 'fulfilled');
  const throttled = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  assert.equal(ok.length, 1);
  assert.equal(throttled.length, 1);
  const e = throttled[0].reason;
  assert.equal(e.name, 'TooManyRequestsException');
  assert.equal(e.$metadata.httpStatusCode, 429);
  assert.equal(e.Reason, 'ReservedFunctionConcurrentInvocationLimitExceeded');
});

test('asynchronous retries end in the OnFailure destination with Lambda’s invocation record', async () => {
  const sqs = new SQSClient(clientConfig(server));
  try {
    const q = await sqs.send(new CreateQueueCommand({ QueueName: 'fn-failures' }));
    const qArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: q.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    await create('always-fails', { Code: { ZipFile: codeZip('exports.handler = async () => { throw new Error("nope"); };\n') } });
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'always-fails', MaximumRetryAttempts: 1, DestinationConfig: { OnFailure: { Destination: qArn } } }));
    const out = await invoke('always-fails', { order: 7 }, { InvocationType: 'Event' });
    assert.equal(out.StatusCode, 202);
    let body: any;
    for (let i = 0; i < 20 && !body; i++) {
      const m = await sqs.send(new ReceiveMessageCommand({ QueueUrl: q.QueueUrl, WaitTimeSeconds: 1 }));
      if (m.Messages?.length) body = JSON.parse(m.Messages[0].Body!);
    }
    assert.ok(body, 'the OnFailure record arrived');
    assert.equal(body.version, '1.0');
    assert.equal(body.requestContext.condition, 'RetriesExhausted');
    assert.equal(body.requestContext.approximateInvokeCount, 2);
    assert.equal(body.requestContext.functionArn, 'arn:aws:lambda:us-east-1:000000000000:function:always-fails:$LATEST');
    assert.deepEqual(body.requestPayload, { order: 7 });
    assert.equal(body.responseContext.functionError, 'Unhandled');
    assert.equal(body.responsePayload.errorMessage, 'nope');
  } finally {
    sqs.destroy();
  }
});

test('a function URL answers HTTP with the payload format 2.0 event', async () => {
  await create('web', { Code: { ZipFile: codeZip('exports.handler = async (e) => ({ statusCode: 201, headers: { "x-path": e.rawPath }, body: JSON.stringify({ q: e.queryStringParameters, m: e.requestContext.http.method, b: e.body }) });\n') } });
  const cfg = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'web', AuthType: 'NONE' }));
  const res = await fetch(`${cfg.FunctionUrl}items/9?x=1`, { method: 'POST', body: 'hi', headers: { 'content-type': 'text/plain' } });
  assert.equal(res.status, 201);
  assert.equal(res.headers.get('x-path'), '/items/9');
  assert.deepEqual(await res.json(), { q: { x: '1' }, m: 'POST', b: 'hi' });
});

describe('the CLIs invoke', () => {
  test('aws lambda invoke (v1) writes the payload to a file', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'sbx-inv-')), 'out.json');
    const r = cliOk(await aws1(server, ['lambda', 'invoke', '--function-name', 'echo', '--payload', '{"cli":1}', out]));
    assert.equal(JSON.parse(r.stdout).StatusCode, 200);
    const { readFileSync } = await import('node:fs');
    assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')).event, { cli: 1 });
  });

  test('aws lambda invoke (v2.9) with --log-type Tail', { skip: !hasAws2 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sbx-inv-'));
    const payload = join(dir, 'in.json');
    writeFileSync(payload, '{"cli":2}');
    const r = cliOk(await aws2(server, ['lambda', 'invoke', '--function-name', 'echo', '--payload', `fileb://${payload}`, '--log-type', 'Tail', join(dir, 'out.json')]));
    const meta = JSON.parse(r.stdout);
    assert.equal(meta.StatusCode, 200);
    assert.match(Buffer.from(meta.LogResult, 'base64').toString('utf8'), /REPORT RequestId/);
  });
});
