/**
 * @module services/functions/invoke/async
 * Asynchronous invocation (InvocationType Event, and every service that invokes a function by
 * ARN through core/targets: SNS, EventBridge, CloudWatch alarms) as a durable job of the one
 * delivery engine, with Lambda's rules:
 *
 * - the event is a committed job before the caller hears 202, so it survives a crash;
 * - a function error is retried MaximumRetryAttempts times (default 2), the first retry after
 *   `functionRetryDelaySeconds` (AWS: one minute) and the next after twice that;
 * - an event older than MaximumEventAgeInSeconds (default 6 hours) is not run again;
 * - a throttle (no concurrency free) is not a failed attempt: the event waits for a slot;
 * - the outcome goes to the OnSuccess / OnFailure destination as Lambda's invocation record,
 *   and a failed event also to the function's dead-letter queue or topic, each as a durable
 *   `target` job.
 *
 * The event invoke configuration and the function are read again at every attempt, so a
 * configuration changed while an event waits applies to it, as on AWS.
 */
import { TARGET_KIND, type TargetPayload } from '../../../core/deliveries/senders.js';
import type { DeliveryEngine, Job, NewJob, Outcome } from '../../../core/deliveries/types.js';
import { isServiceError } from '../../../core/errors.js';
import type { Clock } from '../../../core/clock.js';
import type { Logger } from '../../../core/log.js';
import type { Store } from '../../../store/store.js';
import type { Config } from '../../../config/schema.js';
import type { ResolvedFunction } from '../resolve.js';
import { invokedArn, type Invoker } from './invoker.js';
import type { ResolveCache } from './resolve-cache.js';
import { deadLetterMessage, destinationMessage, invocationRecord, type Condition } from './records.js';

export const ASYNC_KIND = 'lambda.async';
/** Lambda's limit for an asynchronous event */
export const MAX_ASYNC_PAYLOAD = 1024 * 1024;
const DEFAULT_RETRIES = 2;
const DEFAULT_MAX_AGE_S = 21_600;
/** the engine's own ceiling: the sender decides when an event is done (see finality below) */
const MAX_ATTEMPTS = 1 + DEFAULT_RETRIES;
/** how long an attempt waits for a free concurrency slot before it yields its turn */
const SLOT_WAIT_MS = 30_000;

interface AsyncPayload {
  accountId: string;
  region: string;
  principalArn: string;
  /** as the caller named it: a name, partial or full ARN */
  functionName: string;
  qualifier?: string;
  invokedFunctionArn: string;
  requestId: string;
  /** the event, base64 */
  event: string;
}

export interface AsyncDeps {
  config: Config;
  store: Store;
  clock: Clock;
  log: Logger;
  deliveries: DeliveryEngine;
  invoker: Invoker;
  /** resolves functions, reusing settled answers until a Lambda operation changes something */
  functions: ResolveCache;
}

export interface AsyncRequest {
  caller: { accountId: string; region: string; principalArn: string };
  functionName: string;
  qualifier?: string;
  fn: ResolvedFunction;
  requestId: string;
  event: Buffer;
}

/** Queues one event; resolves once it is committed. */
export async function enqueueAsync(d: AsyncDeps, r: AsyncRequest): Promise<void> {
  const payload: AsyncPayload = {
    accountId: r.caller.accountId,
    region: r.caller.region,
    principalArn: r.caller.principalArn,
    functionName: r.functionName,
    qualifier: r.qualifier,
    invokedFunctionArn: invokedArn(r.fn, r.functionName, r.qualifier),
    requestId: r.requestId,
    event: r.event.toString('base64'),
  };
  const delayMs = d.config.functionRetryDelaySeconds * 1000;
  await d.deliveries.enqueue([
    {
      kind: ASYNC_KIND,
      source: 'lambda',
      target: r.fn.functionArn,
      ref: r.fn.functionArn,
      payload,
      // the age limit is the sender's to apply (it owes the OnFailure record); the engine's is a backstop
      retry: { maxAttempts: MAX_ATTEMPTS, baseDelayMs: delayMs, maxDelayMs: 2 * delayMs, backoff: 'linear', jitter: 0, maxAgeMs: 7 * 86_400_000 },
    },
  ]);
}

