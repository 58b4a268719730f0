/**
 * @module services/metrics/data
 * GetMetricData: MetricStat queries, metric math expressions (math/) and Metrics Insights
 * queries (insights/), evaluated in dependency order. The same function answers the API and
 * the core/metrics port, so alarms (metric and metric-math) evaluate exactly what
 * GetMetricData would show.
 */
import { createHash } from 'node:crypto';
import { awsError } from '../../core/errors.js';
import type { MetricDataQuery, MetricDataRequest, MetricDataResult, MetricScope } from '../../core/metrics/index.js';
import type { RequestContext } from '../service.js';
import { isInsightsQuery, parseInsightsQuery, runInsightsQuery, type InsightsPoint } from './insights/index.js';
import { dependencyOrder, evaluateWithMessages, isMetricMathError, parseExpression, type Expr, type MathValue, type Series } from './math/index.js';
import type { MetricStore } from './metric-store.js';
import { LIMITS, checkDimensions, checkName, checkNamespace, checkPeriod, checkTime, checkUnit } from './model.js';
import { alignStart, periodValues } from './periods.js';
import { computeStatistic, parseStatistic } from './stats/statistics.js';

type Input = Record<string, unknown>;

const ID = /^[a-z][a-zA-Z0-9_]*$/;
const invalid = (msg: string) => awsError('ValidationError', msg);

/** Validates the API input into the port's request (the port's callers build it themselves). */
function readMetricDataRequest(input: Input): MetricDataRequest {
  const list = Array.isArray(input.MetricDataQueries) ? (input.MetricDataQueries as Input[]) : [];
  if (list.length === 0) throw awsError('MissingParameter', 'The parameter MetricDataQueries is required.');
  if (list.length > LIMITS.maxQueries) throw invalid(`The collection MetricDataQueries must not have a size greater than ${LIMITS.maxQueries}.`);
  const queries = list.map((q, i) => readQuery(q, `MetricDataQueries.member.${i + 1}`));
  const start = checkTime(input.StartTime, 'StartTime');
  const end = checkTime(input.EndTime, 'EndTime');
  if (start >= end) throw invalid('The parameter StartTime must be less than the parameter EndTime.');
  const order = input.ScanBy === 'TimestampAscending' ? 'TimestampAscending' : 'TimestampDescending';
  return { queries, start, end, order };
}

export function readQuery(q: Input, path: string): MetricDataQuery {
  const id = String(q.Id ?? '');
  if (!ID.test(id) || id.length > 255) throw invalid(`The value ${id} for parameter ${path}.Id is not valid: it must start with a lowercase letter and contain only letters, digits and underscores.`);
  const hasStat = q.MetricStat !== undefined && q.MetricStat !== null;
  const hasExpr = typeof q.Expression === 'string' && q.Expression !== '';
  if (hasStat === hasExpr) throw invalid(`Exactly one of ${path}.MetricStat and ${path}.Expression must be specified.`);
  const out: MetricDataQuery = { Id: id };
  if (typeof q.Label === 'string') out.Label = q.Label;
  if (q.ReturnData !== undefined) out.ReturnData = q.ReturnData !== false && q.ReturnData !== 'false';
  if (q.Period !== undefined && q.Period !== null) out.Period = checkPeriod(q.Period, `${path}.Period`);
  if (hasExpr) {
    out.Expression = q.Expression as string;
    // syntax errors reject the request, as AWS does
    if (isInsightsQuery(out.Expression)) parseInsightsQuery(out.Expression);
    else parseExpression(out.Expression);
    return out;
  }
  const ms = q.MetricStat as Input;
  const metric = (ms.Metric ?? {}) as Input;
  const stat = checkName(ms.Stat, `${path}.MetricStat.Stat`);
  parseStatistic(stat, `${path}.MetricStat.Stat`);
  out.MetricStat = {
    Metric: {
      Namespace: checkNamespace(metric.Namespace, `${path}.MetricStat.Metric.Namespace`),
      MetricName: checkName(metric.MetricName, `${path}.MetricStat.Metric.MetricName`),
      Dimensions: checkDimensions(metric.Dimensions, `${path}.MetricStat.Metric.Dimensions`, true),
    },
    Period: checkPeriod(ms.Period, `${path}.MetricStat.Period`),
    Stat: stat,
  };
  const unit = checkUnit(ms.Unit, `${path}.MetricStat.Unit`);
  if (unit !== undefined) out.MetricStat.Unit = unit;
  return out;
}

