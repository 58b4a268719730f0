/**
 * @module services/events/harness.test
 * Shared set-up for this folder's tests (named *.test.ts so the build leaves it out; it holds no
 * tests itself): the real EventBridge service from its factory over a real SQLite store, the real
 * delivery engine (started, with a short poll) and a `Targets` registry in which tests register
 * stand-ins for the services that own other ARNs (a function that fails, a queue that records).
 */
import { callOperation, requestContext } from '../../../test/helpers/service-context.js';
import type { Config } from '../../config/schema.js';
import type { Clock } from '../../core/clock.js';
import { systemClock } from '../../core/clock.js';
import { createDeliveryEngine } from '../../core/deliveries/index.js';
import type { DeliveryEngine } from '../../core/deliveries/types.js';
import { createLogger } from '../../core/log.js';
import { LogsHub } from '../../core/logs/index.js';
import { MetricsHub, type OwnDatum } from '../../core/metrics/index.js';
import { SecretBox } from '../../core/secrets.js';
import { Targets, type TargetMessage, type TargetResult } from '../../core/targets/index.js';
import { openSqliteStore } from '../../store/open.js';
import type { Store } from '../../store/store.js';
import type { RequestContext, ServiceDefinition } from '../service.js';
import { createEventsService } from './index.js';

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';

export interface Harness {
  service: ServiceDefinition;
  store: Store;
  deliveries: DeliveryEngine;
  targets: Targets;
  /** what the metrics port was asked to put, per metric name (summed) */
  metric(name: string, dims?: number): number;
  call<T = Record<string, any>>(operation: string, input: Record<string, unknown>, ctx?: Partial<RequestContext>): Promise<T>;
  /** registers a stand-in for `service` ARNs that records what it gets and answers `answer(n)` for the n-th message */
  stub(service: string, answer?: (n: number, arn: string, m: TargetMessage) => TargetResult): { arn: string; m: TargetMessage }[];
  close(): Promise<void>;
}

export async function harness(opts: { clock?: Clock } = {}): Promise<Harness> {
  const store = await openSqliteStore(':memory:');
  const clock = opts.clock ?? systemClock;
  const log = createLogger('silent');
  const targets = new Targets();
  const deliveries = createDeliveryEngine({ store, clock, log, targets, tuning: { pollMs: 20, flushMs: 1 } });
  const metrics = new MetricsHub();
  const sums = new Map<string, number>();
  metrics.provide({
    getMetricData: async () => [],
    checkQuery: () => { throw new Error('unused'); },
    put: async (_scope, _ns, data: OwnDatum[]) => {
      for (const d of data) {
        const k = `${d.MetricName}/${d.Dimensions?.length ?? 0}`;
        sums.set(k, (sums.get(k) ?? 0) + (d.StatisticValues?.Sum ?? d.Value ?? 0));
      }
    },
  });
  const config = { region: REGION, accountId: ACCOUNT, dataDir: '/nonexistent', publicUrl: 'http://sbx.test' } as Config;
  const service = createEventsService({ config, store, secrets: SecretBox.fromKey(Buffer.alloc(32, 3)), clock, log, deliveries, targets, metrics, logs: new LogsHub() });
  deliveries.start();
  service.start?.();
  return {
    service, store, deliveries, targets,
    metric: (name, dims = 0) => sums.get(`${name}/${dims}`) ?? 0,
    call: (operation, input, ctx) => callOperation(service, operation, input, requestContext({ accountId: ACCOUNT, region: REGION }, ctx)),
    stub(svc, answer = () => ({ ok: true })) {
      const got: { arn: string; m: TargetMessage }[] = [];
      targets.register(svc, { send: async (arn, m) => (got.push({ arn, m }), answer(got.length, arn, m)) });
      return got;
    },
    async close() {
      await metrics.flushRecorded();
      await service.stop?.();
      await deliveries.stop(0);
      await store.close();
    },
  };
}

export async function until<T>(probe: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let v = await probe();
  while (!ok(v) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
    v = await probe();
  }
  return v;
}
