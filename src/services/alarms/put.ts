/**
 * @module services/alarms/put
 * PutMetricAlarm and PutCompositeAlarm input → a validated AlarmConfig, with CloudWatch's codes
 * and wording. Metric specifications (ExtendedStatistic, the Metrics array of a metric-math
 * alarm) are checked by the metrics service through core/metrics, exactly as GetMetricData
 * checks them.
 */
import { parseArn } from '../../core/arn.js';
import { awsError } from '../../core/errors.js';
import type { Dimension, MetricDataQuery, MetricsHub } from '../../core/metrics/index.js';
import { parseAlarmRule, ruleAlarmRefs } from './composite/index.js';
import type { AlarmConfig } from './model.js';

type Input = Record<string, unknown>;

const invalid = (msg: string) => awsError('ValidationError', msg);
const STATISTICS = new Set(['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum']);
const OPERATORS = new Set(['GreaterThanOrEqualToThreshold', 'GreaterThanThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold']);
const BAND_OPERATORS = new Set(['LessThanLowerOrGreaterThanUpperThreshold', 'LessThanLowerThreshold', 'GreaterThanUpperThreshold']);
const TREAT_MISSING = new Set(['missing', 'ignore', 'breaching', 'notBreaching']);
const NAME_MAX = 255;
const ACTIONS_MAX = 5;
const TAGS_MAX = 50;

function str(v: unknown): string | undefined {
  return v === undefined || v === null ? undefined : String(v);
}

function required(v: unknown, name: string): string {
  const s = str(v);
  if (s === undefined || s === '') throw awsError('MissingParameter', `The parameter ${name} is required.`);
  return s;
}

function int(v: unknown, name: string, min: number): number | undefined {
  if (v === undefined || v === null) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw invalid(`The value ${String(v)} for parameter ${name} must be an integer of at least ${min}.`);
  return n;
}

function alarmName(v: unknown): string {
  const name = required(v, 'AlarmName');
  if (name.length > NAME_MAX) throw invalid(`The parameter AlarmName must be no longer than ${NAME_MAX} characters.`);
  return name;
}

/** SNS topics and functions are run; other action kinds (EC2, Auto Scaling, SSM) are refused. */
function actions(v: unknown, name: string, region: string): string[] {
  const list = Array.isArray(v) ? v.map(String) : [];
  if (list.length > ACTIONS_MAX) throw invalid(`The collection ${name} must not have a size greater than ${ACTIONS_MAX}.`);
  for (const arn of list) {
    const a = parseArn(arn);
    if (!a) throw invalid(`Invalid arn syntax: ${arn}`);
    const runnable = (a.service === 'sns' && a.resource !== '' && !a.resource.includes(':')) || (a.service === 'lambda' && a.resource.startsWith('function:'));
    if (!runnable) throw invalid(`Signalbox runs SNS topic and Lambda function actions only; ${name} contains ${arn}`);
    if (a.region !== region) throw invalid(`Invalid region ${a.region} specified. Only ${region} is supported.`);
  }
  return list;
}

function tags(v: unknown): Array<{ Key: string; Value: string }> {
  const list = Array.isArray(v) ? (v as Input[]) : [];
  if (list.length > TAGS_MAX) throw invalid(`The collection Tags must not have a size greater than ${TAGS_MAX}.`);
  return list.map((t, i) => ({ Key: required(t.Key, `Tags.member.${i + 1}.Key`), Value: str(t.Value) ?? '' }));
}

function common(input: Input, region: string): Pick<AlarmConfig, 'AlarmName' | 'AlarmDescription' | 'ActionsEnabled' | 'OKActions' | 'AlarmActions' | 'InsufficientDataActions'> {
  const c: ReturnType<typeof common> = {
    AlarmName: alarmName(input.AlarmName),
    ActionsEnabled: input.ActionsEnabled === undefined || input.ActionsEnabled === null ? true : input.ActionsEnabled === true || input.ActionsEnabled === 'true',
    OKActions: actions(input.OKActions, 'OKActions', region),
    AlarmActions: actions(input.AlarmActions, 'AlarmActions', region),
    InsufficientDataActions: actions(input.InsufficientDataActions, 'InsufficientDataActions', region),
  };
  const description = str(input.AlarmDescription);
  if (description !== undefined) {
    if (description.length > 1024) throw invalid('The parameter AlarmDescription must be no longer than 1024 characters.');
    c.AlarmDescription = description;
  }
  return c;
}

