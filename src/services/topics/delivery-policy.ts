/**
 * @module services/topics/delivery-policy
 * SNS DeliveryPolicy documents (HTTP/S retries): validation, the effective policy a subscription
 * gets, and its translation into the delivery engine's RetryPolicy.
 *
 * A topic's policy is `{"http": {"defaultHealthyRetryPolicy", "defaultThrottlePolicy",
 * "defaultRequestPolicy", "disableSubscriptionOverrides"}}`; a subscription's is
 * `{"healthyRetryPolicy", "throttlePolicy", "requestPolicy"}`. A subscription's own policy wins
 * unless the topic disables overrides. AWS's three-phase schedule (no-delay, min-delay, backoff,
 * max-delay retries) is approximated by the engine's single backoff curve from minDelayTarget
 * to maxDelayTarget: the number of attempts and the delay bounds are kept exactly.
 */
import type { RetryPolicy } from '../../core/deliveries/types.js';
import { invalid } from './model.js';

export interface HealthyRetryPolicy {
  minDelayTarget: number;
  maxDelayTarget: number;
  numRetries: number;
  numMaxDelayRetries: number;
  numNoDelayRetries: number;
  numMinDelayRetries: number;
  backoffFunction: 'linear' | 'arithmetic' | 'geometric' | 'exponential';
}

export const DEFAULT_HEALTHY_RETRY: HealthyRetryPolicy = {
  minDelayTarget: 20,
  maxDelayTarget: 20,
  numRetries: 3,
  numMaxDelayRetries: 0,
  numNoDelayRetries: 0,
  numMinDelayRetries: 0,
  backoffFunction: 'linear',
};

export const DEFAULT_CONTENT_TYPE = 'text/plain; charset=UTF-8';

/** What GetTopicAttributes shows as EffectiveDeliveryPolicy for a topic without its own. */
export function defaultEffectivePolicy(): Record<string, unknown> {
  return {
    http: {
      defaultHealthyRetryPolicy: { ...DEFAULT_HEALTHY_RETRY },
      disableSubscriptionOverrides: false,
      defaultRequestPolicy: { headerContentType: DEFAULT_CONTENT_TYPE },
    },
  };
}

const RETRY_KEYS = new Set(['minDelayTarget', 'maxDelayTarget', 'numRetries', 'numMaxDelayRetries', 'numNoDelayRetries', 'numMinDelayRetries', 'backoffFunction']);
const BACKOFF = new Set(['linear', 'arithmetic', 'geometric', 'exponential']);

function fail(prefix: string, reason: string): never {
  throw invalid(`${prefix}DeliveryPolicy: ${reason}`);
}

function parseObject(text: string, prefix: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    fail(prefix, 'failed to parse JSON');
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) fail(prefix, 'must be a JSON object');
  return doc as Record<string, unknown>;
}

function checkInt(v: unknown, path: string, prefix: string, min: number, max: number): void {
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isInteger(v)) fail(prefix, `${path} must be an integer`);
  if (v < min) fail(prefix, `${path} must be greater than or equal to ${min}`);
  if (v > max) fail(prefix, `${path} must be less than or equal to ${max}`);
}

function checkRetry(v: unknown, path: string, prefix: string): void {
  if (v === undefined) return;
  if (!v || typeof v !== 'object' || Array.isArray(v)) fail(prefix, `${path} must be a JSON object`);
  const r = v as Record<string, unknown>;
  for (const k of Object.keys(r)) if (!RETRY_KEYS.has(k)) fail(prefix, `Unexpected JSON member: ${k}`);
  checkInt(r.minDelayTarget, `${path}.minDelayTarget`, prefix, 1, 3600);
  checkInt(r.maxDelayTarget, `${path}.maxDelayTarget`, prefix, 1, 3600);
  checkInt(r.numRetries, `${path}.numRetries`, prefix, 0, 100);
  for (const k of ['numMaxDelayRetries', 'numNoDelayRetries', 'numMinDelayRetries']) checkInt(r[k], `${path}.${k}`, prefix, 0, 100);
  const min = (r.minDelayTarget as number | undefined) ?? DEFAULT_HEALTHY_RETRY.minDelayTarget;
  const max = (r.maxDelayTarget as number | undefined) ?? DEFAULT_HEALTHY_RETRY.maxDelayTarget;
  if (min > max) fail(prefix, `${path}.minDelayTarget must be less than or equal to maxDelayTarget`);
  if (r.backoffFunction !== undefined && !BACKOFF.has(r.backoffFunction as string)) {
    fail(prefix, `${path}.backoffFunction must be one of linear, arithmetic, geometric, exponential`);
  }
}

function checkThrottle(v: unknown, path: string, prefix: string): void {
  if (v === undefined) return;
  if (!v || typeof v !== 'object' || Array.isArray(v)) fail(prefix, `${path} must be a JSON object`);
  for (const k of Object.keys(v)) if (k !== 'maxReceivesPerSecond') fail(prefix, `Unexpected JSON member: ${k}`);
  checkInt((v as Record<string, unknown>).maxReceivesPerSecond, `${path}.maxReceivesPerSecond`, prefix, 1, Number.MAX_SAFE_INTEGER);
}