export function asyncSender(d: AsyncDeps) {
  return async (job: Job): Promise<Outcome> => {
    const p = job.payload as AsyncPayload;
    const event = Buffer.from(p.event, 'base64');
    const caller = { accountId: p.accountId, region: p.region, principalArn: p.principalArn };
    let fn: ResolvedFunction;
    try {
      fn = await d.functions.resolve(caller, p.functionName, p.qualifier);
    } catch (e) {
      // the function was deleted meanwhile: nothing can run the event any more
      if (isServiceError(e) && e.status === 404) return { ok: false, retryable: false, error: e.message };
      throw e;
    }
    if (fn.state.state !== 'Active') return { ok: false, retryable: true, error: `the function is ${fn.state.state}`, retryAfterMs: 1000 };
    const cfg = fn.eventInvokeConfig;
    const maxAgeMs = (cfg?.maximumEventAgeInSeconds ?? DEFAULT_MAX_AGE_S) * 1000;
    const allowedAttempts = 1 + (cfg?.maximumRetryAttempts ?? DEFAULT_RETRIES);
    const now = d.clock.ms();
    if (now - job.createdAt > maxAgeMs) {
      await settle(d, fn, p, event, 'EventAgeExceeded', job.attempt - 1, undefined);
      return { ok: false, retryable: false, error: `the event is older than MaximumEventAgeInSeconds (${maxAgeMs / 1000})` };
    }
    if (!(await waitForSlot(d, fn))) return { ok: false, retryable: true, error: 'throttled: no concurrency free', retryAfterMs: 1000 };
    let out;
    try {
      out = await d.invoker.run(fn, { requestId: p.requestId, payload: event, invokedFunctionArn: p.invokedFunctionArn });
    } catch (e) {
      if (isServiceError(e) && e.code === 'TooManyRequestsException') return { ok: false, retryable: true, error: 'throttled', retryAfterMs: 1000 };
      throw e;
    }
    const response = { executedVersion: fn.executedVersion, functionError: out.functionError, payload: out.payload };
    if (!out.functionError) {
      await settle(d, fn, p, event, 'Success', job.attempt, response);
      return { ok: true, excerpt: out.payload.subarray(0, 200).toString('utf8') };
    }
    const final = job.attempt >= Math.min(allowedAttempts, MAX_ATTEMPTS);
    if (final) await settle(d, fn, p, event, 'RetriesExhausted', job.attempt, response);
    return { ok: false, retryable: !final, error: `${out.errorType ?? 'Unhandled'}: ${out.payload.subarray(0, 300).toString('utf8')}` };
  };
}

/** Waits (briefly) for the function to have a free concurrency slot. */
async function waitForSlot(d: AsyncDeps, fn: ResolvedFunction): Promise<boolean> {
  const until = Date.now() + SLOT_WAIT_MS;
  while (!d.invoker.wouldAdmit(fn)) {
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

/** Queues the outcome for the destination and, on failure, the dead-letter target. */
async function settle(d: AsyncDeps, fn: ResolvedFunction, p: AsyncPayload, event: Buffer, condition: Condition, attempts: number, response: { executedVersion: string; functionError?: string; payload: Buffer } | undefined): Promise<void> {
  const at = new Date(d.clock.ms());
  const jobs: NewJob[] = [];
  const destination = condition === 'Success' ? fn.eventInvokeConfig?.onSuccess : fn.eventInvokeConfig?.onFailure;
  if (destination) {
    const record = invocationRecord({ requestId: p.requestId, versionArn: fn.versionArn, condition, approximateInvokeCount: attempts, event, response, at });
    jobs.push(targetJob(destination, { arn: destination, message: destinationMessage(destination, record, fn.versionArn, at) }, fn));
  }
  if (condition !== 'Success' && fn.deadLetterTargetArn) {
    const why = condition === 'EventAgeExceeded' ? 'Event age exceeded' : (response?.payload.toString('utf8') ?? condition);
    jobs.push(targetJob(fn.deadLetterTargetArn, { arn: fn.deadLetterTargetArn, message: deadLetterMessage(p.requestId, event, '200', why) }, fn));
  }
  if (jobs.length > 0) await d.deliveries.enqueue(jobs);
}

function targetJob(arn: string, payload: TargetPayload, fn: ResolvedFunction): NewJob {
  return { kind: TARGET_KIND, source: 'lambda', target: arn, ref: fn.functionArn, payload };
}
