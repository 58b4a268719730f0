/**
 * @module services/metrics/math/aggregate
 * Statistics over a series (one scalar) or across an array of series (one series, per
 * timestamp): AVG, SUM, MIN, MAX, STDDEV, DATAPOINT_COUNT, and the SORT that ranks by them.
 *
 * Across an array, AWS documents that AVG treats a missing value as 0, so AVG divides by the
 * number of series, not by the number present at that timestamp. SUM is the same either way.
 * MIN, MAX and STDDEV look only at the values present: counting absent points as 0 would make
 * MIN of two sparse series 0 wherever either is silent, which nothing in AWS's description
 * suggests.
 */
import { finite, isScalar, needArray, unionTimestamps, type EvalContext } from './series.js';
import { MetricMathError, type MathValue, type Series } from './types.js';

export type Statistic = 'AVG' | 'SUM' | 'MIN' | 'MAX' | 'STDDEV' | 'DATAPOINT_COUNT';

/** One number from a list; NaN when the statistic has no value for an empty list. */
export function statistic(stat: Statistic, values: readonly number[]): number {
  const n = values.length;
  switch (stat) {
    case 'SUM':
      return values.reduce((a, b) => a + b, 0);
    case 'DATAPOINT_COUNT':
      return n;
    case 'AVG':
      return n ? statistic('SUM', values) / n : NaN;
    case 'MIN':
      return n ? Math.min(...values) : NaN;
    case 'MAX':
      return n ? Math.max(...values) : NaN;
    case 'STDDEV': {
      // population standard deviation: the series is the whole population being described
      if (!n) return NaN;
      const mean = statistic('AVG', values);
      return Math.sqrt(values.reduce((acc, v) => acc + (v - mean) ** 2, 0) / n);
    }
  }
}

/** TS → scalar; TS[] → one series of the statistic across the members at each timestamp. */
export function aggregate(ctx: EvalContext, stat: Statistic, v: MathValue): MathValue {
  if (isScalar(v)) throw new MetricMathError(`${stat} expects a time series or an array of time series, not a scalar.`);
  if (!Array.isArray(v)) return statistic(stat, v.values);
  const maps = v.map((s) => new Map(s.timestamps.map((t, i) => [t, s.values[i]])));
  const ts = unionTimestamps(v);
  const values = ts.map((t) => {
    const present: number[] = [];
    for (const m of maps) {
      const x = m.get(t);
      if (x !== undefined) present.push(x);
    }
    return stat === 'AVG' ? statistic('SUM', present) / v.length : statistic(stat, present);
  });
  return finite(ctx, undefined, ts, values);
}

/**
 * SORT(TS[], stat, ASC|DESC[, limit]). Series whose statistic is undefined (no points) go last
 * either way, and equal keys keep their input order, so the result is deterministic.
 */
export function sortSeries(list: MathValue, stat: Statistic, order: 'ASC' | 'DESC', limit?: number): Series[] {
  const arr = needArray('SORT', list);
  const keyed = arr.map((s, i) => ({ s, i, k: statistic(stat, s.values) }));
  keyed.sort((x, y) => {
    const xn = Number.isNaN(x.k);
    const yn = Number.isNaN(y.k);
    if (xn || yn) return xn === yn ? x.i - y.i : xn ? 1 : -1;
    const d = order === 'ASC' ? x.k - y.k : y.k - x.k;
    return d || x.i - y.i;
  });
  const sorted = keyed.map((e) => e.s);
  if (limit === undefined) return sorted;
  if (!Number.isFinite(limit) || limit < 0) throw new MetricMathError(`The SORT limit must be a non-negative number, not ${limit}.`);
  return sorted.slice(0, Math.floor(limit));
}

