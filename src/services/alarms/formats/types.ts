/**
 * @module services/alarms/formats/types
 * Plain inputs of the alarm renderers: a snapshot of the alarm's configuration and the state
 * change being announced. They are deliberately free of store or model types, so that the
 * evaluator, SetAlarmState and tests can all build them.
 *
 * Which kind of alarm a snapshot describes follows from what it carries: `alarmRule` makes a
 * composite alarm, `metrics` a metric-math (or anomaly-detection) alarm, and otherwise
 * `namespace`/`metricName` a single-metric alarm.
 */

export type StateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface Dimension {
  name: string;
  value: string;
}

/** One `MetricDataQuery` of a metric-math alarm (PutMetricAlarm `Metrics`). */
export interface MetricQuery {
  id: string;
  expression?: string;
  label?: string;
  returnData?: boolean;
  /** the query's own period (expressions) */
  period?: number;
  accountId?: string;
  metricStat?: {
    metric: { namespace: string; metricName: string; dimensions?: Dimension[] };
    period: number;
    stat: string;
    unit?: string;
  };
}

export interface AlarmSnapshot {
  name: string;
  arn: string;
  /** absent and `null` both mean "no description" (rendered `null` in the SNS message) */
  description?: string | null;
  accountId: string;
  region: string;

  // single-metric alarms
  namespace?: string;
  metricName?: string;
  dimensions?: Dimension[];
  /** SampleCount | Average | Sum | Minimum | Maximum */
  statistic?: string;
  /** p99, tm90, IQM… (instead of `statistic`) */
  extendedStatistic?: string;
  period?: number;
  unit?: string;

  // metric-math and anomaly-detection alarms
  metrics?: MetricQuery[];
  /** anomaly-detection band id; such alarms have no `threshold` */
  thresholdMetricId?: string;

  // evaluation settings (metric alarms)
  threshold?: number;
  comparisonOperator?: string;
  evaluationPeriods?: number;
  datapointsToAlarm?: number;
  treatMissingData?: string;
  evaluateLowSampleCountPercentile?: string;

  // composite alarms
  alarmRule?: string;
  actionsSuppressor?: string;
  actionsSuppressorWaitPeriod?: number;
  actionsSuppressorExtensionPeriod?: number;

  actionsEnabled: boolean;
  okActions: string[];
  alarmActions: string[];
  insufficientDataActions: string[];
  /** AlarmConfigurationUpdatedTimestamp */
  configurationUpdated: Date;
}

export interface StateChange {
  oldValue: StateValue;
  newValue: StateValue;
  reason: string;
  /** StateReasonData: a JSON string, as stored (absent for SetAlarmState without data) */
  reasonData?: string;
  timestamp: Date;
  /** the previous state's reason, data and time (EventBridge `previousState`) */
  oldReason?: string;
  oldReasonData?: string;
  oldTimestamp?: Date;
  /** composite alarms whose actions are held back: WaitPeriod | ExtensionPeriod | Alarm */
  actionsSuppressedBy?: string;
  actionsSuppressedReason?: string;
  /**
   * Messages since alarm mute rules (late 2025) carry `ActionExecutedAfterMuteWindow`; earlier
   * captures do not. Rendered only when set.
   */
  actionExecutedAfterMuteWindow?: boolean;
}

export type AlarmKind = 'metric' | 'math' | 'composite';

export function alarmKind(a: AlarmSnapshot): AlarmKind {
  if (a.alarmRule !== undefined) return 'composite';
  if (a.metrics && a.metrics.length > 0) return 'math';
  return 'metric';
}
