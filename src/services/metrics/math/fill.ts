/**
 * @module services/metrics/math/fill
 * The functions that create points rather than transform them: FILL, IF, TIME_SERIES and the
 * calendar functions (MINUTE … EPOCH). They share the period grid: every `start + k·period`
 * inside the requested range, which is what AWS means by a "non-sparse" series.
 */
import { derive, finite, grid, isScalar, isSeries, needScalar, periodOf, pointMap, describe, type EvalContext } from './series.js';
import { MetricMathError, type MathValue, type Series } from './types.js';

export type Filler = number | Series | 'REPEAT' | 'LINEAR';

/**
 * FILL(TS|TS[], S|TS|REPEAT|LINEAR). The result has a point at every grid timestamp (plus any
 * off-grid points the input already had). REPEAT carries the last real value forward; LINEAR
 * interpolates in time between the real values either side of a gap. Neither invents a value
 * before the first real point, and LINEAR none after the last, because there is nothing to
 * repeat or interpolate from; a series filled from another series stays empty where that one is.
 */
export function fill(ctx: EvalContext, v: MathValue, filler: Filler): MathValue {
  if (Array.isArray(filler)) throw new MetricMathError('FILL cannot fill with an array of time series.');
  if (Array.isArray(v)) return v.map((s) => fillSeries(ctx, s, filler));
  if (isScalar(v)) throw new MetricMathError('FILL expects a time series or an array of time series, not a scalar.');
  return fillSeries(ctx, v, filler);
}

function fillSeries(ctx: EvalContext, s: Series, filler: Filler): Series {
  const known = pointMap(s);
  const ts = [...new Set([...grid(ctx, periodOf(ctx, s)), ...s.timestamps])].sort((a, b) => a - b);
  const out: (number | undefined)[] = ts.map((t) => known.get(t));

  if (typeof filler === 'number') {
    for (let i = 0; i < out.length; i++) out[i] ??= filler;
  } else if (typeof filler === 'object') {
    const other = pointMap(filler);
    for (let i = 0; i < out.length; i++) out[i] ??= other.get(ts[i]);
  } else if (filler === 'REPEAT') {
    let last: number | undefined;
    for (let i = 0; i < out.length; i++) {
      if (out[i] === undefined) out[i] = last;
      else last = out[i];
    }
  } else {
    let prev = -1; // index of the last real value seen
    for (let i = 0; i < out.length; i++) {
      if (out[i] === undefined) continue;
      if (prev >= 0 && i - prev > 1) {
        const [t0, v0, t1, v1] = [ts[prev], out[prev]!, ts[i], out[i]!];
        for (let j = prev + 1; j < i; j++) out[j] = v0 + ((v1 - v0) * (ts[j] - t0)) / (t1 - t0);
      }
      prev = i;
    }
  }
  const keep = ts.map((_, i) => i).filter((i) => out[i] !== undefined);
  return finite(ctx, s, keep.map((i) => ts[i]), keep.map((i) => out[i]!));
}

/**
 * IF(condition, trueValue[, falseValue]), following AWS's tables: a true condition point takes
 * the true value (0 when that series has no point there), a false one the false value (the point
 * is dropped when that series has none, or when there is no false value at all). A scalar
 * condition picks one whole operand.
 */
export function ifThen(ctx: EvalContext, cond: MathValue, a: MathValue, b?: MathValue): MathValue {
  if (isScalar(cond)) {
    if (cond !== 0) return a;
    if (b !== undefined) return b;
    return Array.isArray(a) ? [] : derive(isSeries(a) ? a : undefined, [], []);
  }
  if (Array.isArray(cond)) {
    const pick = (x: MathValue | undefined, i: number): MathValue | undefined => {
      if (!Array.isArray(x)) return x;
      if (x.length !== cond.length) throw new MetricMathError(`IF cannot pair ${cond.length} conditions with ${x.length} time series.`);
      return x[i];
    };
    return cond.map((c, i) => ifSeries(ctx, c, pick(a, i)!, pick(b, i)));
  }
  return ifSeries(ctx, cond, a, b);
}

function ifSeries(ctx: EvalContext, cond: Series, a: MathValue, b: MathValue | undefined): Series {
  if (Array.isArray(a) || Array.isArray(b)) throw new MetricMathError('IF with a single time series condition cannot return an array of time series.');
  const am = isSeries(a) ? pointMap(a) : undefined;
  const bm = b !== undefined && isSeries(b) ? pointMap(b) : undefined;
  const ts: number[] = [];
  const vs: number[] = [];
  cond.timestamps.forEach((t, i) => {
    let v: number | undefined;
    if (cond.values[i] !== 0) v = am ? am.get(t) ?? 0 : (a as number);
    else if (b !== undefined) v = bm ? bm.get(t) : (b as number);
    if (v !== undefined) {
      ts.push(t);
      vs.push(v);
    }
  });
  return finite(ctx, isSeries(a) ? a : cond, ts, vs);
}

/** TIME_SERIES(S): the scalar at every grid timestamp. */
export function timeSeries(ctx: EvalContext, v: MathValue): Series {
  const x = needScalar('TIME_SERIES', v);
  const ts = grid(ctx, ctx.env.period);
  return finite(ctx, undefined, ts, ts.map(() => x));
}

const CALENDAR: Record<string, (d: Date) => number> = {
  MINUTE: (d) => d.getUTCMinutes(),
  HOUR: (d) => d.getUTCHours(),
  // AWS numbers days Monday = 1 … Sunday = 7; JavaScript counts Sunday as 0
  DAY: (d) => d.getUTCDay() || 7,
  DATE: (d) => d.getUTCDate(),
  MONTH: (d) => d.getUTCMonth() + 1,
  YEAR: (d) => d.getUTCFullYear(),
  EPOCH: (d) => d.getTime() / 1000,
};

/** MINUTE(TS) … EPOCH(TS): a non-sparse series over the input's period and the request's range. */
export function calendar(ctx: EvalContext, fn: string, v: MathValue): MathValue {
  const f = CALENDAR[fn];
  const one = (s: Series): Series => {
    const ts = grid(ctx, periodOf(ctx, s));
    return derive(s, ts, ts.map((t) => f(new Date(t * 1000))));
  };
  if (Array.isArray(v)) return v.map(one);
  if (isSeries(v)) return one(v);
  throw new MetricMathError(`${fn} expects a time series, not ${describe(v)}.`);
}
