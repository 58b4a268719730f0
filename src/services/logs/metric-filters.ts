/**
 * @module services/logs/metric-filters
 * PutMetricFilter, DescribeMetricFilters, DeleteMetricFilter, TestMetricFilter.
 *
 * A filter is one pattern and one metric transformation (AWS allows exactly one). Its pattern is
 * compiled when it is put, so an invalid pattern is refused then, and its metric value and
 * dimensions must name something the pattern can supply: `$.selector` for a JSON pattern, `$name`
 * for a field a space-delimited pattern names. At most 100 filters per group.
 */
import { awsError } from '../../core/errors.js';
import type { RequestContext } from '../service.js';
import { checkGroupName, checkOptionalGroupName, requireGroup, scopeOf, type LogsDeps } from './context.js';
import { compileFilterPattern, EventText, FilterPatternError, MAX_PATTERN_LENGTH, type FilterPattern } from './filter-pattern/index.js';
import type { Transformation } from './metric-emit.js';
import {
  countMetricFilters, deleteMetricFilter as deleteFilterRow, listMetricFilters, metricFilterExists, putMetricFilter as putFilterRow,
  type MetricFilterRecord,
} from './store.js';
import { decodePageToken, encodePageToken, tokenString } from './tokens.js';
import {
  invalidParameter, optInt, optObjectList, optString, optStringList, optStringMap, Violations, type Input,
} from './validation.js';

const MAX_FILTERS_PER_GROUP = 100;
const FILTER_NAME = /^[^:*]*$/;
const METRIC_NAME = /^[^:*$]*$/;
const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export const STANDARD_UNITS = [
  'Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes', 'Bits', 'Kilobits',
  'Megabits', 'Gigabits', 'Terabits', 'Percent', 'Count', 'Bytes/Second', 'Kilobytes/Second', 'Megabytes/Second',
  'Gigabytes/Second', 'Terabytes/Second', 'Bits/Second', 'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second',
  'Terabits/Second', 'Count/Second', 'None',
] as const;

/** Compiles a pattern, answering a syntax error as AWS does. */
export function compileOrInvalid(source: string): FilterPattern {
  try {
    return compileFilterPattern(source);
  } catch (e) {
    if (e instanceof FilterPatternError) invalidParameter(`Invalid filter pattern: ${e.message}`);
    throw e;
  }
}

function checkFilterName(v: Violations, name: string | undefined, member: string): void {
  v.length(name, member, 1, 512);
  v.pattern(name, member, FILTER_NAME, '[^:*]*');
}

function checkPattern(v: Violations, pattern: string | undefined): void {
  v.required(pattern, 'filterPattern');
  v.length(pattern, 'filterPattern', 0, MAX_PATTERN_LENGTH);
}

function readTransformation(t: Input, at: string, v: Violations): Transformation {
  const metricName = optString(t, 'metricName');
  const metricNamespace = optString(t, 'metricNamespace');
  const metricValue = optString(t, 'metricValue');
  for (const [member, value] of [['metricName', metricName], ['metricNamespace', metricNamespace]] as const) {
    if (v.required(value, `${at}.${member}`)) {
      v.length(value, `${at}.${member}`, 1, 255);
      v.pattern(value, `${at}.${member}`, METRIC_NAME, '[^:*$]*');
    }
  }
  if (v.required(metricValue, `${at}.metricValue`)) v.length(metricValue, `${at}.metricValue`, 0, 100);
  const defaultValue = t.defaultValue;
  if (defaultValue !== undefined && defaultValue !== null && typeof defaultValue !== 'number') v.add(defaultValue, `${at}.defaultValue`, 'Member must be a number');
  const dimensions = optStringMap(t, 'dimensions');
  if (dimensions) {
    v.length(Object.keys(dimensions), `${at}.dimensions`, 0, 3);
    for (const [k, val] of Object.entries(dimensions)) {
      v.length(k, `${at}.dimensions.key`, 1, 255);
      v.length(val, `${at}.dimensions.value`, 1, 255);
    }
  }
  const unit = optString(t, 'unit');
  v.oneOf(unit, `${at}.unit`, STANDARD_UNITS);
  return {
    metricName: metricName!, metricNamespace: metricNamespace!, metricValue: metricValue!,
    defaultValue: typeof defaultValue === 'number' ? defaultValue : undefined,
    dimensions: dimensions && Object.keys(dimensions).length > 0 ? dimensions : undefined,
    unit,
  };
}

/** What the pattern must be able to supply for the transformation to work. */
function checkReferences(t: Transformation, pattern: FilterPattern): void {
  const value = t.metricValue.trim();
  if (!NUMBER.test(value) && !pattern.canResolve(value)) {
    invalidParameter(
      `Invalid metric value '${t.metricValue}': use a number, $.selector with a JSON filter pattern, or $field naming a field of a space-delimited filter pattern.`,
    );
  }
  for (const [name, ref] of Object.entries(t.dimensions ?? {})) {
    if (!pattern.canResolve(ref)) {
      invalidParameter(`Invalid dimension value '${ref}' for dimension '${name}': it must name a field of the filter pattern ($.selector or $field).`);
    }
  }
  if (t.dimensions && t.defaultValue !== undefined) {
    invalidParameter('A metric transformation with dimensions cannot have a default value.');
  }
}

