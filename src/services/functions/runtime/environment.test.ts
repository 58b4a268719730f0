/**
 * The pieces that need no process: the environment a function gets, where layers go on the
 * search paths, and the platform's log lines.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { functionEnvironment, RESERVED_ENVIRONMENT_KEYS } from './environment.js';
import { nodeLayerModules, pythonLayerPaths } from './layer-paths.js';
import { billedDuration, exitMessage, reportLine } from './platform-lines.js';
import type { FunctionSpec } from './types.js';

const spec: FunctionSpec = {
  key: 'k', accountId: '1', region: 'ap-south-2', functionName: 'orders', version: '7', runtime: 'nodejs20.x',
  handler: 'index.handler', codeDir: '/srv/code', layerDirs: [], timeoutSeconds: 3, memorySizeMb: 128, logGroupName: '/aws/lambda/orders',
  environment: { TZ: 'Europe/Paris', AWS_SECRET_ACCESS_KEY: 'stolen', NODE_PATH: '/mine', PATH: '/custom/bin', AWS_ENDPOINT_URL: 'http://elsewhere', GREETING: 'hi' },
};

describe('function environment', () => {
  const env = functionEnvironment({
    spec, access: { endpointUrl: 'http://127.0.0.1:4566', accessKeyId: 'AKID', secretAccessKey: 'S' },
    logStreamName: '2024/01/01/[7]abc', runtimeApi: '127.0.0.1:9001', runtimeDir: '/rt', executionEnv: 'AWS_Lambda_nodejs20.x',
    runtimeBinDir: '/opt/node/bin', layerBinDirs: ['/l2/bin'], layerLibDirs: ['/l2/lib'], tmpDir: '/tmp', runtimeDefaults: { NODE_PATH: '/layers:/sdk' },
  });

  it('keeps the reserved variables whatever the function sets', () => {
    assert.equal(env.TZ, ':UTC');
    assert.equal(env.AWS_SECRET_ACCESS_KEY, 'S');
    assert.equal(env.AWS_REGION, 'ap-south-2');
    assert.equal(env.AWS_LAMBDA_FUNCTION_VERSION, '7');
    assert.equal(env.AWS_LAMBDA_RUNTIME_API, '127.0.0.1:9001');
    assert.equal(env.AWS_SESSION_TOKEN, undefined, 'no token, no variable');
    for (const key of ['_HANDLER', 'AWS_LAMBDA_LOG_STREAM_NAME', 'LAMBDA_TASK_ROOT', 'AWS_EXECUTION_ENV']) {
      assert.ok(RESERVED_ENVIRONMENT_KEYS.has(key) && env[key], key);
    }
  });

  it("lets the function's own values replace the unreserved ones", () => {
    assert.equal(env.NODE_PATH, '/mine');
    assert.equal(env.PATH, '/custom/bin');
    assert.equal(env.AWS_ENDPOINT_URL, 'http://elsewhere');
    assert.equal(env.GREETING, 'hi');
    assert.equal(env.LD_LIBRARY_PATH, '/srv/code:/srv/code/lib:/l2/lib');
    assert.equal(env.LANG, 'en_US.UTF-8');
  });

  it("never carries Signalbox's own environment", () => {
    assert.equal(env.HOME, undefined);
    assert.equal(env.NODE_OPTIONS, undefined);
    assert.ok(!Object.keys(env).some((k) => k.startsWith('SIGNALBOX')));
  });
});

describe('layer search paths', () => {
  it('puts later layers first, version folders before plain ones, and only existing folders', () => {
    const root = mkdtempSync(join(tmpdir(), 'sbx-layers-'));
    try {
      const [a, b] = [join(root, 'a'), join(root, 'b')];
      for (const p of [`${a}/nodejs/node_modules`, `${b}/nodejs/node_modules`, `${a}/nodejs/node20/node_modules`, `${b}/python`, `${a}/python/lib/python3.12/site-packages`]) {
        mkdirSync(p, { recursive: true });
      }
      assert.deepEqual(nodeLayerModules([a, b], '20'), [`${a}/nodejs/node20/node_modules`, `${b}/nodejs/node_modules`, `${a}/nodejs/node_modules`]);
      assert.deepEqual(pythonLayerPaths([a, b], ['3.12']), [`${a}/python/lib/python3.12/site-packages`, `${b}/python`, `${a}/python`]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('platform lines', () => {
  it('formats REPORT with tabs, init, status and error type', () => {
    assert.equal(
      reportLine({ requestId: 'r', durationMs: 1.234, billedDurationMs: 152, memorySizeMb: 128, maxMemoryUsedMb: 40, initDurationMs: 150 }),
      'REPORT RequestId: r\tDuration: 1.23 ms\tBilled Duration: 152 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\tInit Duration: 150.00 ms\t',
    );
    assert.equal(
      reportLine({ requestId: 'r', durationMs: 3000.5, billedDurationMs: 3001, memorySizeMb: 128, maxMemoryUsedMb: 128, status: 'error', errorType: 'Runtime.ExitError' }),
      'REPORT RequestId: r\tDuration: 3000.50 ms\tBilled Duration: 3001 ms\tMemory Size: 128 MB\tMax Memory Used: 128 MB\tStatus: error\tError Type: Runtime.ExitError\t',
    );
    assert.equal(billedDuration(0.2), 1);
    assert.equal(billedDuration(1.23, 150), 152);
  });

  it('words exits as Lambda does', () => {
    assert.equal(exitMessage('r', 1, null), 'RequestId: r Error: Runtime exited with error: exit status 1');
    assert.equal(exitMessage('r', null, 'SIGKILL'), 'RequestId: r Error: Runtime exited with error: signal: killed');
    assert.equal(exitMessage('r', 0, null), 'RequestId: r Error: Runtime exited without providing a reason');
  });
});
