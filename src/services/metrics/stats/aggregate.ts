/**
 * @module services/metrics/stats/aggregate
 * The unit the metrics store keeps per series per second or minute: SampleCount, Sum, Minimum and
 * Maximum (always available) plus a value distribution for percentiles and other extended
 * statistics.
 *
 * Why `dist` can be null: a `StatisticValues` datum carries only the four numbers, so once one is
 * folded into an aggregate its values are unknown and CloudWatch reports no percentiles for that
 * period. The exception CloudWatch documents is kept: a statistic set whose Minimum equals its
 * Maximum and whose Sum is Minimum × SampleCount describes its values completely, so it gets a
 * distribution. An aggregate with no samples is the identity of merging and never nulls the
 * other side's distribution.
 *
 * These functions are called straight from PutMetricData: bad input (non-finite numbers,
 * negative counts, mismatched Values/Counts) throws `InvalidParameterValue` so a missed check in
 * the handler still answers 400, not 500. The API layer should still validate first, with member
 * paths in its messages.
 */
import { awsError } from '../../../core/errors.js';
import { countsAreIntegers, MAX_ZIGZAG, readCount, Reader, writeCount, Writer } from './codec.js';
import { Distribution } from './distribution.js';

export interface Aggregate {
  sampleCount: number;
  sum: number;
  min: number;
  max: number;
  /** null when a statistic set without a known distribution contributed: no percentiles then */
  dist: Distribution | null;
}

/** PutMetricData's `StatisticValues` member. */
export interface StatisticSet {
  SampleCount: number;
  Sum: number;
  Minimum: number;
  Maximum: number;
}

/** No samples: merging it changes nothing. min/max are ±Infinity so that any value replaces them. */
export function emptyAggregate(): Aggregate {
  return { sampleCount: 0, sum: 0, min: Infinity, max: -Infinity, dist: Distribution.empty() };
}

function checkFinite(x: number, what: string): void {
  if (typeof x !== 'number' || !Number.isFinite(x)) throw awsError('InvalidParameterValue', `The value ${x} for ${what} is not valid.`);
}

function checkCount(c: number, what: string): void {
  checkFinite(c, what);
  if (c < 0) throw awsError('InvalidParameterValue', `The value ${c} for ${what} must not be negative.`);
}

/** One `Value` (optionally seen `count` times). */
export function aggregateOfValue(value: number, count = 1): Aggregate {
  return aggregateOfValues([value], [count]);
}

/** `Values` with optional `Counts` (each defaults to 1); zero counts contribute nothing. */
export function aggregateOfValues(values: readonly number[], counts?: readonly number[]): Aggregate {
  if (counts && counts.length !== values.length) {
    throw awsError('InvalidParameterValue', 'The Values and Counts arrays must have the same number of elements.');
  }
  const agg = emptyAggregate();
  const dist = agg.dist as Distribution;
  values.forEach((v, i) => {
    const c = counts ? counts[i] : 1;
    checkFinite(v, 'Values');
    checkCount(c, 'Counts');
    if (c === 0) return;
    agg.sampleCount += c;
    agg.sum += v * c;
    if (v < agg.min) agg.min = v;
    if (v > agg.max) agg.max = v;
    dist.add(v, c);
  });
  return agg;
}

/** `StatisticValues`: a distribution only when the set pins every value to Minimum (see @module). */
export function aggregateOfStatisticSet(set: StatisticSet): Aggregate {
  const { SampleCount: n, Sum: sum, Minimum: min, Maximum: max } = set;
  checkCount(n, 'StatisticValues.SampleCount');
  checkFinite(sum, 'StatisticValues.Sum');
  checkFinite(min, 'StatisticValues.Minimum');
  checkFinite(max, 'StatisticValues.Maximum');
  if (n === 0) return emptyAggregate();
  const single = min === max && Math.abs(sum - min * n) <= 1e-12 * Math.max(1, Math.abs(sum));
  return { sampleCount: n, sum, min, max, dist: single ? Distribution.of([min], [n]) : null };
}

/** A new aggregate holding both; neither input is changed. */
export function mergeAggregates(a: Aggregate, b: Aggregate): Aggregate {
  const out = cloneAggregate(a);
  mergeInto(out, b);
  return out;
}