function checkPeriod(p: number, evaluationPeriods: number, name: string): void {
  if (p < 60 ? ![10, 20, 30].includes(p) : p % 60 !== 0) throw invalid('Period must be 10, 20, 30 or a multiple of 60');
  const span = p * evaluationPeriods;
  if (p < 3600 && span > 86400) throw invalid(`The evaluation period with ${name} ${p} and EvaluationPeriods ${evaluationPeriods} must not exceed 1 day (86400 seconds).`);
  if (span > 604800) throw invalid(`The evaluation period with ${name} ${p} and EvaluationPeriods ${evaluationPeriods} must not exceed 7 days (604800 seconds).`);
}

/** The fraction of a pNN extended statistic (for the low-sample rule), else undefined. */
export function percentileOf(stat: string | undefined): number | undefined {
  const m = stat ? /^p(\d{1,3}(?:\.\d{1,2})?)$/.exec(stat) : null;
  return m ? Number(m[1]) / 100 : undefined;
}

export function readMetricAlarm(input: Input, region: string, metrics: MetricsHub): { config: AlarmConfig; tags: Array<{ Key: string; Value: string }> } {
  const c: AlarmConfig = common(input, region);
  const evaluationPeriods = int(input.EvaluationPeriods, 'EvaluationPeriods', 1);
  if (evaluationPeriods === undefined) throw awsError('MissingParameter', 'The parameter EvaluationPeriods is required.');
  c.EvaluationPeriods = evaluationPeriods;
  const op = required(input.ComparisonOperator, 'ComparisonOperator');
  if (BAND_OPERATORS.has(op)) throw invalid(`Signalbox does not evaluate anomaly detection bands (ComparisonOperator ${op}).`);
  if (!OPERATORS.has(op)) throw invalid(`The value ${op} for parameter ComparisonOperator is not valid.`);
  c.ComparisonOperator = op;
  const metricsList = Array.isArray(input.Metrics) ? (input.Metrics as Input[]) : [];
  const single = ['MetricName', 'Namespace', 'Statistic', 'ExtendedStatistic', 'Period', 'Dimensions', 'Unit'].filter((k) => input[k] !== undefined && input[k] !== null && !(Array.isArray(input[k]) && (input[k] as unknown[]).length === 0));
  if (metricsList.length > 0) {
    // AWS: ValidationError "Statistic should not be set if list of Metrics is set."
    if (single.length > 0) throw invalid(`${single[0]} should not be set if list of Metrics is set.`);
    if (metricsList.length > 10) throw invalid('The collection Metrics must not have a size greater than 10.');
    const queries: MetricDataQuery[] = metricsList.map((m, i) => metrics.checkQuery(m, `Metrics.member.${i + 1}`));
    const returning = queries.filter((q) => q.ReturnData !== false);
    if (returning.length !== 1) throw invalid('Exactly one element of the metrics list should return data.');
    for (const q of queries) {
      const p = q.MetricStat?.Period ?? q.Period;
      if (p !== undefined) checkPeriod(p, evaluationPeriods, 'Period');
    }
    c.Metrics = queries;
  } else {
    c.MetricName = required(input.MetricName, 'MetricName');
    c.Namespace = required(input.Namespace, 'Namespace');
    const statistic = str(input.Statistic);
    const extended = str(input.ExtendedStatistic);
    if ((statistic === undefined) === (extended === undefined)) {
      throw awsError('InvalidParameterCombination', 'Exactly one of the parameters Statistic and ExtendedStatistic must be specified.');
    }
    if (statistic !== undefined) {
      if (!STATISTICS.has(statistic)) throw invalid(`The value ${statistic} for parameter Statistic is not valid.`);
      c.Statistic = statistic;
    }
    const period = int(input.Period, 'Period', 1);
    if (period === undefined) throw awsError('MissingParameter', 'The parameter Period is required.');
    checkPeriod(period, evaluationPeriods, 'Period');
    c.Period = period;
    const dims = (Array.isArray(input.Dimensions) ? (input.Dimensions as Input[]) : []).map((d) => ({ Name: String(d.Name ?? ''), Value: String(d.Value ?? '') }));
    if (extended !== undefined) c.ExtendedStatistic = extended;
    // the metric spec as GetMetricData would check it (statistic syntax, dimension limits, unit)
    const q = metrics.checkQuery(
      { Id: 'm1', MetricStat: { Metric: { Namespace: c.Namespace, MetricName: c.MetricName, Dimensions: dims }, Period: period, Stat: statistic ?? extended } },
      'Metric',
    );
    c.Dimensions = q.MetricStat!.Metric.Dimensions as Dimension[];
    const unit = str(input.Unit);
    if (unit !== undefined) c.Unit = unit;
  }
  const datapoints = int(input.DatapointsToAlarm, 'DatapointsToAlarm', 1);
  if (datapoints !== undefined) {
    if (datapoints > evaluationPeriods) throw invalid('DatapointsToAlarm must be less than or equal to EvaluationPeriods');
    c.DatapointsToAlarm = datapoints;
  }
  if (input.ThresholdMetricId !== undefined && input.ThresholdMetricId !== null) throw invalid('Signalbox does not evaluate anomaly detection bands (ThresholdMetricId).');
  if (input.Threshold === undefined || input.Threshold === null) throw awsError('MissingParameter', 'The parameter Threshold is required.');
  const threshold = Number(input.Threshold);
  if (!Number.isFinite(threshold)) throw invalid(`The value ${String(input.Threshold)} for parameter Threshold is invalid.`);
  c.Threshold = threshold;
  const treat = str(input.TreatMissingData);
  if (treat !== undefined) {
    if (!TREAT_MISSING.has(treat)) throw invalid(`The value ${treat} for parameter TreatMissingData is not valid. Valid values: missing, ignore, breaching, notBreaching.`);
    c.TreatMissingData = treat;
  }
  const low = str(input.EvaluateLowSampleCountPercentile);
  if (low !== undefined) {
    if (low !== 'evaluate' && low !== 'ignore') throw invalid(`The value ${low} for parameter EvaluateLowSampleCountPercentile is not valid. Valid values: evaluate, ignore.`);
    if (percentileOf(c.ExtendedStatistic) === undefined) {
      throw invalid('EvaluateLowSampleCountPercentile can only be used with percentile statistics.');
    }
    c.EvaluateLowSampleCountPercentile = low;
  }
  return { config: c, tags: tags(input.Tags) };
}

