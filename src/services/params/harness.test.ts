/**
 * @module services/params/harness.test
 * Shared set-up for this folder's tests (named *.test.ts so the build leaves it out; it holds no
 * tests itself): the real service from its factory over a real SQLite store and a real
 * SecretBox, a manual clock, and a helper to assert AWS error codes.
 */
import { callOperation, requestContext } from '../../../test/helpers/service-context.js';
import { createDeliveryEngine } from '../../core/deliveries/index.js';
import { Targets } from '../../core/targets/index.js';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Config } from '../../config/schema.js';
import { ManualClock } from '../../core/clock.js';
import { isServiceError, type ErrorCode } from '../../core/errors.js';
import { createLogger } from '../../core/log.js';
import { SecretBox } from '../../core/secrets.js';
import { openSqliteStore } from '../../store/open.js';
import type { Store } from '../../store/store.js';
import type { RequestContext, ServiceDefinition } from '../service.js';
import { createParamsService } from './index.js';
import { MetricsHub } from '../../core/metrics/index.js';
import { LogsHub } from '../../core/logs/index.js';

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';
export const PRINCIPAL = `arn:aws:iam::${ACCOUNT}:user/alice`;

export interface Harness {
  service: ServiceDefinition;
  store: Store;
  clock: ManualClock;
  key: Buffer;
  /** calls an operation as the default caller, or with parts of the context replaced */
  call<T = Record<string, any>>(operation: string, input: Record<string, unknown>, ctx?: Partial<RequestContext>): Promise<T>;
  close(): Promise<void>;
}

export function context(over: Partial<RequestContext> = {}): RequestContext {
  return requestContext({ accountId: ACCOUNT, region: REGION, principalArn: PRINCIPAL }, over);
}

export async function harness(opts: { dataDir?: string; key?: Buffer } = {}): Promise<Harness> {
  const store = await openSqliteStore(opts.dataDir ?? ':memory:');
  const key = opts.key ?? randomBytes(32);
  const clock = new ManualClock(Date.UTC(2024, 4, 1, 12, 0, 0));
  const config = { region: REGION, accountId: ACCOUNT, dataDir: opts.dataDir ?? ':memory:' } as Config;
  const log = createLogger('silent');
  const targets = new Targets();
  const deliveries = createDeliveryEngine({ store, clock, log, targets });
  const service = createParamsService({ config, store, secrets: SecretBox.fromKey(key), clock, log, deliveries, targets, metrics: new MetricsHub(), logs: new LogsHub() });
  return {
    service,
    store,
    clock,
    key,
    call: (operation, input, ctx) => callOperation(service, operation, input, context(ctx)),
    close: () => store.close(),
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