interface Evaluated {
  value: MathValue;
  sampleCounts?: number[];
  messages: Array<{ Code: string; Value: string }>;
}

async function metricStat(store: MetricStore, scope: MetricScope, q: MetricDataQuery, req: MetricDataRequest, nowMs: number): Promise<Evaluated> {
  const ms = q.MetricStat!;
  const period = ms.Period;
  const startS = alignStart(req.start, period, nowMs);
  const endS = Math.ceil(req.end / 1000);
  const series = store.find(scope, ms.Metric.Namespace!, ms.Metric.MetricName!, ms.Metric.Dimensions ?? []);
  const values = series ? await periodValues(store, [series], period, startS, endS, ms.Unit) : [];
  const stat = parseStatistic(ms.Stat);
  const out: Series = { id: q.Id, label: q.Label ?? ms.Metric.MetricName!, timestamps: [], values: [], period };
  const sampleCounts: number[] = [];
  for (const v of values) {
    const x = computeStatistic(v.agg, stat);
    if (x === undefined) continue;
    out.timestamps.push(v.ts);
    out.values.push(x);
    sampleCounts.push(v.agg.sampleCount);
  }
  return { value: out, sampleCounts, messages: [] };
}

async function insights(store: MetricStore, scope: MetricScope, q: MetricDataQuery, req: MetricDataRequest, nowMs: number): Promise<Evaluated> {
  const query = parseInsightsQuery(q.Expression!);
  const period = q.Period ?? 300;
  const startS = alignStart(req.start, period, nowMs);
  const endS = Math.ceil(req.end / 1000);
  // the runner is synchronous: read every candidate series first
  const loaded: Array<{ dimensions: Record<string, string>; points: InsightsPoint[] }> = [];
  for (const s of store.seriesOf(scope)) {
    if (s.namespace !== query.namespace || s.metricName !== query.metricName) continue;
    const values = await periodValues(store, [s], period, startS, endS);
    if (values.length === 0) continue;
    loaded.push({
      dimensions: Object.fromEntries(s.dimensions.map((d) => [d.Name, d.Value])),
      points: values.map((v) => ({ t: v.ts, sampleCount: v.agg.sampleCount, sum: v.agg.sum, min: v.agg.min, max: v.agg.max })),
    });
  }
  const out = runInsightsQuery(query, { series: () => loaded }, { start: startS, end: endS, period });
  return { value: out.map((s) => ({ ...s, id: q.Id })), messages: [] };
}

function toResults(q: MetricDataQuery, e: Evaluated, order: MetricDataRequest['order'], withCounts: boolean): MetricDataResult[] {
  const list: Series[] = typeof e.value === 'number' ? [] : Array.isArray(e.value) ? e.value : [e.value];
  return list.map((s, i) => {
    const idx = s.timestamps.map((_, j) => j);
    if (order !== 'TimestampAscending') idx.reverse();
    const r: MetricDataResult = {
      Id: q.Id,
      // one series: the query's label; several: each its own (group values, metric labels)
      Label: list.length === 1 ? (q.Label ?? (q.MetricStat ? s.label : q.Id)) : s.label || q.Id,
      Timestamps: idx.map((j) => new Date(s.timestamps[j] * 1000)),
      Values: idx.map((j) => s.values[j]),
      StatusCode: 'Complete',
    };
    if (withCounts && e.sampleCounts && i === 0) r.SampleCounts = idx.map((j) => e.sampleCounts![j]);
    if (e.messages.length > 0) r.Messages = e.messages;
    return r;
  });
}