export function readCompositeAlarm(input: Input, region: string): { config: AlarmConfig; tags: Array<{ Key: string; Value: string }> } {
  const c: AlarmConfig = common(input, region);
  const rule = required(input.AlarmRule, 'AlarmRule');
  const refs = ruleAlarmRefs(parseAlarmRule(rule));
  if (refs.length > 100) throw invalid('An alarm rule can reference at most 100 alarms.');
  c.AlarmRule = rule;
  const suppressor = str(input.ActionsSuppressor);
  if (suppressor !== undefined) {
    c.ActionsSuppressor = suppressor;
    c.ActionsSuppressorWaitPeriod = int(input.ActionsSuppressorWaitPeriod, 'ActionsSuppressorWaitPeriod', 0) ?? 60;
    c.ActionsSuppressorExtensionPeriod = int(input.ActionsSuppressorExtensionPeriod, 'ActionsSuppressorExtensionPeriod', 0) ?? 60;
  } else if (input.ActionsSuppressorWaitPeriod !== undefined || input.ActionsSuppressorExtensionPeriod !== undefined) {
    throw invalid('ActionsSuppressorWaitPeriod and ActionsSuppressorExtensionPeriod require ActionsSuppressor.');
  }
  return { config: c, tags: tags(input.Tags) };
}
