/**
 * @module services/logs/harness.test
 * Shared set-up for this folder's tests (named *.test.ts so the build leaves it out; it holds no
 * tests itself): the real service from its factory over a real SQLite store, a manual clock, a
 * metrics port that records what metric filters put, and the logs port other services write to.
 */
import assert from 'node:assert/strict';
import type { Config } from '../../config/schema.js';
import { ManualClock } from '../../core/clock.js';
import { createDeliveryEngine } from '../../core/deliveries/index.js';
import { isServiceError, type ErrorCode } from '../../core/errors.js';
import { createLogger } from '../../core/log.js';
import { LogsHub } from '../../core/logs/index.js';
import { MetricsHub, type MetricScope, type OwnDatum } from '../../core/metrics/index.js';
import { SecretBox } from '../../core/secrets.js';
import { Targets } from '../../core/targets/index.js';
import { openSqliteStore } from '../../store/open.js';
import type { Store } from '../../store/store.js';
import { callOperation, requestContext } from '../../../test/helpers/service-context.js';
import type { RequestContext, ServiceDefinition } from '../service.js';
import { createLogsService } from './index.js';

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';
export const NOW = Date.UTC(2024, 4, 1, 12, 0, 0);

export interface PutRecord {
  scope: MetricScope;
  namespace: string;
  data: OwnDatum[];
}

export interface Harness {
  service: ServiceDefinition;
  store: Store;
  clock: ManualClock;
  logs: LogsHub;
  /** every metrics.put the service made */
  puts: PutRecord[];
  call<T = Record<string, any>>(operation: string, input: Record<string, unknown>, ctx?: Partial<RequestContext>): Promise<T>;
  /** CreateLogGroup + CreateLogStream */
  stream(group: string, stream: string): Promise<void>;
  /** PutLogEvents of messages at the given timestamps (default: one per ms from NOW - count) */
  put(group: string, stream: string, events: Array<[ts: number, message: string]>): Promise<Record<string, any>>;
  close(): Promise<void>;
}

export async function harness(): Promise<Harness> {
  const store = await openSqliteStore(':memory:');
  const clock = new ManualClock(NOW);
  const log = createLogger('silent');
  const targets = new Targets();
  const metrics = new MetricsHub();
  const puts: PutRecord[] = [];
  metrics.provide({
    getMetricData: async () => [],
    checkQuery: (q) => q as never,
    put: async (scope, namespace, data) => {
      puts.push({ scope, namespace, data });
    },
  });
  const logs = new LogsHub();
  const config = { region: REGION, accountId: ACCOUNT, dataDir: ':memory:' } as Config;
  const service = createLogsService({
    config, store, secrets: SecretBox.fromKey(Buffer.alloc(32, 7)), clock, log, targets, metrics, logs,
    deliveries: createDeliveryEngine({ store, clock, log, targets }),
  });
  const call: Harness['call'] = (operation, input, ctx) =>
    callOperation(service, operation, input, requestContext({ accountId: ACCOUNT, region: REGION }, ctx));
  return {
    service, store, clock, logs, puts, call,
    async stream(group, stream) {
      await call('CreateLogGroup', { logGroupName: group }).catch((e) => {
        if (!(isServiceError(e) && e.code === 'ResourceAlreadyExistsException')) throw e;
      });
      await call('CreateLogStream', { logGroupName: group, logStreamName: stream });
    },
    put: (group, stream, events) =>
      call('PutLogEvents', { logGroupName: group, logStreamName: stream, logEvents: events.map(([timestamp, message]) => ({ timestamp, message })) }),
    close: async () => {
      await service.stop?.();
      await store.close();
    },
  };
}

/** Asserts that `p` rejects with the AWS error `code` (and a message matching `message`). */
export async function rejectsWith(p: Promise<unknown>, code: ErrorCode, message?: RegExp | string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isServiceError(e), `expected a ServiceError, got ${String(e)}`);
    assert.equal(e.code, code, `code (message: ${e.message})`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return true;
  });
}
