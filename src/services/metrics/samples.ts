/**
 * @module services/metrics/samples
 * What one datum of a put carries — a Value, Values with Counts, or a statistic set — kept as
 * given until it is folded into an aggregate. Building an aggregate (with its distribution) per
 * datum only to merge it away again was most of the ingest's garbage; folding the raw numbers
 * into the period's aggregate allocates nothing for a datum that joins an existing period.
 *
 * Also the ingest log's binary form of a batch (cw_ingest.batch): the series ids, then per datum
 * its series, the second, flags, the unit and the numbers, so a put costs one compact row and no
 * aggregate encoding.
 */
import { seriesSuffix, type Dimension } from '../../core/metrics/index.js';
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

/** What one datum of a put carries once validated. */
export interface Datum {
  metricName: string;
  /** sorted by name */
  dimensions: Dimension[];
  /** epoch s */
  ts: number;
  highRes: boolean;
  unit: string | undefined;
  sample: Sample;
}

/**
 * A put ready for the ingest log, built where it is decoded (on a worker thread for large
 * bodies): the distinct series it touches, named by `seriesSuffix`, and its datums' bytes, each
 * naming its series by index into `series`. Only the series ids are left to the main thread.
 */
export interface PreparedBatch {
  series: string[];
  /** varuint count; per datum: varuint series index, varuint second, u8 flags, u8 unit, numbers */
  datums: Uint8Array;
}

export const HIGH_RES = 1;
export const KIND_SHIFT = 1; // 2 bits: 0 value, 1 values, 2 values + counts, 3 statistic set
const UNIT_CODE = new Map(STANDARD_UNIT_LIST.map((u, i) => [u, i + 1]));
/** the first byte of a log row in this format; an older row starts with its datum count (>= 1) */
const FORMAT_INDEXED = 0;

export function prepareBatch(data: readonly Datum[]): PreparedBatch {
  const index = new Map<string, number>();
  const w = new Writer();
  w.varuint(data.length);
  for (const d of data) {
    const suffix = seriesSuffix(d.metricName, d.dimensions);
    let at = index.get(suffix);
    if (at === undefined) index.set(suffix, (at = index.size));
    writeDatum(w, at, d);
  }
  return { series: [...index.keys()], datums: w.finish() };
}

function writeDatum(w: Writer, seriesRef: number, d: Omit<Datum, 'metricName' | 'dimensions'>): void {
  const s = d.sample;
  const kind = s.kind === 'value' ? 0 : s.kind === 'set' ? 3 : s.counts ? 2 : 1;
  w.varuint(seriesRef);
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

/** One cw_ingest row: the series ids of a prepared batch, then its datums as they are. */
export function logRow(seriesIds: readonly number[], datums: Uint8Array): Buffer {
  const w = new Writer();
  w.u8(FORMAT_INDEXED);
  w.varuint(seriesIds.length);
  for (const id of seriesIds) w.varuint(id);
  return Buffer.concat([w.finish(), datums]);
}

/** A cw_ingest row read back: series ids and datum bytes for `forEachDatum`. */
export function readLogRow(row: Buffer): { seriesIds: number[]; datums: Buffer } {
  if (row[0] !== FORMAT_INDEXED) return upgradeRow(row);
  const r = new Reader(row);
  r.u8();
  const seriesIds = Array.from({ length: r.varuint() }, () => r.varuint());
  return { seriesIds, datums: r.rest() };
}

/**
 * Calls `fn` with each datum of a batch: the index of its series, and what it carried. A single
 * Value (most datums) arrives in one reused object: `fn` must not keep it. This runs on the main
 * thread for every datum ingested, so it reads the bytes inline rather than through `Reader`.
 */
export function forEachDatum(datums: Uint8Array, fn: (seriesRef: number, ts: number, highRes: boolean, unit: string | undefined, sample: Sample) => void): void {
  const buf = Buffer.isBuffer(datums) ? datums : Buffer.from(datums.buffer, datums.byteOffset, datums.byteLength);
  const len = buf.length;
  let pos = 0;
  const varuint = (): number => {
    const b = buf[pos++];
    if (b < 0x80) return b;
    let result = b & 0x7f;
    let scale = 0x80;
    for (let i = 1; i < 8; i++) {
      const next = buf[pos++];
      result += (next & 0x7f) * scale;
      if (next < 0x80) return result;
      scale *= 0x80;
    }
    throw new RangeError('malformed varint in an ingest batch');
  };
  const f64 = (): number => {
    const x = buf.readDoubleLE(pos);
    pos += 8;
    return x;
  };
  const single: Sample & { kind: 'value' } = { kind: 'value', value: 0 };
  const n = varuint();
  for (let i = 0; i < n; i++) {
    const ref = varuint();
    const ts = varuint();
    const flags = buf[pos++];
    const unitCode = buf[pos++];
    const kind = (flags >> KIND_SHIFT) & 3;
    let sample: Sample;
    if (kind === 0) {
      single.value = f64();
      sample = single;
    } else if (kind === 3) sample = { kind: 'set', set: { SampleCount: f64(), Sum: f64(), Minimum: f64(), Maximum: f64() } };
    else {
      const count = varuint();
      const values = new Array<number>(count);
      for (let k = 0; k < count; k++) values[k] = f64();
      if (kind === 2) {
        const counts = new Array<number>(count);
        for (let k = 0; k < count; k++) counts[k] = f64();
        sample = { kind: 'values', values, counts };
      } else sample = { kind: 'values', values };
    }
    if (pos > len) throw new RangeError('truncated ingest batch');
    fn(ref, ts, (flags & HIGH_RES) !== 0, unitCode === 0 ? undefined : STANDARD_UNIT_LIST[unitCode - 1], sample);
  }
  if (pos !== len) throw new RangeError('trailing bytes in an ingest batch');
}

/**
 * A row written before batches named their series by index (one series id per datum): the
 * same datums, rewritten so that every row is read one way.
 */
function upgradeRow(row: Buffer): { seriesIds: number[]; datums: Buffer } {
  const r = new Reader(row);
  const n = r.varuint();
  const seriesIds: number[] = [];
  const refs = new Map<number, number>();
  const w = new Writer();
  w.varuint(n);
  for (let i = 0; i < n; i++) {
    const id = r.varuint();
    let ref = refs.get(id);
    if (ref === undefined) {
      refs.set(id, (ref = seriesIds.length));
      seriesIds.push(id);
    }
    w.varuint(ref);
    w.varuint(r.varuint());
    const flags = r.u8();
    w.u8(flags);
    w.u8(r.u8());
    const kind = (flags >> KIND_SHIFT) & 3;
    const floats = kind === 0 ? 1 : kind === 3 ? 4 : 0;
    for (let k = 0; k < floats; k++) w.f64(r.f64());
    if (kind === 1 || kind === 2) {
      const len = r.varuint();
      w.varuint(len);
      for (let k = 0; k < len * (kind === 2 ? 2 : 1); k++) w.f64(r.f64());
    }
  }
  r.end();
  return { seriesIds, datums: w.finish() };
}
