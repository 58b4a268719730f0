/**
 * @module services/metrics/math/harness.test
 * Shared helpers for this folder's tests (named *.test.ts so the build leaves it out; it holds no
 * tests itself). Series are written as AWS's documentation writes them: one slot per period,
 * `null` for "no data point at this timestamp".
 */
import assert from 'node:assert/strict';
import { isServiceError } from '../../../core/errors.js';
import { evaluateWithMessages } from './evaluate.js';
import { parseExpression } from './parser.js';
import type { MathEnv, MathValue, Series } from './types.js';

export const PERIOD = 60;
/** The default range: five periods, [0, 300). */
export const RANGE = { start: 0, end: 300 };

/** A series with one slot per period starting at `start`; null slots have no point. */
export function series(id: string, slots: (number | null)[], start = 0, period = PERIOD): Series {
  const s: Series = { id, label: id.toUpperCase(), timestamps: [], values: [] };
  slots.forEach((v, i) => {
    if (v !== null) {
      s.timestamps.push(start + i * period);
      s.values.push(v);
    }
  });
  return s;
}

/** Back to slots over the default range (or `n` slots), for comparing with AWS's tables. */
export function slots(v: MathValue, n = 5, period = PERIOD): (number | null)[] {
  assert.ok(typeof v === 'object' && !Array.isArray(v), `expected one time series, got ${JSON.stringify(v)}`);
  const out: (number | null)[] = Array.from({ length: n }, () => null);
  v.timestamps.forEach((t, i) => {
    assert.equal(t % period, 0, `timestamp ${t} is off the grid`);
    out[t / period] = v.values[i];
  });
  return out;
}

export interface EnvOptions {
  start?: number;
  end?: number;
  period?: number;
  /** ids that are expressions: read by id but left out of METRICS() */
  expressions?: string[];
}

export function env(vars: Record<string, MathValue>, opts: EnvOptions = {}): MathEnv {
  const expressions = new Set(opts.expressions ?? []);
  return {
    series: (id) => vars[id],
    all: () =>
      Object.entries(vars)
        .filter(([id, v]) => !expressions.has(id) && typeof v === 'object' && !Array.isArray(v))
        .map(([, v]) => v as Series),
    period: opts.period ?? PERIOD,
    start: opts.start ?? RANGE.start,
    end: opts.end ?? RANGE.end,
  };
}

/** Parses and evaluates `text`; the value plus the messages AWS would attach. */
export function run(text: string, vars: Record<string, MathValue> = {}, opts?: EnvOptions) {
  return evaluateWithMessages(parseExpression(text), env(vars, opts));
}

/** Just the value. */
export function value(text: string, vars: Record<string, MathValue> = {}, opts?: EnvOptions): MathValue {
  return run(text, vars, opts).value;
}

/** Asserts that parsing `text` fails with a ValidationError whose message matches `pattern`. */
export function rejects(text: string, pattern?: RegExp): void {
  assert.throws(
    () => parseExpression(text),
    (e: unknown) => {
      assert.ok(isServiceError(e), `expected a ServiceError, got ${String(e)}`);
      assert.equal(e.code, 'ValidationError');
      if (pattern) assert.match(e.message, pattern);
      return true;
    },
    `expected "${text}" to be rejected`,
  );
}
