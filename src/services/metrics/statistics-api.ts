/**
 * @module services/metrics/statistics-api
 * GetMetricStatistics: one metric (exact dimension set), up to five statistics and ten extended
 * statistics per period, at most 1,440 datapoints, in no particular order (as AWS).
 */
import { awsError } from '../../core/errors.js';
import type { RequestContext } from '../service.js';
import type { MetricStore } from './metric-store.js';
import { LIMITS, checkDimensions, checkName, checkNamespace, checkPeriod, checkTime, checkUnit } from './model.js';
import { alignStart, periodValues } from './periods.js';
import { computeStatistic, parseStatistic, type Statistic } from './stats/statistics.js';

type Input = Record<string, unknown>;

const SIMPLE = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'];

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

export async function getMetricStatistics(store: MetricStore, input: Input, ctx: RequestContext): Promise<object> {
  const namespace = checkNamespace(input.Namespace, 'Namespace');
  const metricName = checkName(input.MetricName, 'MetricName');
  const dimensions = checkDimensions(input.Dimensions, 'Dimensions', true);
  const startMs = checkTime(input.StartTime, 'StartTime');
  const endMs = checkTime(input.EndTime, 'EndTime');
  const period = checkPeriod(input.Period, 'Period');
  const statistics = strings(input.Statistics);
  const extended = strings(input.ExtendedStatistics);
  if (statistics.length === 0 && extended.length === 0) {
    throw awsError('InvalidParameterCombination', 'At least one of the parameters Statistics and ExtendedStatistics must be specified.');
  }
  if (statistics.length > LIMITS.maxStatistics) throw awsError('InvalidParameterValue', `The collection Statistics must not have a size greater than ${LIMITS.maxStatistics}.`);
  if (extended.length > LIMITS.maxExtendedStatistics) {
    throw awsError('InvalidParameterValue', `The collection ExtendedStatistics must not have a size greater than ${LIMITS.maxExtendedStatistics}.`);
  }
  statistics.forEach((s, i) => {
    if (!SIMPLE.includes(s)) throw awsError('InvalidParameterValue', `The value ${s} for parameter Statistics.member.${i + 1} is not a valid statistic.`);
  });
  const ext: Statistic[] = extended.map((s, i) => {
    const st = parseStatistic(s, `ExtendedStatistics.member.${i + 1}`);
    if (st.kind === 'simple') throw awsError('InvalidParameterValue', `The value ${s} for parameter ExtendedStatistics.member.${i + 1} is not a valid extended statistic.`);
    return st;
  });
  if (startMs >= endMs) throw awsError('InvalidParameterValue', 'The parameter StartTime must be less than the parameter EndTime.');
  const startS = alignStart(startMs, period, ctx.now.getTime());
  const endS = Math.ceil(endMs / 1000);
  const count = Math.ceil((endS - startS) / period);
  if (count > LIMITS.maxStatisticsDatapoints) {
    throw awsError(
      'InvalidParameterCombination',
      `You have requested up to ${count.toLocaleString('en-US')} datapoints, which exceeds the limit of 1,440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`,
    );
  }
  const unit = checkUnit(input.Unit, 'Unit');
  const series = store.find(ctx, namespace, metricName, dimensions);
  const values = series ? await periodValues(store, [series], period, startS, endS, unit) : [];
  const simple = statistics.map((s) => parseStatistic(s));
  const Datapoints = values.map((v) => {
    const dp: Record<string, unknown> = { Timestamp: new Date(v.ts * 1000) };
    simple.forEach((st, i) => {
      const x = computeStatistic(v.agg, st);
      if (x !== undefined) dp[statistics[i]] = x;
    });
    if (ext.length > 0) {
      const e: Record<string, number> = {};
      ext.forEach((st, i) => {
        const x = computeStatistic(v.agg, st);
        if (x !== undefined) e[extended[i]] = x;
      });
      dp.ExtendedStatistics = e;
    }
    dp.Unit = unit ?? v.unit ?? 'None';
    return dp;
  });
  return { Label: metricName, Datapoints };
}
