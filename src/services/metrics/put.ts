/**
 * @module services/metrics/put
 * PutMetricData: validation with AWS's codes and wording (the member paths are the Query names
 * AWS uses in every protocol: `MetricData.member.1.Value`), then one committed ingest.
 *
 * The whole call is checked before anything is stored, so a bad datum rejects the call and
 * nothing of it is kept, as AWS does.
 */
import { awsError } from '../../core/errors.js';
import type { Dimension, MetricScope } from '../../core/metrics/index.js';
import { prepareBatch, type Datum, type PreparedBatch, type Sample } from './samples.js';
import { LIMITS, checkDimensions, checkName, checkNamespace, checkUnit } from './model.js';

type Input = Record<string, unknown>;

const invalidValue = (msg: string) => awsError('InvalidParameterValue', msg);
const MAX_MAGNITUDE = 2 ** 360;

function checkNumber(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw invalidValue(`The value ${String(v)} for parameter ${path} is invalid.`);
  if (Math.abs(v) > MAX_MAGNITUDE) throw invalidValue(`The value ${v} for parameter ${path} is invalid: it is outside the range CloudWatch accepts (-2^360 to 2^360).`);
  return v;
}

function checkTimestamp(v: unknown, path: string, nowMs: number): number {
  if (v === undefined) return Math.floor(nowMs / 1000);
  const ms = v instanceof Date ? v.getTime() : NaN;
  if (!Number.isFinite(ms)) throw invalidValue(`The value for parameter ${path} is not a valid timestamp.`);
  if (ms < nowMs - LIMITS.maxPastMs) throw invalidValue(`The parameter ${path} must specify a time no more than two weeks in the past.`);
  if (ms > nowMs + LIMITS.maxFutureMs) throw invalidValue(`The parameter ${path} must specify a time no more than two hours in the future.`);
  return Math.floor(ms / 1000);
}

function sampleOf(m: Input, path: string): Sample {
  const has = (k: string) => m[k] !== undefined && m[k] !== null;
  const hasValues = Array.isArray(m.Values) && m.Values.length > 0;
  if (has('Value') && has('StatisticValues')) {
    throw awsError('InvalidParameterCombination', `The parameters ${path}.Value and ${path}.StatisticValues are mutually exclusive and you have specified both.`);
  }
  if (has('Value') && hasValues) {
    throw awsError('InvalidParameterCombination', `The parameters ${path}.Value and ${path}.Values are mutually exclusive and you have specified both.`);
  }
  if (has('StatisticValues') && hasValues) {
    throw awsError('InvalidParameterCombination', `The parameters ${path}.StatisticValues and ${path}.Values are mutually exclusive and you have specified both.`);
  }
  if (has('Value')) return { kind: 'value', value: checkNumber(m.Value, `${path}.Value`) };
  if (hasValues) {
    const values = m.Values as unknown[];
    if (values.length > LIMITS.maxValues) throw invalidValue(`The collection ${path}.Values must not have a size greater than ${LIMITS.maxValues}.`);
    const nums = values.map((v, i) => checkNumber(v, `${path}.Values.member.${i + 1}`));
    const counts = Array.isArray(m.Counts) && m.Counts.length > 0 ? (m.Counts as unknown[]) : undefined;
    if (counts && counts.length !== nums.length) {
      throw invalidValue(`The parameters ${path}.Values and ${path}.Counts must be of the same size.`);
    }
    const cs = counts?.map((c, i) => {
      const n = checkNumber(c, `${path}.Counts.member.${i + 1}`);
      if (n < 0) throw invalidValue(`The value ${n} for parameter ${path}.Counts.member.${i + 1} must not be negative.`);
      return n;
    });
    return cs ? { kind: 'values', values: nums, counts: cs } : { kind: 'values', values: nums };
  }
  if (has('StatisticValues')) {
    const sv = m.StatisticValues as Input;
    const p = `${path}.StatisticValues`;
    for (const k of ['SampleCount', 'Sum', 'Minimum', 'Maximum']) {
      if (sv[k] === undefined || sv[k] === null) throw awsError('MissingParameter', `The parameter ${p}.${k} is required.`);
    }
    const set = {
      SampleCount: checkNumber(sv.SampleCount, `${p}.SampleCount`),
      Sum: checkNumber(sv.Sum, `${p}.Sum`),
      Minimum: checkNumber(sv.Minimum, `${p}.Minimum`),
      Maximum: checkNumber(sv.Maximum, `${p}.Maximum`),
    };
    if (set.SampleCount <= 0) throw invalidValue(`The value ${set.SampleCount} for parameter ${p}.SampleCount must be greater than 0.`);
    if (set.Minimum > set.Maximum) throw invalidValue(`The parameter ${p}.Minimum must not be greater than ${p}.Maximum.`);
    return { kind: 'set', set };
  }
  throw awsError('InvalidParameterCombination', `At least one of the parameters ${path}.Value, ${path}.StatisticValues or ${path}.Values must be specified.`);
}

/** The validated datums of a PutMetricData call. */
export function readPut(input: Input, nowMs: number): { namespace: string; data: Datum[] } {
  const namespace = checkNamespace(input.Namespace, 'Namespace');
  const metricData = Array.isArray(input.MetricData) ? (input.MetricData as Input[]) : [];
  if (metricData.length === 0) throw awsError('MissingParameter', 'The parameter MetricData is required.');
  if (metricData.length > LIMITS.maxMetricData) {
    throw invalidValue(`The collection MetricData must not have a size greater than ${LIMITS.maxMetricData}.`);
  }
  const data = metricData.map((m, i): Datum => {
    const path = `MetricData.member.${i + 1}`;
    const metricName = checkName(m.MetricName, `${path}.MetricName`);
    const dimensions: Dimension[] = checkDimensions(m.Dimensions, `${path}.Dimensions`, true);
    const unit = checkUnit(m.Unit, `${path}.Unit`);
    const res = m.StorageResolution;
    if (res !== undefined && res !== null && res !== 1 && res !== 60) {
      throw invalidValue(`The value ${String(res)} for parameter ${path}.StorageResolution is invalid. Valid values are 1 and 60.`);
    }
    return { metricName, dimensions, ts: checkTimestamp(m.Timestamp, `${path}.Timestamp`, nowMs), highRes: res === 1, unit, sample: sampleOf(m, path) };
  });
  return { namespace, data };
}

/** A decoded PutMetricData input, validated and ready for the ingest log. */
export interface PreparedPut {
  namespace: string;
  batch: PreparedBatch;
}

export function preparePut(input: Input, nowMs: number): PreparedPut {
  const { namespace, data } = readPut(input, nowMs);
  return { namespace, batch: prepareBatch(data) };
}

export type { MetricScope };
