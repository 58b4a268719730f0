/**
 * @module services/alarms/evaluation/compare
 * Threshold comparison, the words CloudWatch uses for each operator, and which statistics let a
 * still-open period decide a breach before it closes.
 */
import type { ComparisonOperator, StaticComparisonOperator } from './types.js';

const PHRASES: Record<StaticComparisonOperator, string> = {
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  GreaterThanThreshold: 'greater than',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

export function isStaticOperator(op: ComparisonOperator): op is StaticComparisonOperator {
  return Object.prototype.hasOwnProperty.call(PHRASES, op);
}

function requireStatic(op: ComparisonOperator): StaticComparisonOperator {
  if (!isStaticOperator(op)) {
    // Band operators need the band's value per period, which a static evaluation does not have.
    throw new Error(`comparison operator ${op} has no static threshold to compare against`);
  }
  return op;
}

/** Does `value` breach `threshold` under `op`? */
export function breaches(value: number, op: ComparisonOperator, threshold: number): boolean {
  switch (requireStatic(op)) {
    case 'GreaterThanOrEqualToThreshold': return value >= threshold;
    case 'GreaterThanThreshold': return value > threshold;
    case 'LessThanThreshold': return value < threshold;
    case 'LessThanOrEqualToThreshold': return value <= threshold;
  }
}

/** "greater than or equal to", as in "... was greater than or equal to the threshold (1.0)". */
export function operatorPhrase(op: ComparisonOperator): string {
  return PHRASES[requireStatic(op)];
}

/** 'SampleCount', 'SAMPLE_COUNT' and 'samplecount' are one statistic. */
function normalise(statistic: string): string {
  return statistic.replace(/_/g, '').toLowerCase();
}

/**
 * Can the value of a period that is still open already settle a breach, for good?
 *
 * Only when more data can only push the statistic further across the threshold: Sum,
 * SampleCount and Maximum never decrease as samples arrive, so once they are above (or at) a
 * GreaterThan* threshold they stay there; Minimum never increases, so the same holds for
 * LessThan*. Sum is monotone only for non-negative samples — true of the counters alarms on a
 * partial period are useful for; a caller publishing negative values should not decide early.
 * Average, percentiles and the rest can move either way, so they must wait for the period.
 */
export function canDecideEarly(statistic: string, op: ComparisonOperator): boolean {
  if (!isStaticOperator(op)) return false;
  const stat = normalise(statistic);
  const upward = op === 'GreaterThanThreshold' || op === 'GreaterThanOrEqualToThreshold';
  if (upward) return stat === 'sum' || stat === 'samplecount' || stat === 'maximum';
  return stat === 'minimum';
}
