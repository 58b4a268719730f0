/**
 * @module services/metrics/stats/statistics
 * CloudWatch statistic names, parsed once into a typed value, and their computation from an
 * `Aggregate`.
 *
 * Syntax follows the CloudWatch User Guide ("CloudWatch statistics definitions"):
 * - `SampleCount`, `Average`, `Sum`, `Minimum`, `Maximum`, `IQM` (exact case);
 * - `pNN[.NN]`: percentiles p0 to p100 with up to two decimals;
 * - `tmN`, `tcN`, `tsN`, `wmN` (lowercase only with a single number): the range from the lowest
 *   value up to the N-th percentile, i.e. `TM(:N%)`;
 * - `TM(a:b)`, `TC(a:b)`, `TS(a:b)`, `WM(a:b)` (uppercase only with a range): bounds are both
 *   percentages (`10%:90%`) or both absolute values (`150:1000`); either may be omitted, not both;
 *   up to 10 decimals;
 * - `PR(n:m)`: absolute bounds only; the percentage (0-100) of values in (n, m].
 *
 * Semantics, and the choices the guide leaves open:
 * - Absolute ranges include values equal to the upper bound and exclude those equal to the lower
 *   one (the guide says so for TM/TC/TS/WM and PR).
 * - Percent ranges are cut by rank with the same nearest-rank rule as percentiles: TM(a%:b%) keeps
 *   the samples ranked in (ceil(a·N), ceil(b·N)], so `p99` is exactly the largest value `tm99`
 *   keeps, as the guide's "Percentiles versus trimmed mean" puts it. Cutting by rank, not by
 *   value, keeps ties from emptying a range (all-equal data would otherwise have no values
 *   strictly above p10).
 * - WM replaces values ranked below the range with the value at the lower percentile and values
 *   above it with the value at the upper one (for absolute ranges: the bound itself).
 * - Bucketed distributions give values within 1%; they are clamped into [Minimum, Maximum], which
 *   are exact, and p0/p100 answer Minimum/Maximum themselves.
 *
 * CloudWatch also documents that percentile-type statistics are unavailable when any value is
 * negative. We compute them anyway by default (more useful locally); pass
 * `{ negativeValuesUnavailable: true }` to `computeStatistic` for the strict behaviour.
 */
import { awsError } from '../../../core/errors.js';
import type { Aggregate } from './aggregate.js';
import { nearestRank } from './distribution.js';

export type SimpleStatisticName = 'SampleCount' | 'Average' | 'Sum' | 'Minimum' | 'Maximum';
/** TM trimmed mean, TC trimmed count, TS trimmed sum, WM winsorized mean */
export type TrimmedFunction = 'TM' | 'TC' | 'TS' | 'WM';

/** Percent bounds as fractions of the samples (0..1); absolute bounds as values (absent = open). */
export type Bounds =
  | { kind: 'percent'; lower: number; upper: number }
  | { kind: 'value'; lower?: number; upper?: number };

/** `name` is the string as given: CloudWatch echoes it back as the ExtendedStatistics key. */
export type Statistic =
  | { kind: 'simple'; name: string; stat: SimpleStatisticName }
  | { kind: 'percentile'; name: string; q: number }
  | { kind: 'trimmed'; name: string; fn: TrimmedFunction; bounds: Bounds }
  | { kind: 'percentileRank'; name: string; lower?: number; upper?: number };

const SIMPLE = new Set<string>(['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum']);
const PERCENTILE = /^p(\d{1,2}(?:\.\d{1,2})?|100(?:\.0{1,2})?)$/;
const SINGLE = /^(tm|tc|ts|wm)(\d{1,3}(?:\.\d{1,10})?)$/;
const RANGE = /^(PR|TM|TC|TS|WM)\(([^():]*):([^():]*)\)$/;
const PERCENT_BOUND = /^(\d{1,3}(?:\.\d{1,10})?)%$/;
const VALUE_BOUND = /^-?\d{1,20}(?:\.\d{1,10})?$/;

