/**
 * @module services/topics/harness.test
 * Shared set-up for this folder's tests (named *.test.ts so the build leaves it out; it holds no
 * tests itself): the real SNS service from its factory over a real SQLite store, a real
 * SecretBox and the real delivery engine — not started, so the jobs a call commits stay in the
 * job table, where `jobs()` reads them back exactly as the senders would receive them.
 */
import { callOperation, requestContext } from '../../../test/helpers/service-context.js';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../config/schema.js';
import { systemClock } from '../../core/clock.js';
import { createDeliveryEngine } from '../../core/deliveries/index.js';
import type { DeliveryEngine, NewJob } from '../../core/deliveries/types.js';
import { isServiceError, type ErrorCode } from '../../core/errors.js';
import { createLogger } from '../../core/log.js';
import { SecretBox } from '../../core/secrets.js';
import { Targets } from '../../core/targets/index.js';
import { openSqliteStore } from '../../store/open.js';
import type { Store } from '../../store/store.js';
import type { RequestContext, ServiceDefinition } from '../service.js';
import type { SnsDelivery } from './delivery-payload.js';
import { createTopicsService } from './index.js';
import { MetricsHub } from '../../core/metrics/index.js';
import { LogsHub } from '../../core/logs/index.js';

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';
export const PUBLIC_URL = 'http://sbx.test:4566';

export interface StoredJob extends NewJob {
  payload: SnsDelivery;
}

export interface Harness {
  service: ServiceDefinition;
  store: Store;
  deliveries: DeliveryEngine;
  secrets: SecretBox;
  /** number of deliveries.enqueue calls so far */
  enqueueCalls(): number;
  call<T = Record<string, any>>(operation: string, input: Record<string, unknown>, ctx?: Partial<RequestContext>): Promise<T>;
  /** the jobs committed so far, oldest first */
  jobs(filter?: { kind?: string; ref?: string }): Promise<StoredJob[]>;
  topic(name: string, attributes?: Record<string, string>): Promise<string>;
  close(): Promise<void>;
}

export function context(over: Partial<RequestContext> = {}): RequestContext {
  return requestContext({ accountId: ACCOUNT, region: REGION }, over);
}

export async function harness(): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sbx-topics-'));
  const store = await openSqliteStore(':memory:');
  const secrets = SecretBox.fromKey(Buffer.alloc(32, 7));
  const log = createLogger('silent');
  const targets = new Targets();
  const deliveries = createDeliveryEngine({ store, clock: systemClock, log, targets });
  let calls = 0;
  const enqueue = deliveries.enqueue.bind(deliveries);
  deliveries.enqueue = (jobs, tx) => {
    calls++;
    return enqueue(jobs, tx);
  };
  const config = { region: REGION, accountId: ACCOUNT, dataDir, publicUrl: PUBLIC_URL } as Config;
  const service = createTopicsService({ config, store, secrets, clock: systemClock, log, deliveries, targets, metrics: new MetricsHub(), logs: new LogsHub() });
  const h: Harness = {
    service,
    store,
    deliveries,
    secrets,
    enqueueCalls: () => calls,
    call: (operation, input, ctx) => callOperation(service, operation, input, context(ctx)),
    async jobs(filter = {}) {
      const rows = await store.all<{ kind: string; source: string; target: string; ref: string | null; payload: string; retry: string | null; dead_letter: string | null }>(
        'SELECT kind, source, target, ref, payload, retry, dead_letter FROM delivery_jobs ORDER BY id',
      );
      return rows
        .map((r) => ({
          kind: r.kind,
          source: r.source,
          target: r.target,
          ref: r.ref ?? undefined,
          payload: JSON.parse(r.payload) as SnsDelivery,
          retry: r.retry ? JSON.parse(r.retry) : undefined,
          deadLetter: r.dead_letter ? JSON.parse(r.dead_letter) : undefined,
        }))
        .filter((j) => (!filter.kind || j.kind === filter.kind) && (!filter.ref || j.ref === filter.ref));
    },
    async topic(name, attributes) {
      const out = await h.call('CreateTopic', { Name: name, Attributes: attributes });
      return out.TopicArn as string;
    },
    async close() {
      await service.stop?.();
      await deliveries.stop(0);
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return h;
}

/** Asserts that `p` rejects with the AWS error `code` (and a message matching `message`). */
export async function rejectsWith(p: Promise<unknown>, code: ErrorCode | string, message?: RegExp | string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isServiceError(e), `expected a ServiceError, got ${String(e)}`);
    assert.equal(e.queryCode ?? e.code, code, `code (message: ${e.message})`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return true;
  });
}
