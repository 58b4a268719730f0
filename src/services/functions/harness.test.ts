/**
 * @module services/functions/harness.test
 * Shared set-up for this folder's tests (named *.test.ts so the build leaves it out; it holds no
 * tests itself): the real Lambda service from its factory over a real SQLite store and a real
 * data dir, called the way the gateway calls it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callOperation, requestContext } from '../../../test/helpers/service-context.js';
import type { Config } from '../../config/schema.js';
import { ManualClock } from '../../core/clock.js';
import { createDeliveryEngine } from '../../core/deliveries/index.js';
import { isServiceError } from '../../core/errors.js';
import { createLogger } from '../../core/log.js';
import { LogsHub } from '../../core/logs/index.js';
import { MetricsHub } from '../../core/metrics/index.js';
import { SecretBox } from '../../core/secrets.js';
import { Targets } from '../../core/targets/index.js';
import { openSqliteStore } from '../../store/open.js';
import type { Store } from '../../store/store.js';
import type { RequestContext, ServiceDefinition } from '../service.js';
import { removeTree } from './code/unpack.js';
import { codeZip } from './code/zip-writer.test.js';
import { createFunctionsService } from './index.js';

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';
export const PUBLIC_URL = 'http://sbx.test:4566';
export const ROLE = `arn:aws:iam::${ACCOUNT}:role/lambda-role`;

export interface Harness {
  service: ServiceDefinition;
  store: Store;
  dataDir: string;
  clock: ManualClock;
  call<T = Record<string, any>>(operation: string, input: Record<string, unknown>, ctx?: Partial<RequestContext>): Promise<T>;
  /** CreateFunction with defaults, waiting until the code is unpacked (Active) */
  fn(name: string, extra?: Record<string, unknown>): Promise<Record<string, any>>;
  /** a fresh service over the same store and data dir, started (a restart) */
  restart(): Promise<void>;
  /** waits for the deployer: everything unpacked and settled */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export function context(over: Partial<RequestContext> = {}): RequestContext {
  return requestContext({ accountId: ACCOUNT, region: REGION }, over);
}

export async function harness(opts: { dataDir?: string; dbFile?: string } = {}): Promise<Harness> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'sbx-functions-'));
  let store = await openSqliteStore(opts.dbFile ?? ':memory:');
  const clock = new ManualClock(Date.UTC(2024, 0, 1));
  const log = createLogger('silent');
  const secrets = SecretBox.fromKey(Buffer.alloc(32, 9));
  const config = { region: REGION, accountId: ACCOUNT, dataDir, publicUrl: PUBLIC_URL } as Config;
  const make = () => {
    const targets = new Targets();
    return createFunctionsService({
      config, store, secrets, clock, log, targets, deliveries: createDeliveryEngine({ store, clock, log, targets }), metrics: new MetricsHub(), logs: new LogsHub(),
    });
  };
  let service = make();
  service.start?.();
  const h: Harness = {
    get service() {
      return service;
    },
    get store() {
      return store;
    },
    dataDir,
    clock,
    call: (operation, input, ctx) => callOperation(service, operation, input, context(ctx)),
    async fn(name, extra = {}) {
      const out = await h.call('CreateFunction', { FunctionName: name, Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: codeZip() }, ...extra });
      await h.settled();
      return out;
    },
    async restart() {
      await service.stop?.();
      if (opts.dbFile) {
        await store.close();
        store = await openSqliteStore(opts.dbFile);
      }
      service = make();
      service.start?.();
      await h.settled();
    },
    async settled() {
      // the deployer is private to the service; its work shows as states settling in the store
      // (a generous deadline: the machines are shared, and unpacking waits for the disk)
      for (const deadline = Date.now() + 20_000; Date.now() < deadline; ) {
        const busy = await store.one<{ n: number }>(
          "SELECT (SELECT count(*) FROM lambda_code_packages WHERE status = 'pending') + (SELECT count(*) FROM lambda_versions WHERE state = 'Pending' OR update_status = 'InProgress') AS n",
        );
        if (Number(busy?.n ?? 0) === 0) return;
        await new Promise((r) => setTimeout(r, 10));
      }
      assert.fail('the deployer did not settle');
    },
    async close() {
      await service.stop?.();
      await store.close();
      await removeTree(dataDir);
    },
  };
  return h;
}

/** Asserts that `p` rejects with the AWS error `code` (status, message when given). */
export async function rejectsWith(p: Promise<unknown>, code: string, message?: RegExp | string, status?: number): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isServiceError(e), `expected a ServiceError, got ${String(e)}`);
    assert.equal(e.code, code, `code (message: ${e.message})`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    if (status !== undefined) assert.equal(e.status, status);
    return true;
  });
}