/** Every aggregate merged into one new aggregate (one clone, however many inputs). */
export function sumAggregates(aggs: Iterable<Aggregate>): Aggregate {
  const out = emptyAggregate();
  for (const a of aggs) mergeInto(out, a);
  return out;
}

export function cloneAggregate(a: Aggregate): Aggregate {
  return { ...a, dist: a.dist ? a.dist.clone() : null };
}

/** Merges `src` into `target` in place (the rollup loop's hot path). */
export function mergeInto(target: Aggregate, src: Aggregate): void {
  if (src.sampleCount === 0 && src.sum === 0) return;
  if (target.sampleCount === 0 && target.sum === 0) {
    Object.assign(target, cloneAggregate(src));
    return;
  }
  target.sampleCount += src.sampleCount;
  target.sum += src.sum;
  target.min = Math.min(target.min, src.min);
  target.max = Math.max(target.max, src.max);
  if (target.dist && src.dist) target.dist.merge(src.dist);
  else target.dist = null;
}

// --- encoding ------------------------------------------------------------------------------
// header byte: bits 6-7 format version, then flags saying which fields can be left out because
// the decoder can rebuild them. A single plain Value (the commonest row) encodes in 3-10 bytes.
const VERSION = 1;
const HAS_DIST = 1 << 0;
const FLOAT_COUNT = 1 << 1;
const MAX_IS_MIN = 1 << 2;
const SUM_IS_MIN_TIMES_COUNT = 1 << 3;
/** the distribution is just (min × sampleCount), or empty with no samples: rebuilt, not stored */
const TRIVIAL_DIST = 1 << 4;
const INT_SCALARS = 1 << 5;

function isTrivialDist(a: Aggregate): boolean {
  const dist = a.dist;
  if (!dist || !dist.isExact) return false;
  const e = dist.entries();
  if (e.length === 0) return a.sampleCount === 0;
  return e.length === 1 && a.min === a.max && e[0][0] === a.min && e[0][1] === a.sampleCount;
}

export function encodeAggregate(a: Aggregate): Buffer {
  const ints = countsAreIntegers([a.sampleCount]);
  const maxIsMin = a.max === a.min;
  const sumDerived = a.sum === a.min * a.sampleCount;
  const trivial = isTrivialDist(a);
  const scalars = [a.min, ...(maxIsMin ? [] : [a.max]), ...(sumDerived ? [] : [a.sum])];
  const intScalars = scalars.every((x) => Number.isInteger(x) && Math.abs(x) <= MAX_ZIGZAG);
  let header = VERSION << 6;
  if (a.dist) header |= HAS_DIST;
  if (!ints) header |= FLOAT_COUNT;
  if (maxIsMin) header |= MAX_IS_MIN;
  if (sumDerived) header |= SUM_IS_MIN_TIMES_COUNT;
  if (trivial) header |= TRIVIAL_DIST;
  if (intScalars) header |= INT_SCALARS;
  const w = new Writer();
  w.u8(header);
  writeCount(w, a.sampleCount, ints);
  for (const x of scalars) {
    if (intScalars) w.zigzag(x);
    else w.f64(x);
  }
  const head = w.finish();
  return a.dist && !trivial ? Buffer.concat([head, a.dist.encode()]) : head;
}

export function decodeAggregate(buf: Buffer): Aggregate {
  const r = new Reader(buf);
  const header = r.u8();
  if (header >> 6 !== VERSION) throw new RangeError(`unknown aggregate encoding version ${header >> 6}`);
  const sampleCount = readCount(r, (header & FLOAT_COUNT) === 0);
  const scalar = (): number => ((header & INT_SCALARS) !== 0 ? r.zigzag() : r.f64());
  const min = scalar();
  const max = (header & MAX_IS_MIN) !== 0 ? min : scalar();
  const sum = (header & SUM_IS_MIN_TIMES_COUNT) !== 0 ? min * sampleCount : scalar();
  let dist: Distribution | null = null;
  if ((header & HAS_DIST) !== 0) {
    if ((header & TRIVIAL_DIST) !== 0) {
      dist = sampleCount > 0 ? Distribution.of([min], [sampleCount]) : Distribution.empty();
      r.end();
    } else {
      dist = Distribution.decode(r.rest());
    }
  } else {
    r.end();
  }
  return { sampleCount, sum, min, max, dist };
}
