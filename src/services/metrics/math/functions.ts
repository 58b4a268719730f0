/**
 * @module services/metrics/math/functions
 * One handler per metric math function. Handlers get the raw argument nodes and an `ev`
 * callback rather than evaluated values, because some arguments are not values: FILL's
 * REPEAT/LINEAR, SORT's statistic and order, METRICS' filter string.
 *
 * Argument counts and keyword positions were already checked by the parser, so handlers only
 * check what depends on data: whether an argument turned out to be a scalar, a series or an array.
 */
import { aggregate, sortSeries, type Statistic } from './aggregate.js';
import { calendar, fill, ifThen, timeSeries, type Filler } from './fill.js';
import { derive, finite, isScalar, isSeries, mapValue, needArray, needScalar, needSeries, periodOf, describe, type EvalContext } from './series.js';
import { MetricMathError, type Expr, type MathValue, type Series } from './types.js';

type Handler = (ctx: EvalContext, args: Expr[], ev: (e: Expr) => MathValue) => MathValue;

/** A point-wise function that also accepts a scalar: ABS(-2) is as meaningful as ABS(m1). */
const pointwise =
  (f: (x: number) => number): Handler =>
  (ctx, [arg], ev) =>
    mapValue(ctx, ev(arg), f);

const stat =
  (s: Statistic): Handler =>
  (ctx, [arg], ev) =>
    aggregate(ctx, s, ev(arg));

/** Functions of consecutive points (DIFF, RATE …): the first point has no predecessor and is dropped. */
const consecutive =
  (name: string, f: (v: number, prevV: number, t: number, prevT: number) => number): Handler =>
  (ctx, [arg], ev) =>
    eachSeries(name, ev(arg), (s) =>
      finite(
        ctx,
        s,
        s.timestamps.slice(1),
        s.values.slice(1).map((v, i) => f(v, s.values[i], s.timestamps[i + 1], s.timestamps[i])),
      ),
    );

/** Applies `f` to a series or to each member of an array; a scalar is an error. */
function eachSeries(name: string, v: MathValue, f: (s: Series) => Series): MathValue {
  if (Array.isArray(v)) return v.map(f);
  if (isSeries(v)) return f(v);
  throw new MetricMathError(`${name} expects a time series or an array of time series, not ${describe(v)}.`);
}

export const HANDLERS: Record<string, Handler> = {
  ABS: pointwise(Math.abs),
  CEIL: pointwise(Math.ceil),
  FLOOR: pointwise(Math.floor),
  LOG: pointwise(Math.log),
  LOG10: pointwise(Math.log10),

  AVG: stat('AVG'),
  SUM: stat('SUM'),
  MIN: stat('MIN'),
  MAX: stat('MAX'),
  STDDEV: stat('STDDEV'),
  DATAPOINT_COUNT: stat('DATAPOINT_COUNT'),

  DIFF: consecutive('DIFF', (v, pv) => v - pv),
  DIFF_TIME: consecutive('DIFF_TIME', (_v, _pv, t, pt) => t - pt),
  RATE: consecutive('RATE', (v, pv, t, pt) => (v - pv) / (t - pt)),
  RUNNING_SUM: (ctx, [arg], ev) =>
    eachSeries('RUNNING_SUM', ev(arg), (s) => {
      let total = 0;
      return finite(ctx, s, s.timestamps, s.values.map((v) => (total += v)));
    }),

  FILL: (ctx, [target, filler], ev) => {
    const how: Filler = filler.kind === 'keyword' ? (filler.name as 'REPEAT' | 'LINEAR') : (ev(filler) as number | Series);
    return fill(ctx, ev(target), how);
  },
  IF: (ctx, [c, a, b], ev) => ifThen(ctx, ev(c), ev(a), b === undefined ? undefined : ev(b)),
  TIME_SERIES: (ctx, [arg], ev) => timeSeries(ctx, ev(arg)),
  PERIOD: (ctx, [arg], ev) => periodOf(ctx, needSeries('PERIOD', ev(arg))),

  METRICS: (ctx, [filter]) => {
    const all = ctx.env.all();
    // AWS matches the filter against each metric's Id (METRICS("errors") → errors4xx, errors5xx)
    return filter?.kind === 'string' ? all.filter((s) => s.id?.includes(filter.value)) : all;
  },
  METRIC_COUNT: (_ctx, [arg], ev) => {
    const v = ev(arg);
    return Array.isArray(v) ? v.length : isSeries(v) ? 1 : needArray('METRIC_COUNT', v).length;
  },
  CONCAT: (_ctx, args, ev) =>
    args.flatMap((a) => {
      const v = ev(a);
      if (isScalar(v)) throw new MetricMathError('CONCAT expects time series or arrays of time series, not a scalar.');
      return v;
    }),
  REMOVE_EMPTY: (_ctx, [arg], ev) => {
    const v = ev(arg);
    return isSeries(v) ? v : needArray('REMOVE_EMPTY', v).filter((s) => s.values.length > 0);
  },
  FIRST: (_ctx, [arg], ev) => pickEnd('FIRST', ev(arg), (a) => a[0]),
  LAST: (_ctx, [arg], ev) => pickEnd('LAST', ev(arg), (a) => a[a.length - 1]),
  SLICE: (_ctx, [arr, from, to], ev) => {
    const list = needArray('SLICE', ev(arr));
    const start = Math.trunc(needScalar('SLICE', ev(from)));
    const end = to === undefined ? undefined : Math.trunc(needScalar('SLICE', ev(to)));
    return list.slice(start, end);
  },
  SORT: (_ctx, [arr, by, order, limit], ev) =>
    sortSeries(
      ev(arr),
      (by as Expr & { kind: 'keyword' }).name as Statistic,
      (order as Expr & { kind: 'keyword' }).name as 'ASC' | 'DESC',
      limit === undefined ? undefined : needScalar('SORT', ev(limit)),
    ),

  MINUTE: (ctx, [arg], ev) => calendar(ctx, 'MINUTE', ev(arg)),
  HOUR: (ctx, [arg], ev) => calendar(ctx, 'HOUR', ev(arg)),
  DAY: (ctx, [arg], ev) => calendar(ctx, 'DAY', ev(arg)),
  DATE: (ctx, [arg], ev) => calendar(ctx, 'DATE', ev(arg)),
  MONTH: (ctx, [arg], ev) => calendar(ctx, 'MONTH', ev(arg)),
  YEAR: (ctx, [arg], ev) => calendar(ctx, 'YEAR', ev(arg)),
  EPOCH: (ctx, [arg], ev) => calendar(ctx, 'EPOCH', ev(arg)),
};

/** FIRST/LAST of an array; a single series is its own first and last member. */
function pickEnd(name: string, v: MathValue, pick: (a: Series[]) => Series): Series {
  if (isSeries(v)) return v;
  const arr = needArray(name, v);
  if (arr.length === 0) return derive(undefined, [], []);
  return pick(arr);
}
