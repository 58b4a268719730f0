/**
 * @module services/alarms/model
 * The alarm record, kept in AWS's member names so DescribeAlarms answers the stored
 * configuration as given, plus its conversion to what the payload formats (formats/) and the
 * evaluation (evaluation/) take.
 */
import type { Dimension, MetricDataQuery } from '../../core/metrics/index.js';
import type { AlarmState } from './evaluation/index.js';
import type { AlarmSnapshot, MetricQuery } from './formats/index.js';

export type AlarmKind = 'MetricAlarm' | 'CompositeAlarm';

/** PutMetricAlarm's / PutCompositeAlarm's input, validated (absent members left out). */
export interface AlarmConfig {
  AlarmName: string;
  AlarmDescription?: string;
  ActionsEnabled: boolean;
  OKActions: string[];
  AlarmActions: string[];
  InsufficientDataActions: string[];
  // metric alarms
  MetricName?: string;
  Namespace?: string;
  Statistic?: string;
  ExtendedStatistic?: string;
  Dimensions?: Dimension[];
  Period?: number;
  Unit?: string;
  EvaluationPeriods?: number;
  DatapointsToAlarm?: number;
  Threshold?: number;
  ComparisonOperator?: string;
  TreatMissingData?: string;
  EvaluateLowSampleCountPercentile?: string;
  Metrics?: MetricDataQuery[];
  ThresholdMetricId?: string;
  // composite alarms
  AlarmRule?: string;
  ActionsSuppressor?: string;
  ActionsSuppressorWaitPeriod?: number;
  ActionsSuppressorExtensionPeriod?: number;
}

export interface AlarmStateRecord {
  value: AlarmState;
  reason: string;
  reasonData?: string;
  /** epoch ms */
  updatedAt: number;
  transitionedAt: number;
  suppressedBy?: string;
  suppressedReason?: string;
}

export interface AlarmRecord {
  arn: string;
  accountId: string;
  region: string;
  name: string;
  kind: AlarmKind;
  config: AlarmConfig;
  tags: Array<{ Key: string; Value: string }>;
  state: AlarmStateRecord;
  configUpdatedAt: number;
}

export interface HistoryItem {
  accountId: string;
  region: string;
  alarmName: string;
  alarmType: AlarmKind;
  /** epoch ms */
  timestamp: number;
  itemType: 'ConfigurationUpdate' | 'StateUpdate' | 'Action';
  summary: string;
  /** HistoryData JSON */
  data: string;
}

export function alarmArn(region: string, accountId: string, name: string): string {
  return `arn:aws:cloudwatch:${region}:${accountId}:alarm:${name}`;
}

/** The evaluation period of a metric alarm (a metric-math alarm: its returned query's). */
export function alarmPeriod(c: AlarmConfig): number {
  if (c.Period) return c.Period;
  const ret = c.Metrics?.find((m) => m.ReturnData !== false) ?? c.Metrics?.[0];
  return ret?.Period ?? ret?.MetricStat?.Period ?? 60;
}

function toQuery(m: MetricDataQuery): MetricQuery {
  const q: MetricQuery = { id: m.Id };
  if (m.Expression !== undefined) q.expression = m.Expression;
  if (m.Label !== undefined) q.label = m.Label;
  if (m.ReturnData !== undefined) q.returnData = m.ReturnData;
  if (m.Period !== undefined) q.period = m.Period;
  if (m.MetricStat) {
    q.metricStat = {
      metric: {
        namespace: m.MetricStat.Metric.Namespace ?? '',
        metricName: m.MetricStat.Metric.MetricName ?? '',
        dimensions: (m.MetricStat.Metric.Dimensions ?? []).map((d) => ({ name: d.Name, value: d.Value })),
      },
      period: m.MetricStat.Period,
      stat: m.MetricStat.Stat,
    };
    if (m.MetricStat.Unit) q.metricStat.unit = m.MetricStat.Unit;
  }
  return q;
}

