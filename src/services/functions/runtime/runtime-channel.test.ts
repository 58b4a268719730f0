/**
 * The private channel of Signalbox's own runtimes against the HTTP Runtime API they fall back to
 * (a wrapper script that closes the channel's fd forces the fallback): every kind of outcome —
 * a result with its context, a thrown error, an uncaught exception, an exit, a timeout, a
 * response over 6 MB, an init failure — must come out the same, and the channel must stay
 * invisible to the function.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, type Harness, type Invoked } from './harness.test.js';
import type { FunctionSpec } from './types.js';

const NODE_HANDLER = `
const { execSync } = require('node:child_process');
const { readdirSync } = require('node:fs');
exports.handler = async (event, context) => {
  switch (event.kind) {
    case 'context':
      return {
        event, requestId: context.awsRequestId, arn: context.invokedFunctionArn, clientContext: context.clientContext,
        remaining: context.getRemainingTimeInMillis() > 0, trace: process.env._X_AMZN_TRACE_ID,
        channelVariable: Object.keys(process.env).filter((k) => k.startsWith('_SIGNALBOX')),
        childVariable: execSync('env').toString().includes('_SIGNALBOX'),
      };
    case 'throw': throw new TypeError('bad input');
    case 'uncaught': setTimeout(() => { throw new RangeError('boom'); }); return new Promise(() => {});
    case 'exit': process.exit(3);
    case 'sleep': return new Promise((r) => setTimeout(r, 10_000));
    case 'big': return 'x'.repeat(7 * 1024 * 1024);
    case 'ping': return 'pong';
  }
  return null;
};
`;

const PYTHON_HANDLER = `
import os, subprocess, time, sys

def handler(event, context):
    kind = event.get("kind")
    if kind == "context":
        return {
            "event": event, "requestId": context.aws_request_id, "arn": context.invoked_function_arn,
            "clientContext": context.client_context.custom if context.client_context else None,
            "remaining": context.get_remaining_time_in_millis() > 0, "trace": os.environ.get("_X_AMZN_TRACE_ID"),
            "channelVariable": [k for k in os.environ if k.startswith("_SIGNALBOX")],
            "childVariable": "_SIGNALBOX" in subprocess.run(["env"], capture_output=True, text=True).stdout,
        }
    if kind == "throw":
        raise ValueError("bad input")
    if kind == "exit":
        sys.exit(3)
    if kind == "sleep":
        time.sleep(10)
    if kind == "big":
        return "x" * (7 * 1024 * 1024)
    if kind == "ping":
        return "pong"
    return None
`;

// closes fd 3 before the runtime starts: the runtime cannot open its channel and speaks HTTP
const HTTP_ONLY_WRAPPER = '#!/bin/sh\nexec 3>&-\nexec "$@"\n';

/** What must not differ between the two ways: request ids, times and durations taken out. */
function comparable(out: Invoked, requestId: string): unknown {
  const scrub = (s: string) => s.split(requestId).join('<id>').replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, '<time>').replace(/[\d.]+ ms/g, '<n> ms').replace(/Max Memory Used: \d+/g, '');
  return {
    functionError: out.functionError,
    errorType: out.errorType,
    payload: scrub(out.payload.toString('utf8')),
    log: scrub(out.logText).replace(/\[\$LATEST\][0-9a-f]{32}/g, '<stream>'),
    cold: out.initDurationMs !== undefined,
  };
}

describe('private runtime channel', () => {
  let h: Harness;
  before(() => {
    h = harness();
  });
  after(() => h.close());

  function specs(runtime: string, file: string, source: string, timeoutSeconds = 5): { channel: FunctionSpec; http: FunctionSpec } {
    const codeDir = h.code({ [file]: source, '!http-only.sh': HTTP_ONLY_WRAPPER });
    // one name for both, so that what the function sees can be compared; each has its own key
    const base = { runtime, handler: `${file.split('.')[0]}.handler`, codeDir, timeoutSeconds, functionName: `channel-${runtime}-${++specs.count}` };
    return {
      channel: h.spec(base),
      http: h.spec({ ...base, environment: { AWS_LAMBDA_EXEC_WRAPPER: `${codeDir}/http-only.sh` } }),
    };
  }

  specs.count = 0;

  /** Invokes the same event both ways, with the same request id, and checks both came out alike. */
  async function both(s: { channel: FunctionSpec; http: FunctionSpec }, event: unknown, extra = {}): Promise<Invoked> {
    const requestId = `same-${Math.random().toString(16).slice(2)}`;
    const [channel, http] = await Promise.all([h.invoke(s.channel, event, { requestId, ...extra }), h.invoke(s.http, event, { requestId, ...extra })]);
    assert.deepEqual(comparable(channel, requestId), comparable(http, requestId));
    return channel;
  }

  for (const [runtime, file, source] of [['nodejs20.x', 'index.js', NODE_HANDLER], ['python3.12', 'app.py', PYTHON_HANDLER]] as const) {
    it(`${runtime}: results, errors, exits and the response limit come out as over HTTP`, async () => {
      const s = specs(runtime, file, source);
      const clientContext = Buffer.from(JSON.stringify({ custom: { café: 'crème' } })).toString('base64');
      const traceId = 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1';
      const ctx = await both(s, { kind: 'context', n: [1, 'two'] }, { clientContext, traceId });
      assert.equal(ctx.functionError, undefined, ctx.payload.toString());
      assert.deepEqual(ctx.json.event, { kind: 'context', n: [1, 'two'] });
      assert.equal(ctx.json.trace, traceId);
      assert.deepEqual(ctx.json.channelVariable, [], 'the channel is not in the function environment');
      assert.equal(ctx.json.childVariable, false, "nor in its children's");
      assert.equal(ctx.json.remaining, true);
      assert.deepEqual(ctx.json.clientContext, runtime.startsWith('node') ? { custom: { café: 'crème' } } : { café: 'crème' });

      const thrown = await both(s, { kind: 'throw' });
      assert.equal(thrown.functionError, 'Unhandled');
      assert.equal(thrown.errorType, runtime.startsWith('node') ? 'TypeError' : 'ValueError');

      const big = await both(s, { kind: 'big' });
      assert.equal(big.errorType, 'Function.ResponseSizeTooLarge');
      const warm = await both(s, { kind: 'ping' });
      assert.equal(warm.initDurationMs, undefined, 'still the same instance after a response too large');

      const exited = await both(s, { kind: 'exit' });
      assert.equal(exited.errorType, 'Runtime.ExitError');
      assert.equal((await both(s, { kind: 'ping' })).initDurationMs !== undefined, true, 'a fresh instance after the exit');
    });
  }

  it('nodejs20.x: an uncaught exception and a timeout come out as over HTTP', async () => {
    const s = specs('nodejs20.x', 'index.js', NODE_HANDLER, 1);
    const uncaught = await both(s, { kind: 'uncaught' });
    assert.equal(uncaught.errorType, 'RangeError');
    assert.match(uncaught.logText, /Uncaught Exception \t/);
    const timedOut = await both(s, { kind: 'sleep' });
    assert.equal(timedOut.errorType, 'Sandbox.Timedout');
  });

  it('init failures come out as over HTTP (Node and Python)', async () => {
    for (const s of [specs('nodejs20.x', 'index.js', 'throw new Error("no init");'), specs('python3.12', 'app.py', 'raise ValueError("no init")\n')]) {
      const out = await both(s, {});
      assert.equal(out.functionError, 'Unhandled');
      assert.match(out.payload.toString(), /no init/);
    }
  });
});