/**
 * Parses a `Statistic`, `ExtendedStatistic` or `Stat` value. `param` names the request member in
 * the error message. Throws `InvalidParameterValue` for anything CloudWatch would not accept.
 */
export function parseStatistic(name: string, param = 'Stat'): Statistic {
  const invalid = (why: string) => awsError('InvalidParameterValue', `The value ${name} for parameter ${param} is not a valid statistic: ${why}.`);
  if (SIMPLE.has(name)) return { kind: 'simple', name, stat: name as SimpleStatisticName };
  if (name === 'IQM') return { kind: 'trimmed', name, fn: 'TM', bounds: { kind: 'percent', lower: 0.25, upper: 0.75 } };

  let m = PERCENTILE.exec(name);
  if (m) return { kind: 'percentile', name, q: percentToFraction(m[1]) };
  if (/^p/.test(name)) throw invalid('percentiles are p0 to p100 with at most two decimal places');

  m = SINGLE.exec(name);
  if (m) {
    if (Number(m[2]) > 100) throw invalid('the percentile must be between 0 and 100');
    const upper = percentToFraction(m[2]);
    return { kind: 'trimmed', name, fn: m[1].toUpperCase() as TrimmedFunction, bounds: { kind: 'percent', lower: 0, upper } };
  }

  m = RANGE.exec(name);
  if (!m) throw invalid('unknown statistic');
  const [, fn, lo, hi] = m;
  if (lo === '' && hi === '') throw invalid('at least one bound is required');
  const loPct = PERCENT_BOUND.exec(lo);
  const hiPct = PERCENT_BOUND.exec(hi);
  const percent = loPct !== null || hiPct !== null;
  if (percent) {
    if (fn === 'PR') throw invalid('percentile rank bounds are values, not percentages');
    if ((lo !== '' && !loPct) || (hi !== '' && !hiPct)) throw invalid('bounds must both be percentages or both be values');
    const lower = loPct ? percentToFraction(loPct[1]) : 0;
    const upper = hiPct ? percentToFraction(hiPct[1]) : 1;
    if (lower > 1 || upper > 1) throw invalid('percentages must be between 0 and 100');
    if (lower > upper) throw invalid('the lower bound must not exceed the upper bound');
    return { kind: 'trimmed', name, fn: fn as TrimmedFunction, bounds: { kind: 'percent', lower, upper } };
  }
  if ((lo !== '' && !VALUE_BOUND.test(lo)) || (hi !== '' && !VALUE_BOUND.test(hi))) throw invalid('bounds must be numbers');
  const lower = lo === '' ? undefined : Number(lo);
  const upper = hi === '' ? undefined : Number(hi);
  if (lower !== undefined && upper !== undefined && lower > upper) throw invalid('the lower bound must not exceed the upper bound');
  if (fn === 'PR') return { kind: 'percentileRank', name, lower, upper };
  return { kind: 'trimmed', name, fn: fn as TrimmedFunction, bounds: { kind: 'value', lower, upper } };
}

/**
 * "99.9" → 0.999 by moving the decimal point in the text: dividing by 100 in binary would give
 * 0.9990000000000001, and p99.9 must mean the nearest double to 0.999.
 */
function percentToFraction(text: string): number {
  const [whole, frac = ''] = text.split('.');
  const digits = whole + frac;
  const point = whole.length - 2;
  return Number(point <= 0 ? `0.${'0'.repeat(-point)}${digits}` : `${digits.slice(0, point)}.${digits.slice(point)}`);
}

/** Needs the individual values (a distribution), not just count/sum/min/max. */
export function isPercentileLike(stat: Statistic): boolean {
  return stat.kind !== 'simple';
}

/**
 * Samples below which a percentile alarm with EvaluateLowSampleCountPercentile=ignore keeps its
 * state: 10/(1-p) for 0.5 <= p < 1, 10/p for 0 < p < 0.5, otherwise 0 (no threshold).
 */