/** What the SNS message and the EventBridge event are rendered from. */
export function snapshot(a: AlarmRecord): AlarmSnapshot {
  const c = a.config;
  const s: AlarmSnapshot = {
    name: a.name,
    arn: a.arn,
    description: c.AlarmDescription ?? null,
    accountId: a.accountId,
    region: a.region,
    actionsEnabled: c.ActionsEnabled,
    okActions: c.OKActions,
    alarmActions: c.AlarmActions,
    insufficientDataActions: c.InsufficientDataActions,
    configurationUpdated: new Date(a.configUpdatedAt),
  };
  if (a.kind === 'CompositeAlarm') {
    s.alarmRule = c.AlarmRule;
    if (c.ActionsSuppressor) {
      s.actionsSuppressor = c.ActionsSuppressor;
      s.actionsSuppressorWaitPeriod = c.ActionsSuppressorWaitPeriod;
      s.actionsSuppressorExtensionPeriod = c.ActionsSuppressorExtensionPeriod;
    }
    return s;
  }
  Object.assign(s, {
    namespace: c.Namespace,
    metricName: c.MetricName,
    dimensions: c.Dimensions?.map((d) => ({ name: d.Name, value: d.Value })),
    statistic: c.Statistic,
    extendedStatistic: c.ExtendedStatistic,
    period: c.Period,
    unit: c.Unit,
    threshold: c.Threshold,
    comparisonOperator: c.ComparisonOperator,
    evaluationPeriods: c.EvaluationPeriods,
    datapointsToAlarm: c.DatapointsToAlarm,
    treatMissingData: c.TreatMissingData,
    evaluateLowSampleCountPercentile: c.EvaluateLowSampleCountPercentile,
  });
  if (c.Metrics) s.metrics = c.Metrics.map(toQuery);
  if (c.ThresholdMetricId) s.thresholdMetricId = c.ThresholdMetricId;
  for (const k of Object.keys(s) as Array<keyof AlarmSnapshot>) if (s[k] === undefined) delete s[k];
  return s;
}

/** DescribeAlarms' MetricAlarm / CompositeAlarm member. */
export function describeAlarm(a: AlarmRecord): Record<string, unknown> {
  const c = a.config;
  const out: Record<string, unknown> = {
    AlarmName: a.name,
    AlarmArn: a.arn,
  };
  if (c.AlarmDescription !== undefined) out.AlarmDescription = c.AlarmDescription;
  out.AlarmConfigurationUpdatedTimestamp = new Date(a.configUpdatedAt);
  out.ActionsEnabled = c.ActionsEnabled;
  out.OKActions = c.OKActions;
  out.AlarmActions = c.AlarmActions;
  out.InsufficientDataActions = c.InsufficientDataActions;
  out.StateValue = a.state.value;
  out.StateReason = a.state.reason;
  if (a.state.reasonData !== undefined) out.StateReasonData = a.state.reasonData;
  out.StateUpdatedTimestamp = new Date(a.state.updatedAt);
  out.StateTransitionedTimestamp = new Date(a.state.transitionedAt);
  if (a.kind === 'CompositeAlarm') {
    out.AlarmRule = c.AlarmRule;
    if (c.ActionsSuppressor) {
      out.ActionsSuppressor = c.ActionsSuppressor;
      out.ActionsSuppressorWaitPeriod = c.ActionsSuppressorWaitPeriod;
      out.ActionsSuppressorExtensionPeriod = c.ActionsSuppressorExtensionPeriod;
    }
    if (a.state.suppressedBy) {
      out.ActionsSuppressedBy = a.state.suppressedBy;
      out.ActionsSuppressedReason = a.state.suppressedReason;
    }
    return out;
  }
  for (const k of ['MetricName', 'Namespace', 'Statistic', 'ExtendedStatistic', 'Dimensions', 'Period', 'Unit', 'EvaluationPeriods',
    'DatapointsToAlarm', 'Threshold', 'ComparisonOperator', 'TreatMissingData', 'EvaluateLowSampleCountPercentile', 'Metrics', 'ThresholdMetricId'] as const) {
    if (c[k] !== undefined) out[k] = c[k];
  }
  if (!out.Dimensions && !c.Metrics) out.Dimensions = [];
  return out;
}