function checkRequest(v: unknown, path: string, prefix: string): void {
  if (v === undefined) return;
  if (!v || typeof v !== 'object' || Array.isArray(v)) fail(prefix, `${path} must be a JSON object`);
  for (const k of Object.keys(v)) if (k !== 'headerContentType') fail(prefix, `Unexpected JSON member: ${k}`);
  const ct = (v as Record<string, unknown>).headerContentType;
  if (ct !== undefined && typeof ct !== 'string') fail(prefix, `${path}.headerContentType must be a string`);
}

/** Validates a topic's DeliveryPolicy; `prefix` is 'Attributes Reason: ' inside CreateTopic. */
export function validateTopicDeliveryPolicy(text: string, prefix = ''): void {
  if (text === '') return;
  const doc = parseObject(text, prefix);
  for (const [proto, section] of Object.entries(doc)) {
    // AWS accepts sections for other protocols (sqs, lambda…) but only http has retry settings here
    if (!section || typeof section !== 'object' || Array.isArray(section)) fail(prefix, `${proto} must be a JSON object`);
    const s = section as Record<string, unknown>;
    for (const k of Object.keys(s)) {
      if (!['defaultHealthyRetryPolicy', 'defaultThrottlePolicy', 'defaultRequestPolicy', 'disableSubscriptionOverrides', 'defaultSicklyRetryPolicy'].includes(k)) {
        fail(prefix, `Unexpected JSON member: ${k}`);
      }
    }
    checkRetry(s.defaultHealthyRetryPolicy, `${proto}.defaultHealthyRetryPolicy`, prefix);
    checkThrottle(s.defaultThrottlePolicy, `${proto}.defaultThrottlePolicy`, prefix);
    checkRequest(s.defaultRequestPolicy, `${proto}.defaultRequestPolicy`, prefix);
    if (s.disableSubscriptionOverrides !== undefined && typeof s.disableSubscriptionOverrides !== 'boolean') {
      fail(prefix, `${proto}.disableSubscriptionOverrides must be a boolean`);
    }
  }
}

/** Validates a subscription's DeliveryPolicy. */
export function validateSubscriptionDeliveryPolicy(text: string, prefix = ''): void {
  if (text === '') return;
  const doc = parseObject(text, prefix);
  for (const k of Object.keys(doc)) {
    if (!['healthyRetryPolicy', 'throttlePolicy', 'requestPolicy', 'sicklyRetryPolicy'].includes(k)) fail(prefix, `Unexpected JSON member: ${k}`);
  }
  checkRetry(doc.healthyRetryPolicy, 'healthyRetryPolicy', prefix);
  checkThrottle(doc.throttlePolicy, 'throttlePolicy', prefix);
  checkRequest(doc.requestPolicy, 'requestPolicy', prefix);
}

function tryParse(text: string | undefined): Record<string, any> | undefined {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, any>) : undefined;
  } catch {
    return undefined;
  }
}

/** The topic's EffectiveDeliveryPolicy: its own policy over the defaults. */
export function effectiveTopicPolicy(topicPolicy: string | undefined): Record<string, any> {
  const base = defaultEffectivePolicy() as Record<string, any>;
  const own = tryParse(topicPolicy);
  if (!own) return base;
  const http = { ...base.http, ...(own.http ?? {}) };
  http.defaultHealthyRetryPolicy = { ...DEFAULT_HEALTHY_RETRY, ...(own.http?.defaultHealthyRetryPolicy ?? {}) };
  return { ...own, http };
}

export interface EffectiveSubscriptionPolicy {
  healthyRetryPolicy: HealthyRetryPolicy;
  throttlePolicy?: { maxReceivesPerSecond?: number };
  requestPolicy: { headerContentType: string };
}

/** What an HTTP/S subscription is delivered with (GetSubscriptionAttributes EffectiveDeliveryPolicy). */
export function effectiveSubscriptionPolicy(topicPolicy: string | undefined, subscriptionPolicy: string | undefined): EffectiveSubscriptionPolicy {
  const topic = effectiveTopicPolicy(topicPolicy).http as Record<string, any>;
  const sub = topic.disableSubscriptionOverrides ? undefined : tryParse(subscriptionPolicy);
  return {
    healthyRetryPolicy: { ...(topic.defaultHealthyRetryPolicy as HealthyRetryPolicy), ...(sub?.healthyRetryPolicy ?? {}) },
    throttlePolicy: sub?.throttlePolicy ?? topic.defaultThrottlePolicy,
    requestPolicy: { headerContentType: DEFAULT_CONTENT_TYPE, ...(topic.defaultRequestPolicy ?? {}), ...(sub?.requestPolicy ?? {}) },
  };
}

/** The engine's RetryPolicy for an effective HTTP/S policy. */
export function toRetryPolicy(p: EffectiveSubscriptionPolicy): Partial<RetryPolicy> {
  const r = p.healthyRetryPolicy;
  return {
    maxAttempts: r.numRetries + 1,
    baseDelayMs: r.minDelayTarget * 1000,
    maxDelayMs: r.maxDelayTarget * 1000,
    // arithmetic is AWS's other name for a linear curve, geometric for an exponential one
    backoff: r.backoffFunction === 'geometric' || r.backoffFunction === 'exponential' ? 'exponential' : 'linear',
  };
}