export function lowSampleThreshold(stat: Statistic): number {
  if (stat.kind !== 'percentile') return 0;
  const p = stat.q;
  if (p >= 0.5 && p < 1) return 10 / (1 - p);
  if (p > 0 && p < 0.5) return 10 / p;
  return 0;
}

export interface ComputeOptions {
  /** CloudWatch's documented rule: no percentile-type statistics when any value is negative */
  negativeValuesUnavailable?: boolean;
}

/** The statistic's value for one aggregate, or undefined when CloudWatch would report none. */
export function computeStatistic(agg: Aggregate, stat: Statistic, opts: ComputeOptions = {}): number | undefined {
  const n = agg.sampleCount;
  if (stat.kind === 'simple') {
    switch (stat.stat) {
      case 'SampleCount':
        return n;
      case 'Sum':
        return agg.sum;
      case 'Average':
        return n > 0 ? agg.sum / n : undefined;
      case 'Minimum':
        return n > 0 ? agg.min : undefined;
      case 'Maximum':
        return n > 0 ? agg.max : undefined;
    }
  }
  const dist = agg.dist;
  if (!dist || dist.count <= 0 || n <= 0) return undefined;
  if (opts.negativeValuesUnavailable && agg.min < 0) return undefined;
  const clamp = (v: number) => Math.min(Math.max(v, agg.min), agg.max);

  if (stat.kind === 'percentile') {
    if (stat.q === 0) return agg.min;
    if (stat.q === 1) return agg.max;
    const v = dist.quantile(stat.q);
    return v === undefined ? undefined : clamp(v);
  }

  const entries = dist.entries();
  const total = dist.count;

  if (stat.kind === 'percentileRank') {
    let inside = 0;
    for (const [v, c] of entries) if (inValueRange(clamp(v), stat.lower, stat.upper)) inside += c;
    return (100 * inside) / total;
  }

  const { fn, bounds } = stat;
  let keptCount = 0;
  let keptSum = 0;
  // WM only: what the samples outside the range are replaced by, and how many there are of each
  let below = 0;
  let belowValue = 0;
  let above = 0;
  let aboveValue = 0;

  if (bounds.kind === 'value') {
    for (const [raw, c] of entries) {
      const v = clamp(raw);
      if (inValueRange(v, bounds.lower, bounds.upper)) {
        keptCount += c;
        keptSum += v * c;
      } else if (bounds.lower !== undefined && v <= bounds.lower) {
        below += c;
      } else {
        above += c;
      }
    }
    belowValue = bounds.lower ?? 0;
    aboveValue = bounds.upper ?? 0;
  } else {
    // keep the samples ranked in (lo, hi]; a (value, count) entry occupies ranks (seen, seen + count]
    const lo = bounds.lower > 0 ? nearestRank(bounds.lower, total) : 0;
    const hi = bounds.upper < 1 ? nearestRank(bounds.upper, total) : total;
    below = lo;
    above = total - hi;
    let seen = 0;
    for (const [raw, c] of entries) {
      const v = clamp(raw);
      const start = seen;
      seen += c;
      const kept = Math.max(0, Math.min(seen, hi) - Math.max(start, lo));
      keptCount += kept;
      keptSum += v * kept;
      // the sample at rank lo is the lower percentile; the one at rank hi the upper
      if (lo > start && lo <= seen) belowValue = v;
      if (hi > start && hi <= seen) aboveValue = v;
    }
    if (hi === 0 && entries.length > 0) aboveValue = clamp(entries[0][0]);
  }

  switch (fn) {
    case 'TC':
      return keptCount;
    case 'TS':
      return keptSum;
    case 'TM':
      return keptCount > 0 ? keptSum / keptCount : undefined;
    case 'WM':
      return (keptSum + below * belowValue + above * aboveValue) / total;
  }
}

/** (lower, upper], an absent bound being open. */
function inValueRange(v: number, lower: number | undefined, upper: number | undefined): boolean {
  return (lower === undefined || v > lower) && (upper === undefined || v <= upper);
}
