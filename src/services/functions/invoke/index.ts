/**
 * @module services/functions/invoke
 * The invoke path: Invoke and InvokeAsync, asynchronous events as delivery jobs, the `lambda`
 * target other services invoke functions through (SNS, EventBridge, alarm actions), and
 * function URLs. One Invoker runs every invocation, whichever door it came in by.
 */
import { randomUUID } from 'node:crypto';
import { parseArn } from '../../../core/arn.js';
import { isServiceError } from '../../../core/errors.js';
import type { TargetResult } from '../../../core/targets/index.js';
import type { WireRequest, WireResponse } from '../../../protocols/codec.js';
import type { BoundOperation, ServiceDeps } from '../../service.js';
import { invoke, invokeAsync } from './api.js';
import { ASYNC_KIND, asyncSender, enqueueAsync, MAX_ASYNC_PAYLOAD, type AsyncDeps } from './async.js';
import { Invoker } from './invoker.js';
import { ResolveCache } from './resolve-cache.js';
import { serveFunctionUrl } from './url.js';

export interface InvokePath {
  operations: Record<string, BoundOperation<AsyncDeps>>;
  deps: AsyncDeps;
  /** a Lambda operation changed something: resolved functions are read afresh */
  changed(): void;
  route(req: WireRequest): Promise<WireResponse | undefined>;
  stop(): Promise<void>;
}

/** in flight at once per function for asynchronous events (more wait in the engine's queue) */
const ASYNC_CONCURRENCY = 64;

export function createInvokePath(deps: ServiceDeps): InvokePath {
  const invoker = new Invoker({ config: deps.config, log: deps.log, metrics: deps.metrics, logs: deps.logs, sessions: deps.sessions });
  const functions = new ResolveCache({ store: deps.store, config: deps.config });
  const d: AsyncDeps = { config: deps.config, store: deps.store, clock: deps.clock, log: deps.log, deliveries: deps.deliveries, invoker, functions };
  deps.deliveries.register(ASYNC_KIND, asyncSender(d), { throttle: () => ({ concurrency: ASYNC_CONCURRENCY }) });
  deps.targets.register('lambda', { send: (arn, message) => acceptEvent(d, arn, Buffer.from(message.body, 'utf8'), message.sourceService) });
  return {
    operations: { Invoke: invoke, InvokeAsync: invokeAsync },
    deps: d,
    changed: () => functions.changed(),
    route: (req) => serveFunctionUrl(d, req),
    stop: () => invoker.stop(),
  };
}

/** Another service invokes a function by ARN: an asynchronous event, as AWS's services do. */
async function acceptEvent(d: AsyncDeps, arn: string, event: Buffer, sourceService: string | undefined): Promise<TargetResult> {
  const a = parseArn(arn);
  if (!a) return { ok: false, retryable: false, error: `not a function ARN: ${arn}` };
  if (event.length > MAX_ASYNC_PAYLOAD) return { ok: false, retryable: false, code: 'RequestTooLargeException', error: 'the event is larger than 1 MB' };
  const caller = { accountId: a.accountId, region: a.region, principalArn: sourceService ?? 'lambda.amazonaws.com' };
  try {
    const fn = await d.functions.resolve(caller, arn);
    await enqueueAsync(d, { caller, functionName: arn, fn, requestId: randomUUID(), event });
    return { ok: true };
  } catch (e) {
    if (isServiceError(e)) return { ok: false, retryable: e.status >= 500 || e.status === 429, code: e.code, error: e.message };
    throw e;
  }
}
