/**
 * Instances as a pool: warm reuse, concurrent invocations in separate instances, concurrency
 * counts, retire(), idle expiry, stop(), and no process left behind, even when Signalbox dies.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isServiceError } from '../../../core/errors.js';
import { eventually, harness, sleep, type Harness } from './harness.test.js';

/** Alive and not a zombie. */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

const SLEEPY = `
  const { spawn } = require('node:child_process');
  exports.handler = async (event) => {
    if (event.child) {
      const c = spawn('sleep', ['600'], { stdio: 'ignore' });
      return { pid: process.pid, child: c.pid };
    }
    await new Promise((r) => setTimeout(r, event.ms || 0));
    return process.pid;
  };`;

describe('instance pool', () => {
  let h: Harness;
  before(() => {
    h = harness();
  });
  after(() => h.close());

  it('runs concurrent invocations in separate instances, counts them, and reuses them warm', async () => {
    const spec = h.spec({ runtime: 'nodejs20.x', handler: 'index.handler', codeDir: h.code({ 'index.js': SLEEPY }) });
    const running = [1, 2, 3].map(() => h.invoke(spec, { ms: 400 }));
    await eventually(() => h.runtime.busy(spec.functionName) === 3);
    assert.equal(h.runtime.busy(), 3);
    assert.equal(h.runtime.busy('another-function'), 0);
    assert.equal(h.runtime.busy(spec.functionName, '111122223333', 'eu-west-1'), 3);
    const pids = (await Promise.all(running)).map((o) => o.json);
    assert.equal(new Set(pids).size, 3, 'three instances');
    assert.equal(h.runtime.busy(spec.functionName), 0);
    assert.equal(h.runtime.instances().filter((i) => i.key === spec.key && i.phase === 'idle').length, 3);
    const again = await h.invoke(spec, {});
    assert.ok(pids.includes(again.json), 'a warm instance served it');
    assert.equal(again.initDurationMs, undefined);
  });

  it('retire(): idle instances stop now, a busy one after its invocation', async () => {
    const spec = h.spec({ runtime: 'nodejs20.x', handler: 'index.handler', codeDir: h.code({ 'index.js': SLEEPY }) });
    const [a, b] = await Promise.all([h.invoke(spec, { ms: 200 }), h.invoke(spec, { ms: 200 })]);
    const busy = h.invoke(spec, { ms: 300 });
    await eventually(() => h.runtime.busy(spec.functionName) === 1);
    const busyPid = h.runtime.instances().find((i) => i.key === spec.key && i.phase === 'busy')!.pid!;
    const idlePid = [a!.json, b!.json].find((p) => p !== busyPid);
    h.runtime.retire(spec.key);
    await eventually(() => !alive(idlePid));
    assert.ok(alive(busyPid), 'the busy instance finishes first');
    const done = await busy;
    assert.equal(done.functionError, undefined);
    assert.equal(done.json, busyPid);
    await eventually(() => !alive(busyPid));
    const fresh = await h.invoke(spec, {});
    assert.ok(![a!.json, b!.json].includes(fresh.json));
    assert.ok(fresh.initDurationMs !== undefined);
  });

  it('stops instances idle for longer than idleTimeoutMs, and keeps at most maxIdleInstances', async () => {
    const short = harness({ idleTimeoutMs: 300, maxIdleInstances: 1 });
    try {
      const codeDir = short.code({ 'index.js': SLEEPY });
      const one = await short.invoke(short.spec({ runtime: 'nodejs20.x', handler: 'index.handler', codeDir }), {});
      const two = await short.invoke(short.spec({ runtime: 'nodejs20.x', handler: 'index.handler', codeDir }), {});
      await eventually(() => !alive(one.json));
      assert.ok(alive(two.json), 'the most recently used one stays');
      await eventually(() => !alive(two.json) && short.runtime.instances().length === 0, 3000);
    } finally {
      await short.close();
    }
  });

  it('maxInstances: an idle instance makes room, else the invocation is throttled', async () => {
    const small = harness({ maxInstances: 1 });
    try {
      const codeDir = small.code({ 'index.js': SLEEPY });
      const a = await small.invoke(small.spec({ runtime: 'nodejs20.x', handler: 'index.handler', codeDir }), {});
      const b = small.spec({ runtime: 'nodejs20.x', handler: 'index.handler', codeDir });
      const slow = small.invoke(b, { ms: 500 });
      await eventually(() => !alive(a.json), 3000);
      await assert.rejects(small.invoke(b, {}), (e) => isServiceError(e) && e.code === 'TooManyRequestsException' && e.status === 429);
      assert.equal(typeof (await slow).json, 'number');
    } finally {
      await small.close();
    }
  });

  it('stop(): fails what is running, kills the handlers\' own children, refuses new work', async () => {
    const own = harness();
    const codeDir = own.code({ 'index.js': SLEEPY });
    const spec = own.spec({ runtime: 'nodejs20.x', handler: 'index.handler', codeDir });
    const { pid, child } = (await own.invoke(spec, { child: true })).json;
    assert.ok(alive(child));
    const running = own.invoke(own.spec({ runtime: 'nodejs20.x', handler: 'index.handler', codeDir }), { ms: 5000 });
    await eventually(() => own.runtime.busy() === 1);
    await own.close();
    const failed = await running;
    assert.equal(failed.errorType, 'Runtime.ExitError');
    assert.match(failed.json.errorMessage, /Runtime exited with error: signal: killed$/);
    await eventually(() => !alive(pid) && !alive(child));
    await assert.rejects(own.runtime.invoke(spec, { requestId: 'late', payload: Buffer.from('{}'), invokedFunctionArn: 'arn' }), (e) => isServiceError(e) && e.code === 'ServiceException');
  });

  it('leaves no process behind when Signalbox itself is killed', { timeout: 60_000 }, async () => {
    const script = join(h.root, 'signalbox-stand-in.mts');
    const runtimeModule = fileURLToPath(new URL('./index.js', import.meta.url)).replace(/\.js$/, '.ts');
    const logModule = fileURLToPath(new URL('../../../core/log.js', import.meta.url)).replace(/\.js$/, '.ts');
    const codeDir = h.code({ 'index.js': SLEEPY });
    writeFileSync(
      script,
      `import { FunctionRuntime } from ${JSON.stringify(runtimeModule)};
       import { createLogger } from ${JSON.stringify(logModule)};
       const runtime = new FunctionRuntime({ scratchDir: ${JSON.stringify(join(h.root, 'stand-in'))}, access: () => ({ endpointUrl: 'http://127.0.0.1:1', accessKeyId: 'a', secretAccessKey: 'b' }), onLog: () => {}, log: createLogger('warn') });
       const spec = { key: 'k', accountId: '1', region: 'r', functionName: 'f', version: '$LATEST', runtime: 'nodejs20.x', handler: 'index.handler', codeDir: ${JSON.stringify(codeDir)}, layerDirs: [], environment: {}, timeoutSeconds: 60, memorySizeMb: 128, logGroupName: 'g' };
       const out = await runtime.invoke(spec, { requestId: 'r1', payload: Buffer.from('{"child":true}'), invokedFunctionArn: 'arn' });
       void runtime.invoke(spec, { requestId: 'r2', payload: Buffer.from('{"ms":60000}'), invokedFunctionArn: 'arn' });
       setTimeout(() => console.log(out.payload.toString()), 300);
       setInterval(() => {}, 1000);`,
    );
    const standIn = spawn(process.execPath, ['--import', 'tsx', script], { cwd: fileURLToPath(new URL('../../../../', import.meta.url)), stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    standIn.stdout!.on('data', (d) => (out += d));
    await eventually(() => out.includes('}'), 30_000);
    const { pid, child } = JSON.parse(out) as { pid: number; child: number };
    assert.ok(alive(pid) && alive(child));
    standIn.kill('SIGKILL');
    await eventually(() => !alive(pid) && !alive(child), 5000);
    await sleep(50);
  });
});
