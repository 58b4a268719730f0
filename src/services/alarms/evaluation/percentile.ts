/**
 * @module services/alarms/evaluation/percentile
 * The low-sample rule for percentile alarms (EvaluateLowSampleCountPercentile).
 *
 * AWS user guide, "Percentile-based alarms and low data samples": for 0.5 <= p < 1.0 a period is
 * low-sample when it has fewer than 10/(1-p) samples (p99: fewer than 1000); for 0 < p < 0.5,
 * fewer than 10/p. With 'ignore' the alarm does not change state while the sample size is low;
 * with 'evaluate' (the default) the percentile is evaluated anyway.
 */

/**
 * The sample count a period needs to be statistically significant for percentile `p` (a
 * fraction), or 0 when the rule does not apply (p <= 0, p >= 1: minimum and maximum need one).
 */
export function lowSampleThreshold(p: number): number {
  if (!(p > 0 && p < 1)) return 0;
  const raw = p >= 0.5 ? 10 / (1 - p) : 10 / p;
  // 10/(1-0.99) is 1000.0000000000009 in binary floating point; without rounding a p99 period
  // with exactly 1000 samples would count as low, against the documented "fewer than 1000".
  return Math.round(raw * 1e6) / 1e6;
}

/** Is a period with `sampleCount` samples low-sample for percentile `p`? Unknown counts are not. */
export function isLowSample(sampleCount: number | undefined, p: number): boolean {
  if (sampleCount === undefined) return false;
  return sampleCount < lowSampleThreshold(p);
}
