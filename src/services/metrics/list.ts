/**
 * @module services/metrics/list
 * ListMetrics: the caller's metrics filtered by namespace, name and dimensions (a filter
 * dimension without a value matches any value), optionally only those with a put in the last
 * three hours (`RecentlyActive: PT3H`); metrics without a put for two weeks are not listed.
 * Pages of 500 in series order, the token naming the last series shown.
 */
import { awsError } from '../../core/errors.js';
import type { RequestContext } from '../service.js';
import type { MetricStore, Series } from './metric-store.js';
import { LIMITS, checkDimensions, checkName, checkNamespace } from './model.js';

type Input = Record<string, unknown>;

function decodeToken(v: unknown): number {
  if (v === undefined || v === null || v === '') return 0;
  const n = Number(Buffer.from(String(v), 'base64url').toString('utf8').replace(/^m:/, ''));
  if (!Number.isInteger(n) || n < 0) throw awsError('InvalidNextToken', 'The service couldn\'t process your request because the NextToken is not valid.');
  return n;
}

export function listMetrics(store: MetricStore, input: Input, ctx: RequestContext): object {
  const namespace = input.Namespace === undefined ? undefined : checkNamespace(input.Namespace, 'Namespace');
  const metricName = input.MetricName === undefined ? undefined : checkName(input.MetricName, 'MetricName');
  const filters = checkDimensions(input.Dimensions, 'Dimensions', false);
  if (input.RecentlyActive !== undefined && input.RecentlyActive !== 'PT3H') {
    throw awsError('InvalidParameterValue', `The value ${String(input.RecentlyActive)} for parameter RecentlyActive is invalid. Valid value: PT3H.`);
  }
  const now = ctx.now.getTime();
  const since = input.RecentlyActive === 'PT3H' ? now - 3 * 3600 * 1000 : now - LIMITS.listExpiryMs;
  const after = decodeToken(input.NextToken);
  const matches = (s: Series) =>
    s.id > after &&
    s.lastPut >= since &&
    (namespace === undefined || s.namespace === namespace) &&
    (metricName === undefined || s.metricName === metricName) &&
    filters.every((f) => s.dimensions.some((d) => d.Name === f.Name && (f.Value === undefined || d.Value === f.Value)));
  const found = [...store.seriesOf(ctx)].filter(matches).sort((a, b) => a.id - b.id);
  const page = found.slice(0, LIMITS.listPageSize);
  const out: Record<string, unknown> = {
    Metrics: page.map((s) => ({ Namespace: s.namespace, MetricName: s.metricName, Dimensions: s.dimensions.map((d) => ({ Name: d.Name, Value: d.Value })) })),
  };
  if (found.length > page.length) out.NextToken = Buffer.from(`m:${page[page.length - 1].id}`).toString('base64url');
  return out;
}
