/**
 * @module services/metrics/samples
 * What one datum of a put carries — a Value, Values with Counts, or a statistic set — kept as
 * given until it is folded into an aggregate. Building an aggregate (with its distribution) per
 * datum only to merge it away again was most of the ingest's garbage; folding the raw numbers
 * into the period's aggregate allocates nothing for a datum that joins an existing period.
 *
 * Also the ingest log's binary form of a batch (cw_ingest.batch): per datum the series id, the
 * second, flags, the unit and the numbers, so a put costs one compact row and no aggregate
 * encoding.
 */
import { STANDARD_UNIT_LIST } from './model.js';
import { aggregateOfStatisticSet, aggregateOfValue, aggregateOfValues, mergeInto, type Aggregate, type StatisticSet } from './stats/aggregate.js';
import { Reader, Writer } from './stats/codec.js';

export type Sample =
  | { kind: 'value'; value: number }
  | { kind: 'values'; values: number[]; counts?: number[] }
  | { kind: 'set'; set: StatisticSet };

/** Folds `s` into `agg` (in place); answers the aggregate (a new one when `agg` is undefined). */
export function addSample(agg: Aggregate | undefined, s: Sample): Aggregate {
  if (s.kind === 'value') {
    if (!agg) return aggregateOfValue(s.value);
    const v = s.value;
    if (agg.sampleCount === 0) {
      agg.min = v;
      agg.max = v;
    } else {
      if (v < agg.min) agg.min = v;
      if (v > agg.max) agg.max = v;
    }
    agg.sampleCount += 1;
    agg.sum += v;
    agg.dist?.add(v, 1);
    return agg;
  }
  if (s.kind === 'values' && agg && agg.dist && agg.sampleCount > 0) {
    // straight into the period's distribution: no aggregate built only to be merged away
    const { values, counts } = s;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      const c = counts ? counts[i] : 1;
      if (c === 0) continue;
      agg.sampleCount += c;
      agg.sum += v * c;
      if (v < agg.min) agg.min = v;
      if (v > agg.max) agg.max = v;
      agg.dist.add(v, c);
    }
    return agg;
  }
  const a = s.kind === 'values' ? aggregateOfValues(s.values, s.counts) : aggregateOfStatisticSet(s.set);
  if (!agg) return a;
  mergeInto(agg, a);
  return agg;
}

/** What one datum carried (its series is given beside it: `seriesIds[i]` for `data[i]`). */
export interface LoggedDatum {
  /** epoch s */
  ts: number;
  highRes: boolean;
  unit: string | undefined;
  sample: Sample;
}

export interface LoggedBatch {
  seriesIds: number[];
  data: LoggedDatum[];
}

const HIGH_RES = 1;
const KIND_SHIFT = 1; // 2 bits: 0 value, 1 values, 2 values + counts, 3 statistic set
const UNIT_CODE = new Map(STANDARD_UNIT_LIST.map((u, i) => [u, i + 1]));

export function encodeBatch(seriesIds: readonly number[], data: readonly LoggedDatum[]): Buffer {
  const w = new Writer();
  w.varuint(data.length);
  for (let i = 0; i < data.length; i++) {
    const d = data[i];
    const s = d.sample;
    const kind = s.kind === 'value' ? 0 : s.kind === 'set' ? 3 : s.counts ? 2 : 1;
    w.varuint(seriesIds[i]);
    w.varuint(d.ts);
    w.u8((d.highRes ? HIGH_RES : 0) | (kind << KIND_SHIFT));
    w.u8(d.unit === undefined ? 0 : (UNIT_CODE.get(d.unit) ?? 0));
    if (s.kind === 'value') w.f64(s.value);
    else if (s.kind === 'set') {
      w.f64(s.set.SampleCount);
      w.f64(s.set.Sum);
      w.f64(s.set.Minimum);
      w.f64(s.set.Maximum);
    } else {
      w.varuint(s.values.length);
      for (const v of s.values) w.f64(v);
      if (s.counts) for (const c of s.counts) w.f64(c);
    }
  }
  return w.finish();
}

export function decodeBatch(buf: Buffer): LoggedBatch {
  const r = new Reader(buf);
  const n = r.varuint();
  const out: LoggedBatch = { seriesIds: [], data: [] };
  for (let i = 0; i < n; i++) {
    const seriesId = r.varuint();
    const ts = r.varuint();
    const flags = r.u8();
    const unitCode = r.u8();
    const kind = (flags >> KIND_SHIFT) & 3;
    let sample: Sample;
    if (kind === 0) sample = { kind: 'value', value: r.f64() };
    else if (kind === 3) sample = { kind: 'set', set: { SampleCount: r.f64(), Sum: r.f64(), Minimum: r.f64(), Maximum: r.f64() } };
    else {
      const len = r.varuint();
      const values = Array.from({ length: len }, () => r.f64());
      sample = kind === 2 ? { kind: 'values', values, counts: Array.from({ length: len }, () => r.f64()) } : { kind: 'values', values };
    }
    out.seriesIds.push(seriesId);
    out.data.push({ ts, highRes: (flags & HIGH_RES) !== 0, unit: unitCode === 0 ? undefined : STANDARD_UNIT_LIST[unitCode - 1], sample });
  }
  r.end();
  return out;
}
