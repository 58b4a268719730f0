/**
 * @module services/dashboards/harness.test
 * Shared set-up for this folder's tests (named *.test.ts so the build leaves it out; it holds no
 * tests itself): the dashboards part from its factory over a real in-memory SQLite store, a
 * manual clock, and a helper to assert AWS error codes.
 */
import { requestContext } from '../../../test/helpers/service-context.js';
import { createDeliveryEngine } from '../../core/deliveries/index.js';
import { Targets } from '../../core/targets/index.js';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Config } from '../../config/schema.js';
import { ManualClock } from '../../core/clock.js';
import { isServiceError, type ErrorCode, type ServiceError } from '../../core/errors.js';
import { createLogger } from '../../core/log.js';
import { MetricsHub } from '../../core/metrics/index.js';
import { LogsHub } from '../../core/logs/index.js';
import { SecretBox } from '../../core/secrets.js';
import { openSqliteStore } from '../../store/open.js';
import type { Store } from '../../store/store.js';
import type { ApiPart } from '../cloudwatch/part.js';
import type { RequestContext } from '../service.js';
import { createDashboards } from './index.js';

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';

export interface Harness {
  part: ApiPart;
  store: Store;
  clock: ManualClock;
  /** calls an operation as the default caller, or with parts of the context replaced */
  call<T = Record<string, any>>(operation: string, input: Record<string, unknown>, ctx?: Partial<RequestContext>): Promise<T>;
  close(): Promise<void>;
}

export function context(over: Partial<RequestContext> = {}): RequestContext {
  return requestContext({ accountId: ACCOUNT, region: REGION }, over);
}

export async function harness(): Promise<Harness> {
  const store = await openSqliteStore(':memory:');
  const clock = new ManualClock(Date.UTC(2024, 4, 1, 12, 0, 0));
  const config = { region: REGION, accountId: ACCOUNT, dataDir: ':memory:' } as Config;
  const log = createLogger('silent');
  const targets = new Targets();
  const deliveries = createDeliveryEngine({ store, clock, log, targets });
  const part = createDashboards({ config, store, secrets: SecretBox.fromKey(randomBytes(32)), clock, log, deliveries, targets, metrics: new MetricsHub(), logs: new LogsHub() });
  return {
    part,
    store,
    clock,
    call: async (operation, input, ctx) => {
      const handler = part.handlers[operation];
      assert.ok(handler, `no handler for ${operation}`);
      return (await handler(input, context(ctx))) as any;
    },
    close: () => store.close(),
  };
}

/** Asserts that `p` rejects with the AWS error `code` (and a message matching `message`); returns the error. */
export async function rejectsWith(p: Promise<unknown>, code: ErrorCode, message?: RegExp | string): Promise<ServiceError> {
  let caught: ServiceError | undefined;
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isServiceError(e), `expected a ServiceError, got ${String(e)}`);
    assert.equal(e.code, code, `code (message: ${e.message})`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    caught = e;
    return true;
  });
  return caught!;
}
