/**
 * @module services/alarms/evaluation/helpers.test
 * Shared set-up for this folder's tests (named *.test.ts so the build leaves it out; it holds no
 * tests itself): evaluation ranges written the way the AWS guide draws them.
 */
import type { AlarmEvaluationConfig, PeriodSlot } from './types.js';

/** 2026-11-22T10:00:00Z, the start of the newest period in every pattern. */
export const NEWEST = Date.UTC(2026, 10, 22, 10, 0, 0) / 1000;
/** 2026-11-22T10:01:02.345Z */
export const NOW = Date.UTC(2026, 10, 22, 10, 1, 2, 345);

export const BREACHING_VALUE = 5;
export const OK_VALUE = 0;

/**
 * `'0 - X - X'`, most recent on the right as in the guide: `0` a non-breaching datapoint, `X` a
 * breaching one, `-` a missing period. Against `config()` (>= 1.0) `0` is 0.0 and `X` is 5.0.
 */
export function pattern(text: string, period = 60, newest = NEWEST): PeriodSlot[] {
  const marks = text.trim().split(/\s+/);
  return marks.map((mark, i) => {
    const timestamp = newest - (marks.length - 1 - i) * period;
    if (mark === '-') return { timestamp, value: undefined };
    if (mark === 'X') return { timestamp, value: BREACHING_VALUE, sampleCount: 1 };
    if (mark === '0') return { timestamp, value: OK_VALUE, sampleCount: 1 };
    throw new Error(`unknown mark ${mark}`);
  });
}

export function config(overrides: Partial<AlarmEvaluationConfig> = {}): AlarmEvaluationConfig {
  return {
    period: 60,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    threshold: 1,
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
    treatMissingData: 'missing',
    statistic: 'Sum',
    ...overrides,
  };
}

/** One slot per value, oldest first, ending at `newest`; `undefined` for a missing period. */
export function series(values: (number | undefined)[], period = 60, newest = NEWEST): PeriodSlot[] {
  return values.map((value, i) => ({
    timestamp: newest - (values.length - 1 - i) * period,
    value,
    ...(value === undefined ? {} : { sampleCount: 1 }),
  }));
}
