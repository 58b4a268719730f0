/**
 * The metric store's reads while a flush moves aggregates from memory into cw_points: every
 * datapoint counted exactly once, whichever moment of the flush a read falls in. The SQLite
 * store answers a transaction only after its fsync, well after COMMIT; a store that waits
 * longer makes that window wide enough to read in.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from '../../core/log.js';
import { openSqliteStore } from '../../store/open.js';
import type { Queryable, Store } from '../../store/store.js';
import { MetricStore } from './metric-store.js';
import { prepareBatch, type Datum } from './samples.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SCOPE = { accountId: '000000000000', region: 'us-east-1' };

/** The real store, whose transactions answer `lagMs` after they committed (a slow disk sync). */
function slowSync(inner: Store, lagMs: number): Store {
  return {
    engine: inner.engine,
    one: (sql, params) => inner.one(sql, params),
    all: (sql, params) => inner.all(sql, params),
    run: (sql, params) => inner.run(sql, params),
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const out = await inner.transaction(fn);
      await sleep(lagMs);
      return out;
    },
    schemaVersion: () => inner.schemaVersion(),
    close: () => inner.close(),
  };
}

test('reads during a flush, before and after its commit, count each datapoint once', async () => {
  const db = await openSqliteStore(':memory:');
  const metrics = new MetricStore(slowSync(db, 100), createLogger('silent'), () => Date.now());
  try {
    await metrics.load();
    const ts = Math.floor(Date.now() / 60_000) * 60 - 600;
    const datum = (v: number): Datum => ({ metricName: 'm', dimensions: [], ts, highRes: false, unit: 'Count', sample: { kind: 'value', value: v } });
    await metrics.ingest(SCOPE, 'N', prepareBatch([datum(1), datum(2)]));
    const series = metrics.find(SCOPE, 'N', 'm', [])!;
    const read = async () => {
      const b = await metrics.buckets(series.id, 60, ts - 60, ts + 60);
      return b.map((x) => [x.ts, x.agg.sampleCount, x.agg.sum]);
    };
    assert.deepEqual(await read(), [[ts, 2, 3]]);

    const flushed = metrics.flush();
    // a read that starts with the flush, and one well inside the wait after its COMMIT
    const during = read();
    await sleep(40);
    const afterCommit = read();
    // a put while the flush is waiting lands in the next layer
    await metrics.ingest(SCOPE, 'N', prepareBatch([datum(4)]));
    const withNewPut = read();
    await flushed;
    assert.deepEqual(await during, [[ts, 2, 3]]);
    assert.deepEqual(await afterCommit, [[ts, 2, 3]]);
    assert.deepEqual(await withNewPut, [[ts, 3, 7]]);
    assert.deepEqual(await read(), [[ts, 3, 7]]);
    await metrics.flush();
    assert.deepEqual(await read(), [[ts, 3, 7]]);
  } finally {
    await metrics.stop();
    await db.close();
  }
});
