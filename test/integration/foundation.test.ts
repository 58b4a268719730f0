/**
 * The foundation as a user meets it: the built `signalbox start` in a child process, driven by the
 * real SDK, raw signed requests and bad bytes. Each failure must come back as the AWS error of
 * the request's protocol while the server keeps serving.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { decode as cborDecode } from 'cbor-x';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { clientConfig, startServer, type TestServer } from '../helpers/server.js';
import { signedFetch } from '../helpers/signed-fetch.js';

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.dispose();
});

const ssm = (over: Record<string, unknown> = {}) => new SSMClient({ ...clientConfig(server), ...over });

async function healthy(): Promise<void> {
  const r = await fetch(`${server.url}/_signalbox/health`);
  assert.equal(r.status, 200);
  assert.equal((await r.json()).status, 'ok');
}

describe('start-up', () => {
  test('health answers 200 {"status":"ok"} and start-up printed the endpoint and credentials', async () => {
    const r = await fetch(`${server.url}/_signalbox/health`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /application\/json/);
    const body = await r.json();
    assert.equal(body.status, 'ok');
    assert.ok(body.services.includes('ssm'));
    assert.match(server.output(), new RegExp(`ready on ${server.url.replace(/[.:/]/g, '\\$&')}`));
    assert.match(server.output(), /AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test/);
  });
});

describe('authentication', () => {
  test('a wrong secret is InvalidSignatureException (SSM is a JSON-era service)', async () => {
    await assert.rejects(ssm({ credentials: { accessKeyId: 'test', secretAccessKey: 'wrong' } }).send(new GetParameterCommand({ Name: 'x' })), (e: any) => {
      assert.equal(e.name, 'InvalidSignatureException');
      assert.equal(e.$metadata.httpStatusCode, 400);
      assert.match(e.message, /signature we calculated does not match/);
      return true;
    });
  });

  test('an unknown access key is UnrecognizedClientException', async () => {
    await assert.rejects(ssm({ credentials: { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'x' } }).send(new GetParameterCommand({ Name: 'x' })), (e: any) => {
      assert.equal(e.name, 'UnrecognizedClientException');
      assert.match(e.message, /security token included in the request is invalid/);
      return true;
    });
  });

  test('a request signed 20 minutes ago is refused as expired', async () => {
    await assert.rejects(ssm({ systemClockOffset: -20 * 60_000 }).send(new GetParameterCommand({ Name: 'x' })), (e: any) => {
      assert.equal(e.name, 'InvalidSignatureException');
      assert.match(e.message, /^Signature expired: \d{8}T\d{6}Z is now earlier than/);
      return true;
    });
  });

  test('an unsigned request is refused with MissingAuthenticationToken', async () => {
    const r = await fetch(`${server.url}/`, { method: 'POST', headers: { 'x-amz-target': 'AmazonSSM.GetParameter', 'content-type': 'application/x-amz-json-1.1' }, body: '{"Name":"x"}' });
    assert.equal(r.status, 400);
    assert.equal((await r.json()).__type, 'MissingAuthenticationTokenException');
  });

  test('Query-era services answer auth failures with their own codes and XML', async () => {
    const r = await signedFetch(server, { service: 'sns', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=ListTopics&Version=2010-03-31', secretAccessKey: 'wrong' });
    assert.equal(r.status, 403);
    assert.match(r.text, /<Code>SignatureDoesNotMatch<\/Code>/);
    assert.match(r.text, /<Type>Sender<\/Type>/);
  });
});

describe('bad input gets a clean AWS error and the server keeps serving', () => {
  test('broken JSON → 400 SerializationException', async () => {
    const r = await signedFetch(server, { service: 'ssm', headers: { 'x-amz-target': 'AmazonSSM.GetParameter', 'content-type': 'application/x-amz-json-1.1' }, body: '{"Name": ' });
    assert.equal(r.status, 400);
    assert.equal(JSON.parse(r.text).__type, 'SerializationException');
    assert.ok(r.headers.get('x-amzn-requestid'));
    await healthy();
  });

  test('broken form encoding → 400 in Query XML', async () => {
    const r = await signedFetch(server, { service: 'sns', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=Publish&Version=2010-03-31&Message=%ZZ%' });
    assert.equal(r.status, 400);
    assert.match(r.text, /^<\?xml|^<ErrorResponse/);
    assert.match(r.text, /<Code>MalformedQueryString<\/Code>/);
    await healthy();
  });

  test('broken CBOR → 400 SerializationException in CBOR, with smithy-protocol', async () => {
    const r = await signedFetch(server, {
      service: 'monitoring',
      path: '/service/GraniteServiceVersion20100801/operation/ListMetrics',
      headers: { 'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor', accept: 'application/cbor' },
      body: Buffer.from([0xbf, 0x61, 0xff, 0xff, 0x1c]),
    });
    assert.equal(r.status, 400);
    assert.equal(r.headers.get('smithy-protocol'), 'rpc-v2-cbor');
    assert.equal(cborDecode(r.body).__type.replace(/^.*#/, ''), 'SerializationException');
    assert.match(r.headers.get('x-amzn-query-error') ?? '', /^SerializationException;Sender$/);
    await healthy();
  });

  test('a 10 MB body → 413 RequestEntityTooLargeException', async () => {
    const big = '{"Name":"' + 'x'.repeat(10 * 1024 * 1024) + '"}';
    const r = await signedFetch(server, { service: 'ssm', headers: { 'x-amz-target': 'AmazonSSM.PutParameter', 'content-type': 'application/x-amz-json-1.1' }, body: big });
    assert.equal(r.status, 413);
    assert.equal(JSON.parse(r.text).__type, 'RequestEntityTooLargeException');
    await healthy();
  });

  test('an unknown action → 400 InvalidAction (Query) / UnknownOperationException (JSON)', async () => {
    const q = await signedFetch(server, { service: 'sns', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=FlyToTheMoon&Version=2010-03-31' });
    assert.equal(q.status, 400);
    assert.match(q.text, /<Code>InvalidAction<\/Code>/);
    const j = await signedFetch(server, { service: 'ssm', headers: { 'x-amz-target': 'AmazonSSM.FlyToTheMoon', 'content-type': 'application/x-amz-json-1.1' }, body: '{}' });
    assert.equal(j.status, 400);
    assert.equal(JSON.parse(j.text).__type, 'UnknownOperationException');
    const svc = await signedFetch(server, { service: 'dynamodb', headers: { 'x-amz-target': 'DynamoDB_20120810.ListTables', 'content-type': 'application/x-amz-json-1.0' }, body: '{}' });
    assert.equal(svc.status, 400);
    assert.equal(JSON.parse(svc.text).__type, 'UnknownOperationException');
    await healthy();
  });

  test('an operation that is not built yet → 501 NotImplemented in its protocol', async () => {
    // CloudWatch metric streams are out of scope: routed, signed and parsed, then NotImplemented
    const r = await signedFetch(server, { service: 'monitoring', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=ListMetricStreams&Version=2010-08-01' });
    assert.equal(r.status, 501);
    assert.match(r.text, /<Code>NotImplemented<\/Code>/);
  });
});

describe('durability and shutdown', () => {
  test('a parameter survives a restart, and SIGTERM exits cleanly', async () => {
    await ssm().send(new PutParameterCommand({ Name: '/durable/p', Value: 'kept', Type: 'String' }));
    const code = await server.stop('SIGTERM');
    assert.equal(code, 0);
    await server.restart();
    const got = await ssm().send(new GetParameterCommand({ Name: '/durable/p' }));
    assert.equal(got.Parameter?.Value, 'kept');
  });

  test('mutating calls are in the audit trail, with secrets hidden; reads are not', async () => {
    await ssm().send(new PutParameterCommand({ Name: '/audit/secret', Value: 'hunter2-secret', Type: 'SecureString' }));
    await ssm().send(new GetParameterCommand({ Name: '/audit/secret', WithDecryption: true }));
    const db = new Database(join(server.dataDir, 'signalbox.db'), { readonly: true });
    try {
      const rows = db.prepare("SELECT * FROM audit_events WHERE event_source = 'ssm.amazonaws.com' ORDER BY seq").all() as any[];
      const put = rows.find((r) => r.event_name === 'PutParameter' && r.request_parameters.includes('/audit/secret'));
      assert.ok(put, 'PutParameter audited');
      const params = JSON.parse(put.request_parameters);
      assert.equal(params.name, '/audit/secret');
      assert.equal(params.type, 'SecureString');
      assert.equal(params.value, 'HIDDEN_DUE_TO_SECURITY_REASONS');
      assert.equal(JSON.parse(put.response_elements).version, 1);
      assert.equal(put.access_key_id, 'test');
      assert.equal(put.region, 'us-east-1');
      assert.equal(put.account_id, '000000000000');
      assert.match(put.source_ip, /127\.0\.0\.1/);
      assert.ok(!rows.some((r) => r.event_name === 'GetParameter'), 'reads are not audited');
      const all = JSON.stringify(db.prepare('SELECT * FROM audit_events').all());
      assert.ok(!all.includes('hunter2-secret'), 'no secret in the trail');
    } finally {
      db.close();
    }
  });
});

describe('graceful stop', () => {
  test('SIGTERM lets a request in flight finish, and what it stored is there after a restart', async () => {
    const { Hash } = await import('@smithy/hash-node');
    const { SignatureV4 } = await import('@smithy/signature-v4');
    const { request } = await import('node:http');
    const srv = await startServer();
    try {
      const body = JSON.stringify({ Name: '/inflight/p', Value: 'made it', Type: 'String' });
      const signer = new SignatureV4({ service: 'ssm', region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, sha256: Hash.bind(null, 'sha256'), applyChecksum: false });
      const signed = await signer.sign({
        method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: srv.port, path: '/', query: {},
        headers: { host: `127.0.0.1:${srv.port}`, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonSSM.PutParameter', 'content-length': String(Buffer.byteLength(body)) },
        body,
      } as never);
      const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: srv.port, method: 'POST', path: '/', headers: (signed as unknown as { headers: Record<string, string> }).headers }, (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        });
        req.on('error', reject);
        req.write(body.slice(0, 10));
        // the request is in flight (headers and half the body sent) when SIGTERM arrives
        setTimeout(() => {
          exited = srv.stop('SIGTERM');
          setTimeout(() => req.end(body.slice(10)), 300);
        }, 200);
      });
      let exited!: Promise<number | null>;
      const r = await answered;
      assert.equal(r.status, 200, r.text);
      assert.equal(JSON.parse(r.text).Version, 1);
      assert.equal(await exited, 0);
      await srv.restart();
      const got = await new SSMClient(clientConfig(srv)).send(new GetParameterCommand({ Name: '/inflight/p' }));
      assert.equal(got.Parameter?.Value, 'made it');
    } finally {
      await srv.dispose();
    }
  });

  test('listening beyond loopback with only the default key is refused at start-up, with the reason', async () => {
    const { spawnSync } = await import('node:child_process');
    const { MAIN } = await import('../helpers/server.js');
    const r = spawnSync(process.execPath, [MAIN, 'start', '--host', '0.0.0.0', '--port', '0', '--data-dir', join(server.dataDir, 'never')], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /refusing to listen on 0\.0\.0\.0: only the well-known default key/);
  });
});

describe('stop with a long poll open', () => {
  test('SIGTERM answers a 20 s SQS long poll at once (empty) and exits cleanly', async () => {
    const { SQSClient, CreateQueueCommand, ReceiveMessageCommand } = await import('@aws-sdk/client-sqs');
    const srv = await startServer();
    try {
      const sqs = new SQSClient(clientConfig(srv));
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'long-poll' }));
      const polling = sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }));
      await new Promise((r) => setTimeout(r, 300));
      const started = Date.now();
      const exited = srv.stop('SIGTERM');
      const r = await polling;
      assert.equal(r.Messages, undefined);
      assert.equal(await exited, 0);
      // the poll was answered by the shutdown, not by its 20 s running out
      assert.ok(Date.now() - started < 15_000, `stop took ${Date.now() - started} ms`);
    } finally {
      await srv.dispose();
    }
  });
});
