/**
 * @module services/alarms/formats/sns
 * The SNS notification CloudWatch publishes when an alarm with an SNS action changes state:
 * the `Subject` and the JSON `Message`.
 *
 * Field order and spellings follow captured messages (see the tests for the captures):
 * - metric alarms: AlarmName, AlarmDescription (`null` when unset), AWSAccountId,
 *   AlarmConfigurationUpdatedTimestamp, NewStateValue, NewStateReason, StateChangeTime, Region
 *   (long name), AlarmArn, OldStateValue, the three action lists, then `Trigger`;
 * - composite alarms: no AlarmConfigurationUpdatedTimestamp, and the action lists come
 *   *before* OldStateValue, followed by AlarmRule and TriggeringChildren;
 * - Trigger of a single-metric alarm: MetricName, Namespace, StatisticType, Statistic
 *   (upper snake case) or ExtendedStatistic, Unit (`null` when unset), Dimensions
 *   (`[{value, name}]`, value first), Period, EvaluationPeriods, DatapointsToAlarm (when set),
 *   ComparisonOperator, Threshold (Java double), TreatMissingData and
 *   EvaluateLowSampleCountPercentile (`""` when unset);
 * - Trigger of a metric-math alarm: Period, EvaluationPeriods, DatapointsToAlarm,
 *   ComparisonOperator, Threshold or ThresholdMetricId, TreatMissingData,
 *   EvaluateLowSampleCountPercentile, then Metrics in the model's casing.
 */
import { alarmKind, type AlarmSnapshot, type Dimension, type MetricQuery, type StateChange } from './types.js';
import { cwTimestamp, javaDouble, RawJson, regionDisplayName, writeJson } from './wire.js';

/** SNS refuses subjects longer than 100 characters; CloudWatch shortens the name to fit. */
export const SUBJECT_MAX = 100;

/**
 * `ALARM: "HighCPU" in US East (N. Virginia)`. Characters outside printable ASCII become `_`
 * (captured: `Sesión` → `Sesi_n`), because SNS subjects must be ASCII; a name that does not
 * fit is cut and ends with `...` inside the quotes, so the subject is exactly 100 characters
 * (captured with a CDK-generated name in us-east-1).
 */
export function alarmSnsSubject(alarmName: string, newState: string, region: string): string {
  const name = alarmName.replace(/[^\x20-\x7e]+/g, '_');
  const head = `${newState}: "`;
  const tail = `" in ${regionDisplayName(region)}`;
  const budget = SUBJECT_MAX - head.length - tail.length;
  const fitted = name.length <= budget ? name : `${name.slice(0, Math.max(0, budget - 3))}...`;
  return head + fitted + tail;
}

const STATISTIC_NAMES: Record<string, string> = {
  SampleCount: 'SAMPLE_COUNT',
  Average: 'AVERAGE',
  Sum: 'SUM',
  Minimum: 'MINIMUM',
  Maximum: 'MAXIMUM',
};

const snsDimensions = (dims: Dimension[] | undefined) => (dims ?? []).map((d) => ({ value: d.value, name: d.name }));

/** The settings every metric alarm Trigger ends with, in the captured order. */
function evaluationFields(a: AlarmSnapshot): Record<string, unknown> {
  return {
    EvaluationPeriods: a.evaluationPeriods,
    DatapointsToAlarm: a.datapointsToAlarm,
    ComparisonOperator: a.comparisonOperator,
    Threshold: a.thresholdMetricId === undefined && a.threshold !== undefined ? new RawJson(javaDouble(a.threshold)) : undefined,
    ThresholdMetricId: a.thresholdMetricId,
    TreatMissingData: a.treatMissingData ?? '',
    EvaluateLowSampleCountPercentile: a.evaluateLowSampleCountPercentile ?? '',
  };
}