export async function putMetricFilter(d: LogsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const v = new Violations();
  const groupName = optString(input, 'logGroupName');
  checkGroupName(v, groupName);
  const name = optString(input, 'filterName');
  if (v.required(name, 'filterName')) checkFilterName(v, name, 'filterName');
  const pattern = optString(input, 'filterPattern');
  checkPattern(v, pattern);
  const list = optObjectList(input, 'metricTransformations');
  if (v.required(list, 'metricTransformations')) v.length(list!, 'metricTransformations', 1, 1);
  const transformations = (list ?? []).map((t, i) => readTransformation(t, `metricTransformations.${i + 1}.member`, v));
  v.throwIfAny();
  const compiled = compileOrInvalid(pattern!);
  for (const t of transformations) checkReferences(t, compiled);

  await d.store.transaction(async (tx) => {
    const group = await requireGroup(tx, scopeOf(ctx), groupName!);
    const replacing = await metricFilterExists(tx, group.id, name!);
    if (!replacing && (await countMetricFilters(tx, group.id)) >= MAX_FILTERS_PER_GROUP) {
      throw awsError('LimitExceededException', 'Resource limit exceeded.');
    }
    await putFilterRow(tx, group.id, {
      name: name!, pattern: pattern!, transformations: JSON.stringify(transformations),
      namespace: transformations[0].metricNamespace, metricName: transformations[0].metricName, createdAt: d.clock.ms(),
    });
  });
  return {};
}

export async function deleteMetricFilter(d: LogsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const v = new Violations();
  const groupName = optString(input, 'logGroupName');
  checkGroupName(v, groupName);
  const name = optString(input, 'filterName');
  if (v.required(name, 'filterName')) checkFilterName(v, name, 'filterName');
  v.throwIfAny();
  await d.store.transaction(async (tx) => {
    const group = await requireGroup(tx, scopeOf(ctx), groupName!);
    if (!(await deleteFilterRow(tx, group.id, name!))) {
      throw awsError('ResourceNotFoundException', 'The specified metric filter does not exist.');
    }
  });
  return {};
}

const DESCRIBE_MAX = 50;

function describeFilter(f: MetricFilterRecord): object {
  return {
    filterName: f.name,
    filterPattern: f.pattern,
    metricTransformations: JSON.parse(f.transformations) as Transformation[],
    creationTime: f.createdAt,
    logGroupName: f.groupName,
  };
}

export async function describeMetricFilters(d: LogsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const v = new Violations();
  const groupName = optString(input, 'logGroupName');
  checkOptionalGroupName(v, groupName, 'logGroupName');
  const prefix = optString(input, 'filterNamePrefix');
  checkFilterName(v, prefix, 'filterNamePrefix');
  const metricName = optString(input, 'metricName');
  const namespace = optString(input, 'metricNamespace');
  v.length(metricName, 'metricName', 0, 255);
  v.length(namespace, 'metricNamespace', 0, 255);
  const limit = optInt(input, 'limit');
  v.range(limit, 'limit', 1, DESCRIBE_MAX);
  v.throwIfAny();
  if (prefix !== undefined && groupName === undefined) {
    invalidParameter('If you specify filterNamePrefix, you must also specify logGroupName.');
  }
  if ((metricName === undefined) !== (namespace === undefined)) {
    invalidParameter('If you specify metricName or metricNamespace, you must specify both.');
  }
  const token = decodePageToken(optString(input, 'nextToken'), 'metricFilters');
  const scope = scopeOf(ctx);
  const group = groupName === undefined ? undefined : await requireGroup(d.store, scope, groupName);
  const pageSize = limit ?? DESCRIBE_MAX;
  const rows = await listMetricFilters(d.store, scope, {
    groupId: group?.id,
    prefix,
    metric: metricName !== undefined ? { namespace: namespace!, name: metricName } : undefined,
    after: token ? { groupName: tokenString(token, 'g'), name: tokenString(token, 'n') } : undefined,
    limit: pageSize + 1,
  });
  const page = rows.slice(0, pageSize);
  const last = page[page.length - 1];
  return {
    metricFilters: page.map(describeFilter),
    nextToken: rows.length > pageSize ? encodePageToken('metricFilters', { g: last.groupName, n: last.name }) : undefined,
  };
}

export async function testMetricFilter(_d: LogsDeps, input: Input): Promise<object> {
  const v = new Violations();
  const pattern = optString(input, 'filterPattern');
  checkPattern(v, pattern);
  const messages = optStringList(input, 'logEventMessages');
  if (v.required(messages, 'logEventMessages')) {
    v.length(messages!, 'logEventMessages', 1, 50);
    messages!.forEach((m, i) => v.length(m, `logEventMessages.${i + 1}.member`, 1, Infinity));
  }
  v.throwIfAny();
  const compiled = compileOrInvalid(pattern!);
  const matches: object[] = [];
  messages!.forEach((message, i) => {
    const m = compiled.match(new EventText(message));
    if (m) matches.push({ eventNumber: i + 1, eventMessage: message, extractedValues: m.extracted() });
  });
  return { matches };
}
