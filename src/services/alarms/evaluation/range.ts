/**
 * @module services/alarms/evaluation/range
 * Which datapoints of the evaluation range CloudWatch evaluates, and the verdict they give.
 *
 * AWS user guide, "How alarm state is evaluated when data is missing" (rules and two example
 * tables, both reproduced cell by cell in tables.test.ts):
 *  1. no period of the range is missing → the N most recent datapoints;
 *  2. some are missing but the range holds at least N real datapoints → the N most recent real
 *     ones; TreatMissingData is not consulted;
 *  3. fewer than N real datapoints → every real datapoint plus as few missing periods as needed
 *     to make N (the most recent missing ones), treated per TreatMissingData.
 * With 'missing' and 'ignore' the filled periods stay unknown: M breaching real datapoints
 * still alarm, a single non-breaching real datapoint makes the alarm OK (table 2, `0 - X - -`),
 * and when every real datapoint breaches but there are fewer than M of them the data cannot
 * decide. Then 'ignore' retains the current state, and 'missing' applies the premature-alarm
 * rule: ALARM when the oldest breaching datapoint is at least M periods old (`- - X - -`, M=3),
 * otherwise INSUFFICIENT_DATA (`- - - - X` — the older guide's table listed that row as
 * "Insufficient data"), because the next datapoint could still be non-breaching.
 */
import { breaches } from './compare.js';
import type { AlarmEvaluationConfig, PeriodSlot, TreatMissingData } from './types.js';

/**
 * How many periods CloudWatch fetches for an alarm with N evaluation periods: N + 2.
 *
 * AWS documents only that the range is larger than N and depends on the period and resolution;
 * its only worked examples use N=3 and a range of 5, for M=3 and for M=2 alike, so the range does
 * not depend on M (the parameter is accepted for callers that pass the pair). N + 2 fits those
 * tables, the report that an N=1 `breaching` alarm needs about three silent periods to fire
 * (stackoverflow 72093282), and a 2-period, 900 s `breaching` alarm observed firing about four
 * periods (62 minutes) after its last datapoint. 2N-1 would also give 5 for N=3 but a range of 1
 * for N=1, which contradicts the first report.
 */
export function evaluationRangeSize(evaluationPeriods: number, _datapointsToAlarm?: number): number {
  return evaluationPeriods + 2;
}

/** One datapoint as the evaluator saw it. */
export interface EvaluatedPoint {
  /** epoch seconds of the period's start */
  timestamp: number;
  /** true for a period that had data */
  real: boolean;
  value?: number;
  sampleCount?: number;
  /** judged breaching or not; undefined for a missing period that stays unknown */
  breaching: boolean | undefined;
}

export type Verdict =
  /** `filled` missing periods were counted as `fillAs` */
  | { kind: 'state'; state: 'OK' | 'ALARM'; points: EvaluatedPoint[]; filled: number; fillAs?: 'breaching' | 'notBreaching' }
  /** `unknown` of the evaluated periods had no data and nothing decided the state */
  | { kind: 'insufficient'; points: EvaluatedPoint[]; unknown: number }
  | { kind: 'retain'; points: EvaluatedPoint[] };

export function isReal(slot: PeriodSlot): slot is PeriodSlot & { value: number } {
  return slot.value !== undefined && !Number.isNaN(slot.value);
}

/** Effective TreatMissingData: AWS/DynamoDB alarms always ignore missing data. */
export function missingDataTreatment(config: AlarmEvaluationConfig): TreatMissingData {
  if (config.namespace === 'AWS/DynamoDB') return 'ignore';
  return config.treatMissingData ?? 'missing';
}

/**
 * The slots oldest first, with missing periods added before the oldest one when the caller gave
 * fewer than N, so that rule 3 always has periods to fill.
 */
