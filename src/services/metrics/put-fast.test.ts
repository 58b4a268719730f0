/**
 * The plain-put walk against the generic route (JSON codec, then validation, then the batch), on
 * generated documents: every plainly valid one is taken by the walk with exactly the generic
 * batch, and every document the generic route refuses is left to it (the walk answers
 * undefined), so its AWS error is unchanged.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getCodec } from '../../protocols/index.js';
import { loadCloudWatchModel } from '../cloudwatch/wire.js';
import { preparePut, type PreparedPut } from './put.js';
import { preparePlainPut } from './put-fast.js';

const model = loadCloudWatchModel();
const op = model.operations.PutMetricData;
const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);

/** xorshift32: the same documents on every run */
function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

type Doc = Record<string, unknown>;

function validDatum(r: () => number): Doc {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const d: Doc = { MetricName: pick(['Latency', 'Errors', 'p', 'x'.repeat(255), 'naïve ✓']) };
  const dimCount = pick([0, 0, 1, 1, 2, 3, 30]);
  if (dimCount > 0 || r() < 0.2) {
    const names = Array.from({ length: dimCount }, (_, i) => `d${(i * 7919) % 97}`);
    if (r() < 0.5) names.reverse();
    d.Dimensions = names.map((Name) => ({ Name, Value: pick(['a', 'host-001', 'v'.repeat(1024), 'ü']) }));
  }
  if (r() < 0.7) d.Timestamp = (NOW - Math.floor(r() * 13 * 86400_000)) / 1000 + pick([0, 0.0004, 0.9996, 0.5]);
  const kind = pick(['value', 'value', 'values', 'counts', 'set']);
  if (kind === 'value') d.Value = pick([0, -1.5, 1e100, -(2 ** 360), 42]);
  else if (kind === 'values' || kind === 'counts') {
    const n = pick([1, 5, 150]);
    d.Values = Array.from({ length: n }, (_, i) => i * 1.25 - 3);
    if (kind === 'counts') d.Counts = Array.from({ length: n }, (_, i) => (i % 3) * 0.5);
  } else d.StatisticValues = { SampleCount: pick([1, 3.5]), Sum: 10, Minimum: -2, Maximum: pick([-2, 7]) };
  if (r() < 0.5) d.Unit = pick(['Count', 'Milliseconds', 'Bytes/Second', 'None']);
  if (r() < 0.3) d.StorageResolution = pick([1, 60]);
  return d;
}

/** One change that may make a datum invalid, unusual or still valid. */
const BREAKS: Array<(d: Doc) => void> = [
  (d) => (d.MetricName = ''),
  (d) => (d.MetricName = 'x'.repeat(256)),
  (d) => (d.MetricName = 'tab\there'),
  (d) => (d.MetricName = 42),
  (d) => (d.MetricName = null),
  (d) => (d.Dimensions = [{ Name: 'a', Value: '1' }, { Name: 'a', Value: '2' }]),
  (d) => (d.Dimensions = [{ Name: 'b', Value: '1' }, { Name: 'c', Value: '1' }, { Name: 'b', Value: '2' }]),
  (d) => (d.Dimensions = [{ Name: 'a' }]),
  (d) => (d.Dimensions = [{ Name: 'a', Value: '' }]),
  (d) => (d.Dimensions = [{ Name: 'a', Value: 'v', Extra: 1 }]),
  (d) => (d.Dimensions = Array.from({ length: 31 }, (_, i) => ({ Name: `n${i}`, Value: 'v' }))),
  (d) => (d.Dimensions = {}),
  (d) => (d.Dimensions = [null]),
  (d) => (d.Timestamp = (NOW - 15 * 86400_000) / 1000),
  (d) => (d.Timestamp = (NOW + 3 * 3600_000) / 1000),
  (d) => (d.Timestamp = '2026-11-22T11:00:00Z'),
  (d) => (d.Timestamp = null),
  (d) => (d.Value = 'NaN'),
  (d) => (d.Value = 2 ** 361),
  (d) => (d.Value = 1),
  (d) => (d.Values = []),
  (d) => (d.Values = Array.from({ length: 151 }, () => 1)),
  (d) => ((d.Values = [1, 2]), (d.Counts = [1])),
  (d) => ((d.Values = [1, 2]), (d.Counts = [1, -1])),
  (d) => ((d.Values = [1, 2]), (d.Counts = [])),
  (d) => (d.Counts = [1]),
  (d) => (d.StatisticValues = { SampleCount: 0, Sum: 1, Minimum: 1, Maximum: 1 }),
  (d) => (d.StatisticValues = { SampleCount: 1, Sum: 1, Minimum: 2, Maximum: 1 }),
  (d) => (d.StatisticValues = { SampleCount: 1, Sum: 1, Minimum: 1 }),
  (d) => (d.StatisticValues = { SampleCount: 1, Sum: 1, Minimum: 1, Maximum: 1, Extra: 2 }),
  (d) => (d.Unit = 'Parsecs'),
  (d) => (d.Unit = null),
  (d) => (d.StorageResolution = 5),
  (d) => (d.StorageResolution = '1'),
  (d) => (d.Unknown = true),
  (d) => {
    delete d.Value;
    delete d.Values;
    delete d.Counts;
    delete d.StatisticValues;
  },
];

