/**
 * @module services/alarms/evaluation
 * CloudWatch metric-alarm evaluation as AWS documents it: the evaluation range, M out of N,
 * TreatMissingData, the premature-alarm rule, low-sample percentiles, and the StateReason /
 * StateReasonData CloudWatch writes. Pure functions only; scheduling, storage and actions live
 * with the caller.
 */
export { evaluateAlarm } from './evaluate.js';
export { evaluationRangeSize } from './range.js';
export { breaches, canDecideEarly, isStaticOperator, operatorPhrase } from './compare.js';
export { isLowSample, lowSampleThreshold } from './percentile.js';
export { cloudWatchTimestamp, javaDouble, reasonDate, renderReasonData } from './format.js';
export type {
  AlarmEvaluationConfig,
  AlarmState,
  ComparisonOperator,
  EvaluatedDatapoint,
  EvaluationResult,
  PeriodSlot,
  ReasonData,
  StaticComparisonOperator,
  TreatMissingData,
} from './types.js';