/** Evaluates every query (dependencies first); answers the results of those with ReturnData. */
export async function getMetricData(store: MetricStore, scope: MetricScope, req: MetricDataRequest, nowMs: number): Promise<MetricDataResult[]> {
  const parsed = new Map<string, Expr>();
  for (const q of req.queries) if (q.Expression && !isInsightsQuery(q.Expression)) parsed.set(q.Id, parseExpression(q.Expression));
  const order = dependencyOrder(req.queries.map((q) => ({ id: q.Id, expression: parsed.get(q.Id) })));
  const byId = new Map(req.queries.map((q) => [q.Id, q]));
  const done = new Map<string, Evaluated>();
  for (const id of order) {
    const q = byId.get(id)!;
    if (q.MetricStat) done.set(id, await metricStat(store, scope, q, req, nowMs));
    else if (isInsightsQuery(q.Expression!)) done.set(id, await insights(store, scope, q, req, nowMs));
    else {
      const metricPeriods = req.queries.filter((x) => x.MetricStat).map((x) => x.MetricStat!.Period);
      const period = q.Period ?? (metricPeriods.length ? Math.min(...metricPeriods) : 60);
      try {
        const r = evaluateWithMessages(parsed.get(id)!, {
          series: (ref) => done.get(ref)?.value,
          all: () => req.queries.filter((x) => x.MetricStat).map((x) => done.get(x.Id)?.value as Series).filter(Boolean),
          period,
          // the grid FILL, TIME_SERIES… fill in: the periods the MetricStat results are aligned to
          start: alignStart(req.start, period, nowMs),
          end: Math.ceil(req.end / 1000),
        });
        done.set(id, { value: typeof r.value === 'number' ? r.value : r.value, messages: r.messages });
      } catch (e) {
        if (!isMetricMathError(e)) throw e;
        done.set(id, { value: [], messages: [e.toMessage()] });
      }
    }
  }
  const out: MetricDataResult[] = [];
  for (const q of req.queries) {
    if (q.ReturnData === false) continue;
    out.push(...toResults(q, done.get(q.Id)!, req.order, req.withSampleCounts === true));
  }
  return out;
}

/**
 * The API answer, in pages of at most MaxDatapoints values: the results are evaluated whole, then
 * cut in order; a result cut short says `PartialData` and the NextToken (the position reached,
 * bound to this request) brings the rest.
 */
export async function getMetricDataApi(store: MetricStore, input: Input, ctx: RequestContext): Promise<object> {
  const req = readMetricDataRequest(input);
  const max = input.MaxDatapoints === undefined || input.MaxDatapoints === null ? LIMITS.maxDataDatapoints : Number(input.MaxDatapoints);
  if (!Number.isInteger(max) || max < 1) throw invalid(`The value ${String(input.MaxDatapoints)} for parameter MaxDatapoints must be a positive integer.`);
  const binding = createHash('sha256').update(JSON.stringify([req.queries, req.start, req.end, req.order])).digest('base64url').slice(0, 16);
  let from = 0;
  if (input.NextToken !== undefined && input.NextToken !== null && input.NextToken !== '') {
    const [pos, bound] = Buffer.from(String(input.NextToken), 'base64url').toString('utf8').split('.');
    from = Number(pos);
    if (bound !== binding || !Number.isInteger(from) || from < 0) throw awsError('InvalidNextToken', 'The service couldn\'t process your request because the NextToken is not valid.');
  }
  const results = await getMetricData(store, ctx, req, ctx.now.getTime());
  const total = results.reduce((n, r) => n + r.Values.length, 0);
  const to = Math.min(total, from + max);
  const more = to < total;
  const page: Record<string, unknown>[] = [];
  let pos = 0;
  for (const r of results) {
    const n = r.Values.length;
    // this result holds values [pos, pos + n) of the whole answer; an empty one goes on the page
    // that reaches its position (the last page when it is at the very end)
    const a = Math.max(from, pos) - pos;
    const b = Math.min(to, pos + n) - pos;
    const onPage = n === 0 ? pos >= from && (pos < to || !more) : a < b;
    if (onPage) {
      const o: Record<string, unknown> = {
        Id: r.Id,
        Label: r.Label,
        Timestamps: r.Timestamps.slice(a, b),
        Values: r.Values.slice(a, b),
        StatusCode: b < n ? 'PartialData' : r.StatusCode,
      };
      if (r.Messages) o.Messages = r.Messages;
      page.push(o);
    }
    pos += n;
  }
  const out: Record<string, unknown> = { MetricDataResults: page, Messages: [] };
  if (more) out.NextToken = Buffer.from(`${to}.${binding}`).toString('base64url');
  return out;
}
