/**
 * The Python runtime through FunctionRuntime with real child processes: the context object,
 * packages from layers, print and logging output, errors in Lambda's shape, boto3 reaching the
 * endpoint Signalbox injects.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { harness, type Harness } from './harness.test.js';

describe('python runtime', () => {
  let h: Harness;
  before(() => {
    h = harness();
  });
  after(() => h.close());

  it('hands the handler the full context object', async () => {
    const codeDir = h.code({
      'pkg/__init__.py': '',
      'pkg/handlers.py': `
import os, time

def main(event, context):
    first = context.get_remaining_time_in_millis()
    time.sleep(0.05)
    return {
        "event": event,
        "function_name": context.function_name,
        "function_version": context.function_version,
        "invoked_function_arn": context.invoked_function_arn,
        "memory_limit_in_mb": context.memory_limit_in_mb,
        "aws_request_id": context.aws_request_id,
        "log_group_name": context.log_group_name,
        "log_stream_name": context.log_stream_name,
        "remaining": [first, context.get_remaining_time_in_millis()],
        "client_custom": context.client_context.custom,
        "client_app": context.client_context.client.app_title,
        "identity": [context.identity.cognito_identity_id, context.identity.cognito_identity_pool_id],
        "exec_env": os.environ["AWS_EXECUTION_ENV"],
        "trace": os.environ.get("_X_AMZN_TRACE_ID"),
        "cwd": os.getcwd(),
    }
`,
    });
    const spec = h.spec({ runtime: 'python3.12', handler: 'pkg/handlers.main', codeDir, timeoutSeconds: 4, memorySizeMb: 512 });
    const clientContext = Buffer.from(JSON.stringify({ custom: { a: 1 }, client: { app_title: 'demo' } })).toString('base64');
    const out = await h.invoke(spec, { k: 'v' }, { clientContext });
    assert.equal(out.functionError, undefined, out.payload.toString());
    const r = out.json;
    assert.deepEqual(r.event, { k: 'v' });
    assert.equal(r.function_name, spec.functionName);
    assert.equal(r.function_version, '$LATEST');
    assert.equal(r.invoked_function_arn, `arn:aws:lambda:eu-west-1:111122223333:function:${spec.functionName}`);
    assert.equal(r.memory_limit_in_mb, '512');
    assert.match(r.aws_request_id, /^req-/);
    assert.equal(r.log_group_name, spec.logGroupName);
    assert.equal(r.log_stream_name, out.logStreamName);
    assert.ok(r.remaining[0] > 3000 && r.remaining[0] <= 4000, String(r.remaining));
    assert.ok(r.remaining[1] <= r.remaining[0] - 40, String(r.remaining));
    assert.deepEqual(r.client_custom, { a: 1 });
    assert.equal(r.client_app, 'demo');
    assert.deepEqual(r.identity, [null, null]);
    assert.equal(r.exec_env, 'AWS_Lambda_python3.12');
    assert.match(r.trace, /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Sampled=0$/);
    assert.equal(r.cwd, codeDir);
  });

  it('imports packages from layers, later layers first, after the function code', async () => {
    const layer1 = h.code({ 'python/shared.py': 'WHO = "layer1"', 'python/only1.py': 'X = 1' });
    const layer2 = h.code({ 'python/lib/python3.11/site-packages/shared.py': 'WHO = "layer2"', 'python/lib/python3.11/site-packages/colours/__init__.py': 'NAME = "colours from a layer"' });
    const codeDir = h.code({
      'app.py': `
import shared, only1, colours

def handler(event, context):
    return [shared.WHO, only1.X, colours.NAME]
`,
    });
    const out = await h.invoke(h.spec({ runtime: 'python3.11', handler: 'app.handler', codeDir, layerDirs: [layer1, layer2] }));
    assert.deepEqual(out.json, ['layer2', 1, 'colours from a layer'], out.payload.toString());
  });

  it('captures print and logging output in Lambda format', async () => {
    const codeDir = h.code({
      'lambda_function.py': `
import logging
logger = logging.getLogger()
logger.setLevel(logging.INFO)
print("cold start")

def lambda_handler(event, context):
    print("printed", event["n"])
    logger.info("informed\\nover two lines")
    logging.getLogger("child").warning("warned")
    return "ok"
`,
    });
    const out = await h.invoke(h.spec({ runtime: 'python3.13', handler: 'lambda_function.lambda_handler', codeDir }), { n: 7 });
    assert.equal(out.json, 'ok');
    const lines = out.logText.replace(/\n$/, '').split('\n');
    assert.equal(lines[0], 'cold start');
    assert.match(lines[1]!, /^START RequestId: /);
    assert.equal(lines[2], 'printed 7');
    assert.match(lines[3]!, /^\[INFO\]\t\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\treq-\S+\tinformed$/);
    assert.equal(lines[4], 'over two lines');
    assert.match(lines[5]!, /^\[WARNING\]\t\S+Z\treq-\S+\twarned$/);
    assert.match(lines[6]!, /^END RequestId: /);
    assert.match(lines[7]!, /^REPORT RequestId: .*Init Duration: /);
  });

  it("answers an exception with Lambda's Python error document and stays warm", async () => {
    const codeDir = h.code({
      'index.py': `
import os

class PaymentDeclined(Exception):
    pass

def handler(event, context):
    if event.get("fail"):
        raise PaymentDeclined("card declined")
    return os.getpid()
`,
    });
    const spec = h.spec({ runtime: 'python3.10', handler: 'index.handler', codeDir });
    const pid = (await h.invoke(spec)).json;
    const failed = await h.invoke(spec, { fail: true });
    assert.equal(failed.functionError, 'Unhandled');
    assert.equal(failed.errorType, 'PaymentDeclined');
    assert.deepEqual(Object.keys(failed.json), ['errorMessage', 'errorType', 'requestId', 'stackTrace']);
    assert.equal(failed.json.errorMessage, 'card declined');
    assert.equal(failed.json.errorType, 'PaymentDeclined');
    assert.match(failed.json.requestId, /^req-/);
    assert.equal(failed.json.stackTrace.length, 1);
    assert.match(failed.json.stackTrace[0], /^ {2}File ".*index\.py", line 9, in handler\n {4}raise PaymentDeclined\("card declined"\)\n$/);
    assert.match(failed.logText, /\[ERROR\] PaymentDeclined: card declined\nTraceback \(most recent call last\):\n {2}File /);
    assert.equal((await h.invoke(spec)).json, pid);
  });

  it('reports import failures the way Lambda words them', async () => {
    const codeDir = h.code({ 'ok.py': 'def other(e, c):\n    return 1\n', 'bad.py': 'def handler(e, c)\n    return 1\n', 'needs.py': 'import not_installed_anywhere\n' });
    const cases: Array<[string, string, string | RegExp]> = [
      ['missing.handler', 'Runtime.ImportModuleError', "Unable to import module 'missing': No module named 'missing'"],
      ['needs.handler', 'Runtime.ImportModuleError', "Unable to import module 'needs': No module named 'not_installed_anywhere'"],
      ['ok.handler', 'Runtime.HandlerNotFound', "Handler 'handler' missing on module 'ok'"],
      ['bad.handler', 'Runtime.UserCodeSyntaxError', /^Syntax error in module 'bad': /],
      ['nodot', 'Runtime.MalformedHandlerName', /^Bad handler 'nodot': /],
    ];
    for (const [handler, errorType, message] of cases) {
      const out = await h.invoke(h.spec({ runtime: 'python3.9', handler, codeDir }));
      assert.equal(out.errorType, errorType, handler);
      assert.equal(out.json.errorType, errorType, handler);
      if (typeof message === 'string') assert.equal(out.json.errorMessage, message, handler);
      else assert.match(out.json.errorMessage, message, handler);
    }
  });

  it('runs boto3 against the endpoint Signalbox injects', { timeout: 60_000 }, async () => {
    const targets: string[] = [];
    const server = createServer((req, res) => {
      req.resume();
      targets.push(String(req.headers['x-amz-target']));
      res.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ Parameter: { Name: 'p', Value: 'from the stand-in', Type: 'String', Version: 1 } }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const endpointUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const sdk = harness({ access: () => ({ endpointUrl, accessKeyId: 'AKIDPY', secretAccessKey: 'secret' }) });
    try {
      const codeDir = sdk.code({
        'app.py': `
import boto3
ssm = boto3.client("ssm")

def handler(event, context):
    return ssm.get_parameter(Name="p")["Parameter"]["Value"]
`,
      });
      const out = await sdk.invoke(sdk.spec({ runtime: 'python3.12', handler: 'app.handler', codeDir, timeoutSeconds: 30 }));
      assert.equal(out.json, 'from the stand-in', out.payload.toString());
      assert.deepEqual(targets, ['AmazonSSM.GetParameter']);
    } finally {
      await sdk.close();
      server.close();
    }
  });
});