export function normaliseSlots(
  slots: readonly PeriodSlot[], n: number, period: number, nowSeconds: number,
): PeriodSlot[] {
  const sorted = [...slots].sort((a, b) => a.timestamp - b.timestamp);
  while (sorted.length < n) {
    // With no slots at all, the newest period is the last one to have closed before now.
    const next = sorted.length > 0 ? sorted[0].timestamp : Math.floor(nowSeconds / period) * period;
    sorted.unshift({ timestamp: next - period, value: undefined });
  }
  return sorted;
}

function realPoint(slot: PeriodSlot & { value: number }, config: AlarmEvaluationConfig): EvaluatedPoint {
  return {
    timestamp: slot.timestamp,
    real: true,
    value: slot.value,
    ...(slot.sampleCount !== undefined ? { sampleCount: slot.sampleCount } : {}),
    breaching: breaches(slot.value, config.comparisonOperator, config.threshold),
  };
}

const missingPoint = (slot: PeriodSlot, breaching: boolean | undefined): EvaluatedPoint =>
  ({ timestamp: slot.timestamp, real: false, breaching });

const byTime = (a: EvaluatedPoint, b: EvaluatedPoint): number => a.timestamp - b.timestamp;
const count = (points: EvaluatedPoint[], breaching: boolean): number =>
  points.filter((p) => p.real && p.breaching === breaching).length;

/**
 * Apply the three rules to a normalised range (oldest first, at least N slots). Points in the
 * verdict are oldest first.
 */
export function decide(config: AlarmEvaluationConfig, range: PeriodSlot[]): Verdict {
  const n = config.evaluationPeriods;
  const m = config.datapointsToAlarm ?? n;
  const real = range.filter(isReal).map((slot) => realPoint(slot, config));

  if (real.length >= n) {
    // Rules 1 and 2: the N most recent real datapoints, gaps or not.
    const points = real.slice(-n);
    return { kind: 'state', state: count(points, true) >= m ? 'ALARM' : 'OK', points, filled: 0 };
  }

  // Rule 3: fill only as many periods as N needs, the most recent missing ones.
  const toFill = range.filter((slot) => !isReal(slot)).slice(-(n - real.length));
  const treatment = missingDataTreatment(config);

  if (treatment === 'breaching' || treatment === 'notBreaching') {
    const fillBreaching = treatment === 'breaching';
    const points = [...real, ...toFill.map((slot) => missingPoint(slot, fillBreaching))].sort(byTime);
    const breachingCount = count(real, true) + (fillBreaching ? toFill.length : 0);
    return {
      kind: 'state', state: breachingCount >= m ? 'ALARM' : 'OK',
      points, filled: toFill.length, fillAs: treatment,
    };
  }

  // 'missing' and 'ignore': the filled periods stay unknown.
  const points = [...real, ...toFill.map((slot) => missingPoint(slot, undefined))].sort(byTime);
  if (real.length === 0) {
    return treatment === 'ignore' ? { kind: 'retain', points } : { kind: 'insufficient', points, unknown: toFill.length };
  }
  if (count(real, true) >= m) return { kind: 'state', state: 'ALARM', points, filled: 0 };
  if (count(real, false) > 0) return { kind: 'state', state: 'OK', points, filled: 0 };

  // Every real datapoint breaches, but fewer than M: the data cannot decide yet.
  if (treatment === 'ignore') return { kind: 'retain', points };
  return prematureAlarm(range, m)
    ? { kind: 'state', state: 'ALARM', points, filled: 0 }
    : { kind: 'insufficient', points, unknown: toFill.length };
}

/**
 * The premature-alarm rule: is the oldest breaching datapoint at least M periods old, counting
 * the newest period of the range as 1? (Only called when every real datapoint breaches, so
 * "all more recent datapoints are breaching or missing" already holds.)
 */
function prematureAlarm(range: PeriodSlot[], m: number): boolean {
  const oldest = range.findIndex(isReal);
  return oldest >= 0 && range.length - oldest >= m;
}
