/**
 * @module services/metrics
 * CloudWatch metrics: PutMetricData, GetMetricStatistics, GetMetricData, ListMetrics, and the
 * provider behind core/metrics (alarms read through it; other services put their own metrics).
 *
 * Everything else in this folder is private to it; other services never import from here.
 */
import type { OwnDatum } from '../../core/metrics/index.js';
import type { ApiPartFactory } from '../cloudwatch/part.js';
import type { RequestContext, UndecodedInput } from '../service.js';
import { getMetricData, getMetricDataApi, readQuery } from './data.js';
import { listMetrics } from './list.js';
import { MetricStore } from './metric-store.js';
import { PutDecoder } from './put-decoder.js';
import { prepareBatch, type Datum } from './samples.js';
import { getMetricStatistics } from './statistics-api.js';

export const createMetrics: ApiPartFactory = (deps) => {
  const store = new MetricStore(deps.store, deps.log, () => deps.clock.ms());
  const decoder = new PutDecoder(deps.log);
  // requests wait for the series and any ingest rows a previous run left
  const ready = store.load();
  ready.catch((e: unknown) => deps.log.error({ err: e }, 'metrics: loading the metric store failed'));
  const after = <I, T>(fn: (input: I, ctx: RequestContext) => T | Promise<T>) => async (input: I, ctx: RequestContext) => {
    await ready;
    return fn(input, ctx);
  };
  deps.metrics.provide({
    async getMetricData(scope, req) {
      await ready;
      return getMetricData(store, scope, req, deps.clock.ms());
    },
    checkQuery: (query, path) => readQuery(query, path),
    async put(scope, namespace, data: OwnDatum[]) {
      await ready;
      const now = deps.clock.ms();
      const datums: Datum[] = data.map((d) => ({
        metricName: d.MetricName,
        dimensions: [...(d.Dimensions ?? [])].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0)),
        ts: Math.floor((d.Timestamp ?? now) / 1000),
        highRes: false,
        unit: d.Unit,
        sample: d.StatisticValues ? { kind: 'set', set: d.StatisticValues } : { kind: 'value', value: d.Value ?? 0 },
      }));
      deps.metrics.emitIngest(await store.ingest(scope, namespace, prepareBatch(datums)));
    },
  });
  return {
    handlers: {
      PutMetricData: after(async (input: UndecodedInput, ctx) => {
        const { namespace, batch } = await decoder.prepare(input, ctx.requestId, ctx.now.getTime());
        deps.metrics.emitIngest(await store.ingest(ctx, namespace, batch));
        return {};
      }),
      GetMetricStatistics: after((input: Record<string, unknown>, ctx) => getMetricStatistics(store, input, ctx)),
      GetMetricData: after((input: Record<string, unknown>, ctx) => getMetricDataApi(store, input, ctx)),
      ListMetrics: after((input: Record<string, unknown>, ctx) => listMetrics(store, input, ctx)),
    },
    undecodedOperations: ['PutMetricData'],
    start: () => {
      void ready.then(() => store.start());
    },
    stop: async () => {
      await ready.catch(() => undefined);
      await deps.metrics.flushRecorded();
      await store.stop();
      await decoder.stop();
    },
  };
};
