/**
 * @module services/metrics/math/series
 * Point-level building blocks for the evaluator: type tests, aligning two series on their
 * timestamps, broadcasting an operation over S / TS / TS[] operands, and the period grid.
 *
 * Two AWS rules live here so every operator and function shares them:
 * - between two series, a timestamp missing from one of them counts as 0 ("Missing values in a
 *   time series are treated as 0");
 * - a point that evaluates to NaN or ±Infinity (division by zero, LOG(0)) is dropped, and the
 *   evaluation remembers it so the query can carry AWS's ArithmeticError message.
 */
import { MetricMathError, type MathEnv, type MathValue, type Series } from './types.js';

/** Per-evaluation state shared by the evaluator and the functions. */
export interface EvalContext {
  env: MathEnv;
  /** set when any point was dropped for being non-numeric */
  dropped: boolean;
}

export function isSeries(v: MathValue): v is Series {
  return typeof v === 'object' && !Array.isArray(v);
}

export function isScalar(v: MathValue): v is number {
  return typeof v === 'number';
}

/** A new series carrying the identity (id, label, period) of `like`. */
export function derive(like: Series | undefined, timestamps: number[], values: number[]): Series {
  const s: Series = { label: like?.label ?? '', timestamps, values };
  if (like?.id !== undefined) s.id = like.id;
  if (like?.period !== undefined) s.period = like.period;
  return s;
}

/** Keeps the finite points of parallel arrays; notes in `ctx` when something was dropped. */
export function finite(ctx: EvalContext, like: Series | undefined, timestamps: number[], values: number[]): Series {
  const ts: number[] = [];
  const vs: number[] = [];
  for (let i = 0; i < values.length; i++) {
    if (Number.isFinite(values[i])) {
      ts.push(timestamps[i]);
      vs.push(values[i]);
    } else {
      ctx.dropped = true;
    }
  }
  return derive(like, ts, vs);
}

export function mapPoints(ctx: EvalContext, s: Series, f: (v: number, t: number) => number): Series {
  return finite(ctx, s, s.timestamps, s.values.map((v, i) => f(v, s.timestamps[i])));
}

/** Timestamp → value, for random access by timestamp. */
export function pointMap(s: Series): Map<number, number> {
  const m = new Map<number, number>();
  s.timestamps.forEach((t, i) => m.set(t, s.values[i]));
  return m;
}

/** The ascending union of the timestamps of several series. */
export function unionTimestamps(list: readonly Series[]): number[] {
  const all = new Set<number>();
  for (const s of list) for (const t of s.timestamps) all.add(t);
  return [...all].sort((a, b) => a - b);
}

/** a ∘ b point by point over the union of their timestamps, a missing side counting as 0. */
export function zipSeries(ctx: EvalContext, a: Series, b: Series, f: (x: number, y: number) => number): Series {
  const ma = pointMap(a);
  const mb = pointMap(b);
  const ts = unionTimestamps([a, b]);
  return finite(ctx, a, ts, ts.map((t) => f(ma.get(t) ?? 0, mb.get(t) ?? 0)));
}

/**
 * Applies a binary operation to any pair of operands: S∘S is a scalar, TS∘S and S∘TS map every
 * point, TS∘TS aligns timestamps, and an array applies the operation to each member (paired
 * member by member when both sides are arrays of the same length).
 */
export function broadcast(ctx: EvalContext, a: MathValue, b: MathValue, f: (x: number, y: number) => number): MathValue {
  if (Array.isArray(a) || Array.isArray(b)) {
    if (Array.isArray(a) && Array.isArray(b)) {
      if (a.length !== b.length) {
        throw new MetricMathError(`Cannot combine arrays of ${a.length} and ${b.length} time series.`);
      }
      return a.map((s, i) => broadcast(ctx, s, b[i], f) as Series);
    }
    return Array.isArray(a) ? a.map((s) => broadcast(ctx, s, b, f) as Series) : (b as Series[]).map((s) => broadcast(ctx, a, s, f) as Series);
  }
  if (isScalar(a) && isScalar(b)) return f(a, b);
  if (isScalar(b)) return mapPoints(ctx, a as Series, (v) => f(v, b));
  if (isScalar(a)) return mapPoints(ctx, b as Series, (v) => f(a, v));
  return zipSeries(ctx, a as Series, b as Series, f);
}

/** Applies a point-wise function to a series, each member of an array, or a scalar. */
export function mapValue(ctx: EvalContext, v: MathValue, f: (x: number, t: number) => number): MathValue {
  if (Array.isArray(v)) return v.map((s) => mapPoints(ctx, s, f));
  if (isScalar(v)) return f(v, NaN);
  return mapPoints(ctx, v, f);
}

export function periodOf(ctx: EvalContext, s?: Series): number {
  return s?.period ?? ctx.env.period;
}

/**
 * Every period boundary in [start, end): the timestamps of a non-sparse series. Guarded against a
 * zero or negative period, which would otherwise loop forever.
 */
export function grid(ctx: EvalContext, period: number): number[] {
  const { start, end } = ctx.env;
  if (!(period > 0)) throw new MetricMathError(`The period must be positive, not ${period}.`);
  const out: number[] = [];
  for (let t = start; t < end; t += period) out.push(t);
  return out;
}

/** The value as a series, or an error naming the function that needed one. */
export function needSeries(fn: string, v: MathValue): Series {
  if (isSeries(v)) return v;
  throw new MetricMathError(`${fn} expects a time series, not ${describe(v)}.`);
}

export function needArray(fn: string, v: MathValue): Series[] {
  if (Array.isArray(v)) return v;
  throw new MetricMathError(`${fn} expects an array of time series, not ${describe(v)}.`);
}

export function needScalar(fn: string, v: MathValue): number {
  if (isScalar(v)) return v;
  throw new MetricMathError(`${fn} expects a scalar, not ${describe(v)}.`);
}

export function describe(v: MathValue): string {
  if (Array.isArray(v)) return 'an array of time series';
  return isScalar(v) ? 'a scalar' : 'a time series';
}