function metricTrigger(a: AlarmSnapshot): Record<string, unknown> {
  const extended = a.statistic === undefined && a.extendedStatistic !== undefined;
  return {
    MetricName: a.metricName,
    Namespace: a.namespace,
    StatisticType: extended ? 'ExtendedStatistic' : 'Statistic',
    Statistic: extended ? undefined : STATISTIC_NAMES[a.statistic ?? ''] ?? a.statistic?.toUpperCase(),
    ExtendedStatistic: extended ? a.extendedStatistic : undefined,
    Unit: a.unit ?? null,
    Dimensions: snsDimensions(a.dimensions),
    Period: a.period,
    ...evaluationFields(a),
  };
}

/** A MetricDataQuery in the model's casing; CloudWatch keeps `AccountId` last. */
function snsQuery(q: MetricQuery): Record<string, unknown> {
  const ms = q.metricStat;
  return {
    Expression: q.expression,
    Id: q.id,
    Label: q.label,
    MetricStat: ms && {
      Metric: { Dimensions: snsDimensions(ms.metric.dimensions), MetricName: ms.metric.metricName, Namespace: ms.metric.namespace },
      Period: ms.period,
      Stat: ms.stat,
      Unit: ms.unit,
    },
    Period: q.period,
    ReturnData: q.returnData ?? true,
    AccountId: q.accountId,
  };
}

/**
 * The period shown for a metric-math alarm: the alarm's own when given, else the period of the
 * query whose result is alarmed on (ReturnData), else the first metric's.
 */
export function mathPeriod(a: AlarmSnapshot): number | undefined {
  if (a.period !== undefined) return a.period;
  const qs = a.metrics ?? [];
  const watched = qs.find((q) => q.returnData !== false && q.id !== a.thresholdMetricId) ?? qs[0];
  return watched?.period ?? watched?.metricStat?.period ?? qs.find((q) => q.metricStat)?.metricStat?.period;
}

function mathTrigger(a: AlarmSnapshot): Record<string, unknown> {
  return { Period: mathPeriod(a), ...evaluationFields(a), Metrics: (a.metrics ?? []).map(snsQuery) };
}

interface TriggeringAlarm {
  arn?: unknown;
  state?: { value?: unknown; timestamp?: unknown };
}

/** TriggeringChildren are the `triggeringAlarms` of the composite's StateReasonData. */
export function triggeringChildren(reasonData: string | undefined): Array<{ Arn: string; State: { Value: string; Timestamp: string } }> {
  if (!reasonData) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(reasonData);
  } catch {
    return []; // SetAlarmState data is the caller's JSON, not necessarily ours
  }
  const list = (parsed as { triggeringAlarms?: unknown } | null)?.triggeringAlarms;
  if (!Array.isArray(list)) return [];
  return list
    .filter((t: TriggeringAlarm) => typeof t?.arn === 'string')
    .map((t: TriggeringAlarm) => ({ Arn: String(t.arn), State: { Value: String(t.state?.value ?? ''), Timestamp: String(t.state?.timestamp ?? '') } }));
}

/** The `Message` of the SNS notification, as the exact JSON string CloudWatch publishes. */
export function alarmSnsMessage(a: AlarmSnapshot, c: StateChange): string {
  const kind = alarmKind(a);
  const head = {
    AlarmName: a.name,
    AlarmDescription: a.description ?? null,
    AWSAccountId: a.accountId,
    AlarmConfigurationUpdatedTimestamp: kind === 'composite' ? undefined : cwTimestamp(a.configurationUpdated),
    NewStateValue: c.newValue,
    NewStateReason: c.reason,
    StateChangeTime: cwTimestamp(c.timestamp),
    Region: regionDisplayName(a.region),
    AlarmArn: a.arn,
  };
  const actions = { OKActions: a.okActions, AlarmActions: a.alarmActions, InsufficientDataActions: a.insufficientDataActions };
  if (kind === 'composite') {
    return writeJson({
      ...head,
      ...actions,
      OldStateValue: c.oldValue,
      AlarmRule: a.alarmRule,
      TriggeringChildren: triggeringChildren(c.reasonData),
    });
  }
  return writeJson({
    ...head,
    OldStateValue: c.oldValue,
    ActionExecutedAfterMuteWindow: c.actionExecutedAfterMuteWindow,
    ...actions,
    Trigger: kind === 'math' ? mathTrigger(a) : metricTrigger(a),
  });
}
