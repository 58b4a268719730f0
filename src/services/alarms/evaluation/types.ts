/**
 * @module services/alarms/evaluation/types
 * The shapes the evaluator reads and returns. Member names follow the PutMetricAlarm members
 * they come from, in camelCase, so a caller maps an alarm row onto them one to one.
 */

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** The four static operators this module evaluates. */
export type StaticComparisonOperator =
  | 'GreaterThanOrEqualToThreshold'
  | 'GreaterThanThreshold'
  | 'LessThanThreshold'
  | 'LessThanOrEqualToThreshold';

/**
 * Open on purpose: the anomaly-band operators (`LessThanLowerOrGreaterThanUpperThreshold`, …) are
 * valid alarm configuration, but they compare against a band, not a number, so `breaches` refuses
 * them and the caller decides whether to reject the alarm or evaluate it elsewhere.
 */
export type ComparisonOperator = StaticComparisonOperator | (string & {});

export type TreatMissingData = 'missing' | 'ignore' | 'breaching' | 'notBreaching';

export interface AlarmEvaluationConfig {
  /** seconds */
  period: number;
  /** N */
  evaluationPeriods: number;
  /**
   * M. Leave it undefined when the alarm was created without DatapointsToAlarm: M is then N, and
   * CloudWatch words its reasons the pre-"M out of N" way ("1 datapoint [...] was ...") — see
   * `reason.ts`.
   */
  datapointsToAlarm?: number;
  threshold: number;
  comparisonOperator: ComparisonOperator;
  /** default 'missing' */
  treatMissingData?: TreatMissingData;
  /** undefined behaves as 'evaluate' */
  evaluateLowSampleCountPercentile?: 'evaluate' | 'ignore';
  /** percentile alarms only: the fraction, 0.99 for p99 (drives the low-sample rule) */
  percentile?: number;
  /** the label written into reasonData.statistic: "Sum", "Average", "p99", … */
  statistic: string;
  unit?: string;
  /** AWS/DynamoDB alarms always treat missing data as 'ignore', whatever they were given */
  namespace?: string;
}

/** One period of the evaluation range. */
export interface PeriodSlot {
  /** epoch seconds of the period's start */
  timestamp: number;
  /** the period's statistic; undefined (or NaN) when the period had no data */
  value: number | undefined;
  sampleCount?: number;
}

/** One entry of reasonData.evaluatedDatapoints; a missing period carries its timestamp only. */
export interface EvaluatedDatapoint {
  timestamp: string;
  sampleCount?: number;
  value?: number;
}

/**
 * StateReasonData as CloudWatch writes it. Key order is the wire order; `renderReasonData`
 * turns it into the exact JSON string (numbers the Java way: `1.0`, not `1`).
 */
export interface ReasonData {
  version: '1.0';
  queryDate: string;
  startDate?: string;
  unit?: string;
  statistic: string;
  period: number;
  recentDatapoints: number[];
  threshold: number;
  evaluatedDatapoints: EvaluatedDatapoint[];
}

export interface EvaluationResult {
  /** the state after this evaluation (the current one when `retained`) */
  state: AlarmState;
  changed: boolean;
  /**
   * The rules said "retain current state" (TreatMissingData 'ignore' without enough data, or a
   * low-sample percentile period with EvaluateLowSampleCountPercentile 'ignore'). Nothing about
   * the alarm changes: `reason` is '' and the caller keeps the stored reason and data.
   */
  retained: boolean;
  reason: string;
  reasonData: ReasonData;
  /** `reasonData` serialised exactly as StateReasonData */
  reasonDataJson: string;
}
