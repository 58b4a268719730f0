/**
 * @module services/alarms/evaluation/evaluate
 * One evaluation of a metric alarm: the evaluation range in, the new state and its reason out.
 *
 * Pure: no clock but the `now` it is given, no I/O. The caller fetches
 * `evaluationRangeSize(N)` period slots ending with the last period to have closed, calls this,
 * and on `changed` records the transition and runs the actions.
 */
import { isLowSample } from './percentile.js';
import { decide, normaliseSlots } from './range.js';
import { buildReason, buildReasonData } from './reason.js';
import { renderReasonData } from './format.js';
import type { AlarmEvaluationConfig, AlarmState, EvaluationResult, PeriodSlot } from './types.js';

function checkConfig(config: AlarmEvaluationConfig): void {
  const n = config.evaluationPeriods;
  const m = config.datapointsToAlarm ?? n;
  // PutMetricAlarm validation rejects these; a stored alarm that has them is a bug upstream,
  // and evaluating it would silently produce nonsense states.
  if (!Number.isInteger(n) || n < 1) throw new Error(`evaluationPeriods must be a positive integer, got ${n}`);
  if (!Number.isInteger(m) || m < 1 || m > n) throw new Error(`datapointsToAlarm must be 1..${n}, got ${m}`);
  if (!(config.period > 0)) throw new Error(`period must be positive, got ${config.period}`);
}

/**
 * Evaluate `config` over `slots` (the evaluation range, oldest first; `value: undefined` for a
 * period without data) for an alarm currently in `currentState`.
 */
export function evaluateAlarm(
  config: AlarmEvaluationConfig,
  slots: readonly PeriodSlot[],
  currentState: AlarmState,
  now: Date | number = new Date(),
): EvaluationResult {
  checkConfig(config);
  const nowMillis = typeof now === 'number' ? now : now.getTime();
  const range = normaliseSlots(slots, config.evaluationPeriods, config.period, Math.floor(nowMillis / 1000));
  const verdict = decide(config, range);

  // EvaluateLowSampleCountPercentile=ignore: a percentile computed from too few samples must not
  // move the alarm, in either direction, until the periods it rests on are significant.
  const lowSample = config.evaluateLowSampleCountPercentile === 'ignore'
    && config.percentile !== undefined
    && verdict.points.some((p) => p.real && isLowSample(p.sampleCount, config.percentile as number));

  const reasonData = buildReasonData(config, verdict, nowMillis);
  const reasonDataJson = renderReasonData(reasonData);
  if (verdict.kind === 'retain' || lowSample) {
    return { state: currentState, changed: false, retained: true, reason: '', reasonData, reasonDataJson };
  }
  const state: AlarmState = verdict.kind === 'insufficient' ? 'INSUFFICIENT_DATA' : verdict.state;
  return {
    state,
    changed: state !== currentState,
    retained: false,
    reason: buildReason(config, verdict),
    reasonData,
    reasonDataJson,
  };
}
