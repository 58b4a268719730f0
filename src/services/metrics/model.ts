/**
 * @module services/metrics/model
 * Limits, units and the checks every metrics operation shares (names, namespaces, dimensions,
 * periods), worded as CloudWatch words them.
 */
import { awsError } from '../../core/errors.js';
import type { Dimension } from '../../core/metrics/index.js';

export const LIMITS = {
  /** MetricDatum items per PutMetricData */
  maxMetricData: 1000,
  /** Values / Counts per datum */
  maxValues: 150,
  maxDimensions: 30,
  maxNameLength: 255,
  maxDimensionValueLength: 1024,
  /** PutMetricData accepts timestamps two weeks back and two hours ahead */
  maxPastMs: 14 * 86400 * 1000,
  maxFutureMs: 2 * 3600 * 1000,
  /** GetMetricStatistics answers at most 1,440 datapoints */
  maxStatisticsDatapoints: 1440,
  maxStatistics: 5,
  maxExtendedStatistics: 10,
  /** MetricDataQuery items per GetMetricData */
  maxQueries: 500,
  maxDataDatapoints: 100_800,
  listPageSize: 500,
  /** metrics without a put for two weeks leave ListMetrics */
  listExpiryMs: 14 * 86400 * 1000,
} as const;

/** CloudWatch's units, in a fixed order (the ingest log stores a unit as its index + 1) */
export const STANDARD_UNIT_LIST: readonly string[] = [
  'Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes',
  'Bits', 'Kilobits', 'Megabits', 'Gigabits', 'Terabits', 'Percent', 'Count',
  'Bytes/Second', 'Kilobytes/Second', 'Megabytes/Second', 'Gigabytes/Second', 'Terabytes/Second',
  'Bits/Second', 'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second', 'Terabits/Second', 'Count/Second', 'None',
];
export const STANDARD_UNITS: ReadonlySet<string> = new Set(STANDARD_UNIT_LIST);

const invalidValue = (msg: string) => awsError('InvalidParameterValue', msg);
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export function checkName(v: unknown, path: string, max: number = LIMITS.maxNameLength): string {
  if (v === undefined || v === null || v === '') throw awsError('MissingParameter', `The parameter ${path} is required.`);
  const s = String(v);
  if (s.length > max) throw invalidValue(`The parameter ${path} must be no longer than ${max} characters.`);
  // AWS refuses control characters in names and dimension values; the series keys rely on it
  if (CONTROL.test(s)) throw invalidValue(`The parameter ${path} must not contain ASCII control characters.`);
  return s;
}

export function checkNamespace(v: unknown, path: string): string {
  const s = checkName(v, path);
  if (s.startsWith(':')) throw invalidValue(`The value ${s} for parameter ${path} is invalid.`);
  // printable ASCII without spaces at the ends (the API's pattern [^:].*)
  if (!/^[\x20-\x7e]+$/.test(s)) throw invalidValue(`The value ${s} for parameter ${path} contains non-ASCII characters.`);
  return s;
}

/** Dimensions sorted by name; duplicates are an error. `valued` = every dimension needs a value. */
export function checkDimensions(v: unknown, path: string, valued: boolean): Dimension[] {
  const list = Array.isArray(v) ? (v as Array<Record<string, unknown>>) : [];
  if (list.length > LIMITS.maxDimensions) {
    throw invalidValue(`The collection ${path} must not have a size greater than ${LIMITS.maxDimensions}.`);
  }
  const seen = new Set<string>();
  const out = list.map((d, i) => {
    const p = `${path}.member.${i + 1}`;
    const Name = checkName(d.Name, `${p}.Name`);
    if (seen.has(Name)) throw awsError('InvalidParameterValue', `No metric may have duplicate dimension names: ${Name}.`);
    seen.add(Name);
    if (!valued && (d.Value === undefined || d.Value === null)) return { Name, Value: undefined as unknown as string };
    const Value = checkName(d.Value, `${p}.Value`, LIMITS.maxDimensionValueLength);
    return { Name, Value };
  });
  return out.sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
}

/** A standard unit, or undefined when absent. */
export function checkUnit(v: unknown, path: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  const unit = String(v);
  if (!STANDARD_UNITS.has(unit)) throw invalidValue(`The value ${unit} for parameter ${path} is not a valid unit.`);
  return unit;
}

/** 1, 5, 10, 20, 30 (high resolution) or a multiple of 60. */
export function checkPeriod(v: unknown, path: string): number {
  if (v === undefined || v === null) throw awsError('MissingParameter', `The parameter ${path} is required.`);
  const p = Number(v);
  if (!Number.isInteger(p) || p < 1) throw invalidValue(`The parameter ${path} must be greater than 0.`);
  if (p < 60 ? ![1, 5, 10, 20, 30].includes(p) : p % 60 !== 0) {
    throw invalidValue(`The parameter ${path} must be 1, 5, 10, 20, 30, or a multiple of 60.`);
  }
  return p;
}

export function checkTime(v: unknown, path: string): number {
  if (v === undefined || v === null) throw awsError('MissingParameter', `The parameter ${path} is required.`);
  const ms = v instanceof Date ? v.getTime() : NaN;
  if (!Number.isFinite(ms)) throw invalidValue(`The parameter ${path} is not a valid timestamp.`);
  return ms;
}