function generic(doc: Doc): PreparedPut | Error {
  const body = Buffer.from(JSON.stringify(doc));
  try {
    const input = getCodec('json').parse({ method: 'POST', path: '/', rawQuery: '', headers: {}, body }, op, { requestId: 'r', service: model });
    return preparePut(input, NOW);
  } catch (e) {
    return e as Error;
  }
}

function fast(doc: Doc): PreparedPut | undefined {
  return preparePlainPut(JSON.parse(JSON.stringify(doc)), NOW);
}

function same(a: PreparedPut, b: PreparedPut): void {
  assert.equal(a.namespace, b.namespace);
  assert.deepEqual(a.batch.series, b.batch.series);
  assert.deepEqual(Buffer.from(a.batch.datums), Buffer.from(b.batch.datums));
}

test('every plainly valid put is taken by the walk, with exactly the generic batch', () => {
  const r = rng(0x5eed);
  for (let call = 0; call < 300; call++) {
    const doc = { Namespace: call % 2 ? 'App/Web' : 'AWS/Custom', MetricData: Array.from({ length: 1 + Math.floor(r() * 40) }, () => validDatum(r)) };
    const g = generic(doc);
    assert.ok(!(g instanceof Error), `the generator made an invalid put: ${String(g)}`);
    const f = fast(doc);
    assert.ok(f, `the walk refused a plainly valid put: ${JSON.stringify(doc).slice(0, 300)}`);
    same(f, g);
  }
});

test('a put the generic route refuses is always left to it, and what the walk takes matches', () => {
  const r = rng(0xbad);
  let refused = 0;
  let taken = 0;
  for (let call = 0; call < 2000; call++) {
    const data = Array.from({ length: 1 + Math.floor(r() * 5) }, () => validDatum(r));
    BREAKS[call % BREAKS.length](data[Math.floor(r() * data.length)]);
    const doc = { Namespace: 'App/Web', MetricData: data };
    const g = generic(doc);
    const f = fast(doc);
    if (g instanceof Error) {
      refused++;
      assert.equal(f, undefined, `the walk took a put AWS refuses (${g.message}): ${JSON.stringify(doc).slice(0, 300)}`);
    } else if (f) {
      taken++;
      same(f, g);
    }
  }
  assert.ok(refused > 1000, `most changes break the put (${refused})`);
  assert.ok(taken > 0, 'some changes leave a put the walk still takes');
});

test('whole-call problems are left to the generic route', () => {
  const datum = { MetricName: 'm', Value: 1 };
  for (const doc of [
    { Namespace: 'N', MetricData: [] },
    { Namespace: 'N', MetricData: Array.from({ length: 1001 }, () => datum) },
    { Namespace: ':N', MetricData: [datum] },
    { Namespace: '', MetricData: [datum] },
    { MetricData: [datum] },
    { Namespace: 'N', MetricData: [datum], StrictEntityValidation: false },
    { Namespace: 'N', MetricData: datum },
    [datum],
  ]) {
    assert.equal(preparePlainPut(doc, NOW), undefined, JSON.stringify(doc).slice(0, 80));
  }
});
