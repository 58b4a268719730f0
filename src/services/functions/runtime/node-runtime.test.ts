/**
 * The Node runtime through FunctionRuntime with real child processes: CommonJS, ES modules,
 * callback handlers, the context object, console lines, the provided AWS SDK, handler errors.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { eventually, harness, streamLines, type Harness } from './harness.test.js';

describe('node runtime', () => {
  let h: Harness;
  before(() => {
    h = harness();
  });
  after(() => h.close());

  it('runs a CommonJS handler in a nested folder, with AWS context and environment', async () => {
    const codeDir = h.code({
      'src/lib/app.js': `
        const pid = process.pid;
        exports.handlers = { main: async (event, context) => ({
          event, pid,
          context: {
            functionName: context.functionName, functionVersion: context.functionVersion,
            invokedFunctionArn: context.invokedFunctionArn, memoryLimitInMB: context.memoryLimitInMB,
            awsRequestId: context.awsRequestId, logGroupName: context.logGroupName, logStreamName: context.logStreamName,
            remaining: context.getRemainingTimeInMillis(), waits: context.callbackWaitsForEmptyEventLoop,
            clientContext: context.clientContext,
          },
          env: {
            name: process.env.AWS_LAMBDA_FUNCTION_NAME, version: process.env.AWS_LAMBDA_FUNCTION_VERSION,
            memory: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, group: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
            stream: process.env.AWS_LAMBDA_LOG_STREAM_NAME, region: process.env.AWS_REGION, defaultRegion: process.env.AWS_DEFAULT_REGION,
            exec: process.env.AWS_EXECUTION_ENV, api: process.env.AWS_LAMBDA_RUNTIME_API, init: process.env.AWS_LAMBDA_INITIALIZATION_TYPE,
            taskRoot: process.env.LAMBDA_TASK_ROOT, runtimeDir: process.env.LAMBDA_RUNTIME_DIR, handler: process.env._HANDLER,
            tz: process.env.TZ, lang: process.env.LANG, key: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY,
            token: process.env.AWS_SESSION_TOKEN, endpoint: process.env.AWS_ENDPOINT_URL, trace: process.env._X_AMZN_TRACE_ID,
            own: process.env.MY_SETTING, cwd: process.cwd(), tmp: process.env.TMPDIR,
          },
        }) };`,
    });
    const spec = h.spec({
      runtime: 'nodejs20.x', handler: 'src/lib/app.handlers.main', codeDir, memorySizeMb: 192, timeoutSeconds: 7,
      // a function's own variables cannot replace the reserved ones
      environment: { MY_SETTING: 'yes', AWS_REGION: 'mars-1', AWS_LAMBDA_FUNCTION_NAME: 'evil' },
    });
    const clientContext = Buffer.from(JSON.stringify({ custom: { who: 'tester' }, env: { locale: 'fr' } })).toString('base64');
    const out = await h.invoke(spec, { hello: 'world' }, { clientContext, traceId: 'Root=1-00000000-000000000000000000000001;Sampled=1' });
    assert.equal(out.functionError, undefined, out.payload.toString());
    const { event, context, env } = out.json;
    assert.deepEqual(event, { hello: 'world' });
    assert.equal(context.functionName, spec.functionName);
    assert.equal(context.functionVersion, '$LATEST');
    assert.equal(context.invokedFunctionArn, `arn:aws:lambda:eu-west-1:111122223333:function:${spec.functionName}`);
    assert.equal(context.memoryLimitInMB, '192');
    assert.match(context.awsRequestId, /^req-/);
    assert.equal(context.logGroupName, spec.logGroupName);
    assert.equal(context.logStreamName, out.logStreamName);
    assert.match(out.logStreamName, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    assert.ok(context.remaining > 5000 && context.remaining <= 7000, String(context.remaining));
    assert.equal(context.waits, true);
    assert.deepEqual(context.clientContext, { custom: { who: 'tester' }, env: { locale: 'fr' } });
    assert.equal(env.name, spec.functionName);
    assert.equal(env.version, '$LATEST');
    assert.equal(env.memory, '192');
    assert.equal(env.group, spec.logGroupName);
    assert.equal(env.stream, out.logStreamName);
    assert.equal(env.region, 'eu-west-1');
    assert.equal(env.defaultRegion, 'eu-west-1');
    assert.equal(env.exec, 'AWS_Lambda_nodejs20.x');
    assert.match(env.api, /^127\.0\.0\.1:\d+$/);
    assert.equal(env.init, 'on-demand');
    assert.equal(env.taskRoot, codeDir);
    assert.ok(env.runtimeDir.endsWith('bootstraps/node'));
    assert.equal(env.handler, 'src/lib/app.handlers.main');
    assert.equal(env.tz, ':UTC');
    assert.equal(env.lang, 'en_US.UTF-8');
    assert.equal(env.key, 'AKIDSIGNALBOXTEST');
    assert.equal(env.secret, 'test-secret');
    assert.equal(env.token, 'test-token');
    assert.equal(env.endpoint, 'http://127.0.0.1:4566');
    assert.equal(env.trace, 'Root=1-00000000-000000000000000000000001;Sampled=1');
    assert.equal(env.own, 'yes');
    assert.equal(env.cwd, codeDir);
    assert.ok(env.tmp);
    assert.ok(out.initDurationMs! > 0);
    assert.ok(out.maxMemoryUsedMb > 10);
    assert.equal(out.billedDurationMs, Math.ceil(out.durationMs + out.initDurationMs!));
  });

  it('writes console output as Lambda lines between START and REPORT, and reuses the warm instance', async () => {
    const codeDir = h.code({
      'index.js': `
        console.log('loading');
        exports.handler = async (event) => {
          console.log('hello', { n: event.n });
          console.warn('careful');
          console.error('two\\nlines');
          return process.pid;
        };`,
    });
    const spec = h.spec({ runtime: 'nodejs18.x', handler: 'index.handler', codeDir });
    const first = await h.invoke(spec, { n: 1 });
    const second = await h.invoke(spec, { n: 2 });
    assert.equal(first.json, second.json, 'the same process served both');
    assert.ok(first.initDurationMs !== undefined && second.initDurationMs === undefined);
    assert.equal(first.logStreamName, second.logStreamName);
    const lines = first.logText.replace(/\n$/, '').split('\n');
    assert.match(lines[0]!, /^\d{4}-\d\d-\d\dT[\d:.]+Z\tundefined\tINFO\tloading$/);
    assert.match(lines[1]!, /^START RequestId: req-\S+ Version: \$LATEST$/);
    assert.match(lines[2]!, /^\S+Z\treq-\S+\tINFO\thello \{ n: 1 \}$/);
    assert.match(lines[3]!, /\tWARN\tcareful$/);
    assert.match(lines[4]!, /\tERROR\ttwo$/);
    assert.equal(lines[5], 'lines', 'a multi-line message stays one event');
    assert.match(lines[6]!, /^END RequestId: req-/);
    assert.match(lines[7]!, /^REPORT RequestId: req-\S+\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 256 MB\tMax Memory Used: \d+ MB\tInit Duration: \d+\.\d\d ms\t$/);
    assert.equal(lines.length, 8);
    assert.ok(!second.logText.includes('Init Duration'));
    await eventually(() => streamLines(h, first.logStreamName).filter((l) => l.startsWith('REPORT')).length === 2);
    const events = streamLines(h, first.logStreamName);
    assert.ok(events.some((m) => m.endsWith('\tERROR\ttwo\nlines')), 'one event with its newline back');
  });

  it('loads ES modules: .mjs, and .js under "type": "module"', async () => {
    const mjs = h.code({ 'app.mjs': `import { helper } from './helper.mjs';\nexport const handler = async (e) => helper(e.x);`, 'helper.mjs': 'export const helper = (x) => ({ esm: true, x });' });
    const typed = h.code({ 'package.json': '{"type":"module"}', 'index.js': 'export async function handler() { return typeof require; }' });
    const a = await h.invoke(h.spec({ runtime: 'nodejs20.x', handler: 'app.handler', codeDir: mjs }), { x: 3 });
    assert.deepEqual(a.json, { esm: true, x: 3 });
    const b = await h.invoke(h.spec({ runtime: 'nodejs22.x', handler: 'index.handler', codeDir: typed }));
    assert.equal(b.json, 'undefined');
  });

  it('keeps CommonJS handlers CommonJS below a package.json that says "type": "module"', async () => {
    // e.g. Signalbox's data folder inside a project checkout; on Lambda nothing is above /var/task
    const project = h.code({
      'package.json': '{"type":"module"}',
      'data/fn/index.js': `const helper = require('./helper.js'); exports.handler = async () => helper.kind;`,
      'data/fn/helper.js': `module.exports = { kind: typeof module };`,
      'data/esm/package.json': '{"type":"module"}',
      'data/esm/index.js': 'export const handler = async () => "esm";',
    });
    const cjs = await h.invoke(h.spec({ runtime: 'nodejs20.x', handler: 'index.handler', codeDir: `${project}/data/fn` }));
    assert.equal(cjs.json, 'object', cjs.payload.toString());
    const esm = await h.invoke(h.spec({ runtime: 'nodejs20.x', handler: 'index.handler', codeDir: `${project}/data/esm` }));
    assert.equal(esm.json, 'esm', esm.payload.toString());
  });

  it('runs callback handlers, waiting for the event loop unless told not to', async () => {
    const codeDir = h.code({
      'cb.js': `
        let ticks = 0;
        exports.wait = (event, context, callback) => {
          setTimeout(() => { ticks++; }, 50);
          callback(null, { ticksBefore: ticks });
        };
        exports.nowait = (event, context, callback) => {
          context.callbackWaitsForEmptyEventLoop = false;
          setTimeout(() => {}, 3000);
          callback(null, 'fast');
        };
        exports.fails = (event, context, callback) => callback(new TypeError('bad input'));
        exports.legacy = (event, context) => { context.succeed({ legacy: true }); };`,
    });
    const wait = h.spec({ runtime: 'nodejs20.x', handler: 'cb.wait', codeDir });
    const started = Date.now();
    assert.deepEqual((await h.invoke(wait)).json, { ticksBefore: 0 });
    assert.ok(Date.now() - started >= 45, 'the response waited for the pending timer');
    assert.deepEqual((await h.invoke(wait)).json, { ticksBefore: 1 }, 'the timer ran before the previous response');
    const t0 = Date.now();
    assert.equal((await h.invoke(h.spec({ runtime: 'nodejs20.x', handler: 'cb.nowait', codeDir }))).json, 'fast');
    assert.ok(Date.now() - t0 < 2500);
    const failed = await h.invoke(h.spec({ runtime: 'nodejs20.x', handler: 'cb.fails', codeDir }));
    assert.equal(failed.functionError, 'Unhandled');
    assert.equal(failed.json.errorType, 'TypeError');
    assert.equal(failed.json.errorMessage, 'bad input');
    assert.deepEqual((await h.invoke(h.spec({ runtime: 'nodejs20.x', handler: 'cb.legacy', codeDir }))).json, { legacy: true });
  });

  it('provides the AWS SDK v3 to ES module and CommonJS handlers, signing calls that reach Signalbox', async () => {
    // stands in for Signalbox: records what the function's SDK sends and answers GetParameter
    const seen: Array<{ target: string; authorization: string }> = [];
    const server = createServer((req, res) => {
      req.resume();
      seen.push({ target: String(req.headers['x-amz-target']), authorization: String(req.headers.authorization) });
      res.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ Parameter: { Name: '/app/colour', Value: 'green', Type: 'String', Version: 1 } }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const endpointUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const sdk = harness({ access: () => ({ endpointUrl, accessKeyId: 'AKIDFUNCTION', secretAccessKey: 'function-secret' }) });
    try {
      const codeDir = sdk.code({
        'index.mjs': `
          import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';
          const ssm = new SSMClient({});
          export const handler = async () => {
            const out = await ssm.send(new GetParameterCommand({ Name: '/app/colour' }));
            return { value: out.Parameter.Value, region: await ssm.config.region() };
          };`,
        'cjs.js': `const { SSMClient } = require('@aws-sdk/client-ssm'); exports.handler = async () => typeof SSMClient;`,
        'dyn.mjs': `export const handler = async () => { const m = await import('@aws-sdk/client-ssm'); return typeof m.SSMClient; };`,
        'nosdk.mjs': `import pino from 'pino'; export const handler = async () => typeof pino;`,
        // a callback handler waits for an empty event loop: the ES module hooks must not hold it open
        'callback.mjs': `import { SSMClient } from '@aws-sdk/client-ssm'; export const handler = (e, c, cb) => setTimeout(() => cb(null, typeof SSMClient), 10);`,
      });
      const esm = await sdk.invoke(sdk.spec({ runtime: 'nodejs20.x', handler: 'index.handler', codeDir }));
      assert.deepEqual(esm.json, { value: 'green', region: 'eu-west-1' }, esm.payload.toString());
      assert.equal(seen[0]?.target, 'AmazonSSM.GetParameter');
      assert.match(seen[0]!.authorization, /Credential=AKIDFUNCTION\/\d{8}\/eu-west-1\/ssm\/aws4_request/);
      assert.equal((await sdk.invoke(sdk.spec({ runtime: 'nodejs20.x', handler: 'cjs.handler', codeDir }))).json, 'function');
      assert.equal((await sdk.invoke(sdk.spec({ runtime: 'nodejs20.x', handler: 'dyn.handler', codeDir }))).json, 'function');
      const callback = await sdk.invoke(sdk.spec({ runtime: 'nodejs20.x', handler: 'callback.handler', codeDir, timeoutSeconds: 3 }));
      assert.equal(callback.json, 'function', callback.payload.toString());
      // only the SDK is provided, not the rest of Signalbox's dependencies
      const other = await sdk.invoke(sdk.spec({ runtime: 'nodejs20.x', handler: 'nosdk.handler', codeDir }));
      assert.equal(other.json.errorType, 'Runtime.ImportModuleError', other.payload.toString());
    } finally {
      await sdk.close();
      server.close();
    }
  });

  it("prefers the function's own node_modules to the provided SDK", async () => {
    const codeDir = h.code({
      'node_modules/@aws-sdk/client-ssm/package.json': '{"name":"@aws-sdk/client-ssm","main":"index.js"}',
      'node_modules/@aws-sdk/client-ssm/index.js': 'exports.bundled = true;',
      'index.js': `exports.handler = async () => require('@aws-sdk/client-ssm').bundled === true;`,
    });
    assert.equal((await h.invoke(h.spec({ runtime: 'nodejs20.x', handler: 'index.handler', codeDir }))).json, true);
  });

  it('answers a thrown error with errorType, errorMessage and trace, and keeps the instance warm', async () => {
    const codeDir = h.code({ 'index.js': `exports.handler = async (e) => { if (e.fail) throw new RangeError('too far'); return process.pid; };` });
    const spec = h.spec({ runtime: 'nodejs20.x', handler: 'index.handler', codeDir });
    const pid = (await h.invoke(spec)).json;
    const failed = await h.invoke(spec, { fail: true });
    assert.equal(failed.functionError, 'Unhandled');
    assert.equal(failed.errorType, 'RangeError');
    assert.equal(failed.json.errorType, 'RangeError');
    assert.equal(failed.json.errorMessage, 'too far');
    assert.ok(Array.isArray(failed.json.trace) && failed.json.trace[0] === 'RangeError: too far');
    assert.match(failed.logText, /\tERROR\tInvoke Error \t\{"errorType":"RangeError","errorMessage":"too far","stack":\[/);
    assert.equal((await h.invoke(spec)).json, pid, 'a reported error does not reset the environment (as on Lambda)');
  });

  it('reports init failures: missing module, missing handler, syntax error, bad handler name', async () => {
    const codeDir = h.code({ 'index.js': 'exports.other = () => 1;', 'broken.js': 'exports.handler = async () => {;', 'deps.js': `require('left-pad'); exports.handler = async () => 1;` });
    const cases: Array<[string, string, RegExp]> = [
      ['missing.handler', 'Runtime.ImportModuleError', /^Error: Cannot find module 'missing'/],
      ['index.handler', 'Runtime.HandlerNotFound', /^index\.handler is undefined or not exported$/],
      ['broken.handler', 'Runtime.UserCodeSyntaxError', /^SyntaxError: /],
      ['deps.handler', 'Runtime.ImportModuleError', /^Error: Cannot find module 'left-pad'/],
      ['nodot', 'Runtime.MalformedHandlerName', /^Bad handler nodot$/],
    ];
    for (const [handler, errorType, message] of cases) {
      const spec = h.spec({ runtime: 'nodejs20.x', handler, codeDir });
      const out = await h.invoke(spec);
      assert.equal(out.functionError, 'Unhandled', handler);
      assert.equal(out.errorType, errorType, handler);
      assert.equal(out.json.errorType, errorType, handler);
      assert.match(out.json.errorMessage, message, handler);
      assert.match(out.logText, /INIT_REPORT Init Duration: [\d.]+ ms\tPhase: init\tStatus: error\tError Type: /);
      assert.match(out.logText, /Status: error\tError Type: /);
    }
  });
});
