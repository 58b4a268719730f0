/**
 * docs/compatibility.md stays honest: every operation that has a handler is listed there as
 * supported or partial, under its own name.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ManualClock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/log.js';
import { SecretBox } from '../../src/core/secrets.js';
import { loadConfig } from '../../src/config/load.js';
import { createDeliveryEngine } from '../../src/core/deliveries/index.js';
import { Targets } from '../../src/core/targets/index.js';
import { createServices } from '../../src/services/index.js';
import { openSqliteStore } from '../../src/store/open.js';
import { ROOT } from '../helpers/server.js';
import { MetricsHub } from '../../src/core/metrics/index.js';
import { LogsHub } from '../../src/core/logs/index.js';

test('every implemented operation appears in docs/compatibility.md as supported or partial', async () => {
  const doc = readFileSync(join(ROOT, 'docs', 'compatibility.md'), 'utf8');
  const store = await openSqliteStore(':memory:');
  const clock = new ManualClock();
  const log = createLogger('silent');
  const targets = new Targets();
  const services = createServices({
    config: loadConfig({ dataDir: mkdtempSync(join(tmpdir(), 'sbx-compat-')) }, {}),
    store,
    secrets: SecretBox.fromKey(Buffer.alloc(32, 1)),
    clock,
    log,
    deliveries: createDeliveryEngine({ store, clock, log, targets }),
    targets,
    metrics: new MetricsHub(), logs: new LogsHub(),
  });
  const missing: string[] = [];
  for (const s of services) {
    for (const op of Object.keys(s.handlers)) {
      const row = doc.split('\n').find((l) => l.startsWith('|') && new RegExp(`\\b${op}\\b`).test(l.split('|')[1] ?? ''));
      if (!row || !/\|\s*(supported|partial)\s*\|/.test(row)) missing.push(`${s.name}:${op}`);
    }
  }
  await store.close();
  assert.deepEqual(missing, []);
});
