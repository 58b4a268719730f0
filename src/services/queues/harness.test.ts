/**
 * @module services/queues/harness.test
 * Shared set-up for this folder's tests (named *.test.ts so the build leaves it out; it holds no
 * tests itself): the real service from its factory over a real SQLite store, a manual clock, a
 * Targets registry, and helpers to call operations and assert AWS error codes.
 */
import { callOperation, requestContext } from '../../../test/helpers/service-context.js';
import assert from 'node:assert/strict';
import type { Config } from '../../config/schema.js';
import { ManualClock, type Clock } from '../../core/clock.js';
import { createDeliveryEngine } from '../../core/deliveries/index.js';
import { isServiceError, type ErrorCode } from '../../core/errors.js';
import { createLogger } from '../../core/log.js';
import { SecretBox } from '../../core/secrets.js';
import { Targets } from '../../core/targets/index.js';
import { openSqliteStore } from '../../store/open.js';
import type { Store } from '../../store/store.js';
import type { RequestContext, ServiceDefinition } from '../service.js';
import { createQueuesService } from './index.js';
import { MetricsHub } from '../../core/metrics/index.js';
import { LogsHub } from '../../core/logs/index.js';

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';
export const PUBLIC_URL = 'http://localhost:4566';
export const PRINCIPAL = `arn:aws:iam::${ACCOUNT}:user/alice`;

export interface Harness {
  service: ServiceDefinition;
  store: Store;
  clock: ManualClock | Clock;
  targets: Targets;
  call<T = Record<string, any>>(operation: string, input: Record<string, unknown>, ctx?: Partial<RequestContext>): Promise<T>;
  /** creates a queue and returns its URL */
  queue(name: string, attributes?: Record<string, string>): Promise<string>;
  /** advances the manual clock */
  advance(ms: number): void;
  close(): Promise<void>;
}

export function context(over: Partial<RequestContext> = {}): RequestContext {
  return requestContext({ accountId: ACCOUNT, region: REGION, principalArn: PRINCIPAL }, over);
}

export async function harness(opts: { dataDir?: string; clock?: Clock; start?: boolean } = {}): Promise<Harness> {
  const store = await openSqliteStore(opts.dataDir ?? ':memory:');
  const clock = opts.clock ?? new ManualClock(Date.UTC(2024, 4, 1, 12, 0, 0));
  const config = { region: REGION, accountId: ACCOUNT, dataDir: opts.dataDir ?? ':memory:', publicUrl: PUBLIC_URL } as Config;
  const targets = new Targets();
  const log = createLogger('silent');
  const service = createQueuesService({
    config, store, secrets: SecretBox.fromKey(Buffer.alloc(32, 1)), clock, log,
    deliveries: createDeliveryEngine({ store, clock, log, targets }), targets, metrics: new MetricsHub(), logs: new LogsHub(),
  });
  if (opts.start) service.start?.();
  const h: Harness = {
    service,
    store,
    clock,
    targets,
    call: (operation, input, ctx) => callOperation(service, operation, input, context(ctx)),
    async queue(name, attributes) {
      return (await h.call('CreateQueue', { QueueName: name, ...(attributes ? { Attributes: attributes } : {}) })).QueueUrl;
    },
    advance(ms) {
      assert.ok(clock instanceof ManualClock, 'advance needs the manual clock');
      clock.advance(ms);
    },
    async close() {
      await service.stop?.();
      await store.close();
    },
  };
  return h;
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
