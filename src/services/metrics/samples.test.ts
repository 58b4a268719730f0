/**
 * The ingest log's rows: a batch prepared off the main thread reads back datum for datum, and a
 * row an earlier version wrote (one series id per datum) is still read after an upgrade.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Writer } from './stats/codec.js';
import { forEachDatum, logRow, prepareBatch, readLogRow, type Datum, type Sample } from './samples.js';

function readBack(row: Buffer): unknown[] {
  const { seriesIds, datums } = readLogRow(row);
  const out: unknown[] = [];
  forEachDatum(datums, (ref, ts, highRes, unit, sample) => out.push([seriesIds[ref], ts, highRes, unit, structuredClone(sample)]));
  return out;
}

const samples: Sample[] = [
  { kind: 'value', value: 1.5 },
  { kind: 'values', values: [1, 2, 3] },
  { kind: 'values', values: [4, 5], counts: [2, 0.5] },
  { kind: 'set', set: { SampleCount: 3, Sum: 6, Minimum: 1, Maximum: 3 } },
];

test('a prepared batch names each distinct series once and reads back datum for datum', () => {
  const data: Datum[] = samples.map((sample, i) => ({
    metricName: i % 2 ? 'b' : 'a',
    dimensions: [{ Name: 'host', Value: 'h1' }],
    ts: 1_700_000_000 + i,
    highRes: i === 0,
    unit: i === 1 ? 'Count' : undefined,
    sample,
  }));
  const batch = prepareBatch(data);
  assert.deepEqual(batch.series, ['a\u0000host\u0001h1', 'b\u0000host\u0001h1']);
  assert.deepEqual(readBack(logRow([41, 42], batch.datums)), [
    [41, 1_700_000_000, true, undefined, samples[0]],
    [42, 1_700_000_001, false, 'Count', samples[1]],
    [41, 1_700_000_002, false, undefined, samples[2]],
    [42, 1_700_000_003, false, undefined, samples[3]],
  ]);
});

test('a row in the earlier format (series id per datum) is read the same way', () => {
  // the earlier writer: count, then per datum id, second, flags, unit code, numbers
  const w = new Writer();
  w.varuint(3);
  const old: Array<[number, number, number, number, number[]]> = [
    [7, 100, 0b001, 15, [2.5]], // value, high-res, Count
    [9, 101, 0b100, 0, [3, 1, 2, 3, 4, 5, 6]], // values + counts (3 of each)
    [7, 102, 0b110, 0, [2, 6, 1, 5]], // statistic set
  ];
  for (const [id, ts, flags, unit, nums] of old) {
    w.varuint(id);
    w.varuint(ts);
    w.u8(flags);
    w.u8(unit);
    if (flags >> 1 === 2) {
      w.varuint(nums[0]);
      for (const n of nums.slice(1)) w.f64(n);
    } else for (const n of nums) w.f64(n);
  }
  assert.deepEqual(readBack(w.finish()), [
    [7, 100, true, 'Count', { kind: 'value', value: 2.5 }],
    [9, 101, false, undefined, { kind: 'values', values: [1, 2, 3], counts: [4, 5, 6] }],
    [7, 102, false, undefined, { kind: 'set', set: { SampleCount: 2, Sum: 6, Minimum: 1, Maximum: 5 } }],
  ]);
});

test('a truncated row is refused, not read as plausible numbers', () => {
  const batch = prepareBatch([{ metricName: 'a', dimensions: [], ts: 1, highRes: false, unit: undefined, sample: samples[3] }]);
  const row = logRow([1], batch.datums);
  assert.throws(() => readBack(row.subarray(0, row.length - 3)), RangeError);
});
