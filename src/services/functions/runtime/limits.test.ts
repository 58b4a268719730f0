/**
 * Limits and failures: timeouts, a runtime that exits, uncaught errors, the memory limit and the
 * 6 MB response limit, each in Lambda's error shape, each (but the last) followed by a fresh
 * instance on the next invocation.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, type Harness, type Invoked } from './harness.test.js';

const PID = { pid: true };

describe('limits and failures', () => {
  let h: Harness;
  before(() => {
    h = harness();
  });
  after(() => h.close());

  /** Invokes `event`, then a plain event that returns the pid: asserts a fresh instance served it. */
  async function failsThenFresh(spec: Parameters<Harness['invoke']>[0], event: unknown): Promise<Invoked> {
    const before = (await h.invoke(spec, PID)).json;
    assert.equal(typeof before, 'number');
    const failed = await h.invoke(spec, event);
    const next = await h.invoke(spec, PID);
    assert.equal(typeof next.json, 'number', next.payload.toString());
    assert.notEqual(next.json, before, 'a fresh instance after the failure');
    assert.ok(next.initDurationMs !== undefined, 'the next invocation was a cold start');
    return failed;
  }

  const nodeCode = (body: string) =>
    h.code({ 'index.js': `exports.handler = async (event) => { if (event.pid) return process.pid; ${body} };` });

  it('times out: kills the instance and answers "Task timed out after N.00 seconds"', async () => {
    const spec = h.spec({ runtime: 'nodejs20.x', handler: 'index.handler', codeDir: nodeCode('console.log("waiting"); await new Promise((r) => setTimeout(r, 10000));'), timeoutSeconds: 1 });
    const out = await failsThenFresh(spec, {});
    assert.equal(out.functionError, 'Unhandled');
    assert.equal(out.errorType, 'Sandbox.Timedout');
    assert.deepEqual(Object.keys(out.json), ['errorMessage']);
    assert.match(out.json.errorMessage, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z req-\S+ Task timed out after 1\.00 seconds$/);
    assert.ok(out.durationMs >= 1000 && out.durationMs < 1500, String(out.durationMs));
    const lines = out.logText.replace(/\n$/, '').split('\n');
    assert.match(lines.at(-4)!, /\tINFO\twaiting$/);
    assert.equal(lines.at(-3), out.json.errorMessage);
    assert.match(lines.at(-2)!, /^END RequestId: /);
    assert.match(lines.at(-1)!, /\tStatus: timeout\t$/);
  });

  it('a runtime that exits mid-invocation fails it with Runtime.ExitError', async () => {
    const spec = h.spec({ runtime: 'nodejs20.x', handler: 'index.handler', codeDir: nodeCode('console.log("bye"); process.exit(3);') });
    const out = await failsThenFresh(spec, {});
    assert.equal(out.errorType, 'Runtime.ExitError');
    assert.deepEqual(Object.keys(out.json), ['errorType', 'errorMessage']);
    assert.equal(out.json.errorType, 'Runtime.ExitError');
    assert.match(out.json.errorMessage, /^RequestId: req-\S+ Error: Runtime exited with error: exit status 3$/);
    assert.match(out.logText, /\tINFO\tbye\nRequestId: \S+ Error: Runtime exited with error: exit status 3\nRuntime\.ExitError\nEND RequestId: /);
    assert.match(out.logText, /Status: error\tError Type: Runtime\.ExitError\t\n$/);
  });

  it('an exit without an error says the runtime gave no reason', async () => {
    const spec = h.spec({ runtime: 'nodejs20.x', handler: 'index.handler', codeDir: nodeCode('process.exit(0);') });
    const out = await failsThenFresh(spec, {});
    assert.match(out.json.errorMessage, /^RequestId: \S+ Error: Runtime exited without providing a reason$/);
  });

  it('an uncaught exception fails the invocation with its error and ends the instance', async () => {
    const spec = h.spec({ runtime: 'nodejs20.x', handler: 'index.handler', codeDir: nodeCode('setTimeout(() => { throw new SyntaxError("late"); }, 5); return new Promise(() => {});') });
    const out = await failsThenFresh(spec, {});
    assert.equal(out.errorType, 'SyntaxError');
    assert.equal(out.json.errorMessage, 'late');
    assert.ok(Array.isArray(out.json.trace));
    assert.match(out.logText, /\tERROR\tUncaught Exception \t\{"errorType":"SyntaxError","errorMessage":"late"/);
  });

  it('an unhandled rejection is Runtime.UnhandledPromiseRejection', async () => {
    const spec = h.spec({ runtime: 'nodejs20.x', handler: 'index.handler', codeDir: nodeCode('Promise.reject(new Error("nobody listens")); await new Promise((r) => setTimeout(r, 1000));') });
    const out = await failsThenFresh(spec, {});
    assert.equal(out.errorType, 'Runtime.UnhandledPromiseRejection');
    assert.equal(out.json.errorMessage, 'Error: nobody listens');
  });

  it('kills a Node instance that outgrows its memory: Runtime.OutOfMemory, "signal: killed"', async () => {
    const grow = 'const kept = []; for (;;) { kept.push(Buffer.alloc(8 * 1024 * 1024, 1)); await new Promise((r) => setTimeout(r, 2)); }';
    const spec = h.spec({ runtime: 'nodejs20.x', handler: 'index.handler', codeDir: nodeCode(grow), memorySizeMb: 128, timeoutSeconds: 20 });
    const out = await failsThenFresh(spec, {});
    assert.equal(out.errorType, 'Runtime.OutOfMemory');
    assert.match(out.json.errorMessage, /^RequestId: \S+ Error: Runtime exited with error: signal: killed$/);
    assert.equal(out.maxMemoryUsedMb, 128);
    assert.match(out.logText, /Max Memory Used: 128 MB\t.*Status: error\tError Type: Runtime\.OutOfMemory\t\n$/);
  });

  it('kills a Python instance that outgrows its memory', async () => {
    const codeDir = h.code({
      'app.py': `
import os, time

def handler(event, context):
    if event.get("pid"):
        return os.getpid()
    kept = []
    while True:
        kept.append(b"x" * (8 * 1024 * 1024))
        time.sleep(0.002)
`,
    });
    const spec = h.spec({ runtime: 'python3.12', handler: 'app.handler', codeDir, memorySizeMb: 128, timeoutSeconds: 20 });
    const out = await failsThenFresh(spec, {});
    assert.equal(out.errorType, 'Runtime.OutOfMemory');
    assert.match(out.json.errorMessage, /signal: killed$/);
  });

  it('a Python process that exits fails with Runtime.ExitError', async () => {
    const codeDir = h.code({ 'app.py': 'import os, sys\n\ndef handler(event, context):\n    if event.get("pid"):\n        return os.getpid()\n    sys.exit(2)\n' });
    const out = await failsThenFresh(h.spec({ runtime: 'python3.12', handler: 'app.handler', codeDir }), {});
    assert.match(out.json.errorMessage, /Runtime exited with error: exit status 2$/);
  });

  it('a response over 6 MB fails with Function.ResponseSizeTooLarge and the instance stays', async () => {
    const spec = h.spec({ runtime: 'nodejs20.x', handler: 'index.handler', codeDir: nodeCode('return "x".repeat(7 * 1024 * 1024);') });
    const pid = (await h.invoke(spec, PID)).json;
    const out = await h.invoke(spec, {});
    assert.equal(out.errorType, 'Function.ResponseSizeTooLarge');
    assert.equal(out.json.errorMessage, `Response payload size (${7 * 1024 * 1024 + 2} bytes) exceeded maximum allowed payload size (6291556 bytes).`);
    assert.equal((await h.invoke(spec, PID)).json, pid);
  });

  it('the init limit lets a slow init go on, and the timeout then counts', async () => {
    const limited = harness({ initLimitMs: 200 });
    try {
      const codeDir = limited.code({ 'index.js': 'const until = Date.now() + 600; while (Date.now() < until); exports.handler = async () => "ready";' });
      const ok = await limited.invoke(limited.spec({ runtime: 'nodejs20.x', handler: 'index.handler', codeDir, timeoutSeconds: 3 }));
      assert.equal(ok.json, 'ready');
      assert.match(ok.logText, /^INIT_REPORT Init Duration: [\d.]+ ms\tPhase: init\tStatus: timeout\n/);
      // past the limit, init and handler share the timeout: 200 ms + 1 s is less than this init
      const slower = limited.code({ 'index.js': 'const until = Date.now() + 1800; while (Date.now() < until); exports.handler = async () => "ready";' });
      const late = await limited.invoke(limited.spec({ runtime: 'nodejs20.x', handler: 'index.handler', codeDir: slower, timeoutSeconds: 1 }));
      assert.equal(late.errorType, 'Sandbox.Timedout', late.payload.toString());
    } finally {
      await limited.close();
    }
  });
});
