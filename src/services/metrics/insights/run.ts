/**
 * @module services/metrics/insights/run
 * Runs a parsed Metrics Insights query over stored statistic sets: pick the metric's series,
 * keep those matching SCHEMA and WHERE, group them, aggregate each group per period, then order
 * and cap the groups.
 *
 * Aggregation works on statistic sets, never on averages of averages: per period, AVG is the
 * group's total sum over its total sample count, COUNT the total sample count, SUM the total
 * sum, MIN/MAX the extremes of the stored minimums/maximums.
 *
 * ORDER BY FUNC() follows AWS's description ("calculate a single scalar value from each returned
 * time series"): FUNC is applied to the values of each output series over the whole range, so
 * `SELECT SUM(x) … ORDER BY MAX()` ranks groups by their largest per-period sum and ORDER BY
 * COUNT() by how many periods have data.
 */
import { awsError } from '../../../core/errors.js';
import { MAX_LIMIT } from './parser.js';
import type { Condition, InsightsFunction, InsightsOptions, InsightsPoint, InsightsQuery, InsightsSeries, InsightsSource } from './types.js';

/** AWS's name for the group of series that lack a GROUP BY key. */
export const OTHER_GROUP = 'Other';

/** `%` matches any run of characters; everything else, `_` included, matches itself. */
function likeMatcher(pattern: string): RegExp {
  const body = pattern
    .split('%')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 's');
}

/**
 * Whether a series' dimensions satisfy a condition. A series without the key never equals, is
 * never LIKE and is never IN anything, so it does satisfy the negated forms (`!=`, NOT LIKE,
 * NOT IN): "InstanceType != 'c3.4xlarge'" keeps series that have no InstanceType.
 */
export function matches(cond: Condition, dims: Record<string, string>, cache = new Map<string, RegExp>()): boolean {
  switch (cond.kind) {
    case 'and':
      return matches(cond.left, dims, cache) && matches(cond.right, dims, cache);
    case 'or':
      return matches(cond.left, dims, cache) || matches(cond.right, dims, cache);
    case 'eq':
      return dims[cond.key] === cond.value;
    case 'ne':
      return dims[cond.key] !== cond.value;
    case 'in': {
      const v = dims[cond.key];
      return (v !== undefined && cond.values.includes(v)) !== cond.negated;
    }
    case 'like': {
      let re = cache.get(cond.pattern);
      if (!re) cache.set(cond.pattern, (re = likeMatcher(cond.pattern)));
      const v = dims[cond.key];
      return (v !== undefined && re.test(v)) !== cond.negated;
    }
  }
}

function sameKeys(dims: Record<string, string>, keys: readonly string[]): boolean {
  const have = Object.keys(dims);
  const want = new Set(keys);
  return have.length === want.size && have.every((k) => want.has(k));
}

interface Bucket {
  count: number;
  sum: number;
  min: number;
  max: number;
}

function bucketValue(func: InsightsFunction, b: Bucket): number {
  switch (func) {
    case 'AVG':
      return b.sum / b.count;
    case 'COUNT':
      return b.count;
    case 'SUM':
      return b.sum;
    case 'MIN':
      return b.min;
    case 'MAX':
      return b.max;
  }
}

/** FUNC() of ORDER BY over a whole output series; NaN when it has no values. */
function rankValue(func: InsightsFunction, values: number[]): number {
  if (values.length === 0) return NaN;
  switch (func) {
    case 'AVG':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'COUNT':
      return values.length;
    case 'SUM':
      return values.reduce((a, b) => a + b, 0);
    case 'MIN':
      return Math.min(...values);
    case 'MAX':
      return Math.max(...values);
  }
}

/** Tuple order of the GROUP BY values, which is AWS's default order of grouped results. */
function compareGroups(a: string[], b: string[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

/**
 * One series per group (one in all when the query has no GROUP BY), each holding the periods of
 * [start, end) that have data, ascending. Groups with no data in the range are left out, so a
 * query that matches nothing returns no series.
 */
export function runInsightsQuery(q: InsightsQuery, source: InsightsSource, opts: InsightsOptions): InsightsSeries[] {
  const { start, end, period } = opts;
  if (!(period > 0) || !Number.isFinite(start) || !Number.isFinite(end) || !(start < end)) {
    throw awsError('ValidationError', 'A Metrics Insights query needs a positive period and a start time before its end time.');
  }
  const cache = new Map<string, RegExp>();
  const groups = new Map<string, { values: string[]; buckets: Map<number, Bucket> }>();

  for (const s of source.series(q.namespace, q.metricName)) {
    if (q.schema && !sameKeys(s.dimensions, q.schema)) continue;
    if (q.where && !matches(q.where, s.dimensions, cache)) continue;
    const values = q.groupBy.map((k) => s.dimensions[k] ?? OTHER_GROUP);
    // JSON keeps ["a b", "c"] and ["a", "b c"] apart, which joining with a space would not
    const key = JSON.stringify(values);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { values, buckets: new Map() }));
    for (const p of s.points) addPoint(group.buckets, p, start, end, period);
  }

  const out: { series: InsightsSeries; rank: number }[] = [];
  for (const { values, buckets } of groups.values()) {
    if (buckets.size === 0) continue;
    const idx = [...buckets.keys()].sort((a, b) => a - b);
    const series: InsightsSeries = {
      label: q.groupBy.length ? values.join(' ') : `${q.func}(${q.metricName})`,
      timestamps: idx.map((i) => start + i * period),
      values: idx.map((i) => bucketValue(q.func, buckets.get(i)!)),
      period,
      groupValues: values,
    };
    out.push({ series, rank: q.orderBy ? rankValue(q.orderBy.func, series.values) : 0 });
  }

  out.sort((a, b) => {
    if (q.orderBy) {
      const d = q.orderBy.order === 'ASC' ? a.rank - b.rank : b.rank - a.rank;
      if (d) return d;
    }
    // ties, and every grouped query without ORDER BY, fall back to the group values
    return compareGroups(a.series.groupValues, b.series.groupValues);
  });
  return out.slice(0, Math.min(q.limit ?? MAX_LIMIT, MAX_LIMIT)).map((e) => e.series);
}

function addPoint(buckets: Map<number, Bucket>, p: InsightsPoint, start: number, end: number, period: number): void {
  if (p.t < start || p.t >= end || !(p.sampleCount > 0)) return;
  const i = Math.floor((p.t - start) / period);
  const b = buckets.get(i);
  if (!b) {
    buckets.set(i, { count: p.sampleCount, sum: p.sum, min: p.min, max: p.max });
  } else {
    b.count += p.sampleCount;
    b.sum += p.sum;
    b.min = Math.min(b.min, p.min);
    b.max = Math.max(b.max, p.max);
  }
}
