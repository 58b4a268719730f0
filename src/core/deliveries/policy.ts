/**
 * @module core/deliveries/policy
 * Retry policies: the default per source (what AWS does for that kind of delivery), merged with a
 * job's own overrides, and the delay before the next attempt. Kept apart from the engine so the
 * arithmetic can be tested without timers.
 */
import type { RetryPolicy } from './types.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * Defaults per source. Where AWS documents one, it is copied:
 * - sns: the HTTP/S default delivery policy, 3 retries 20 s apart (4 attempts), no jitter; an SNS
 *   delivery policy may not span more than an hour.
 * - events: EventBridge retries a target for 24 h and up to 185 times, exponential with jitter;
 *   capped at 10 min with half jitter, 185 attempts average about 23 h.
 * - lambda: asynchronous invocation retries twice, about 1 and 2 minutes after, and drops events
 *   older than 6 h.
 * - anything else: exponential from 1 s to 5 min with jitter, 10 attempts, one day at most.
 */
export const DEFAULT_POLICIES: Readonly<Record<string, RetryPolicy>> = {
  sns: { maxAttempts: 4, baseDelayMs: 20 * SECOND, maxDelayMs: 20 * SECOND, backoff: 'fixed', jitter: 0, maxAgeMs: HOUR },
  events: { maxAttempts: 185, baseDelayMs: SECOND, maxDelayMs: 10 * MINUTE, backoff: 'exponential', jitter: 0.5, maxAgeMs: 24 * HOUR },
  lambda: { maxAttempts: 3, baseDelayMs: MINUTE, maxDelayMs: 2 * MINUTE, backoff: 'exponential', jitter: 0.1, maxAgeMs: 6 * HOUR },
};

export const DEFAULT_POLICY: RetryPolicy = {
  maxAttempts: 10,
  baseDelayMs: SECOND,
  maxDelayMs: 5 * MINUTE,
  backoff: 'exponential',
  jitter: 0.5,
  maxAgeMs: 24 * HOUR,
};

/** The source's policy with the job's overrides; out-of-range values are clamped, not trusted. */
export function resolvePolicy(base: RetryPolicy, override?: Partial<RetryPolicy>): RetryPolicy {
  const p = override ? { ...base, ...stripUndefined(override) } : base;
  if (p === base) return base;
  return {
    maxAttempts: Math.max(1, Math.floor(finite(p.maxAttempts, base.maxAttempts))),
    baseDelayMs: Math.max(0, finite(p.baseDelayMs, base.baseDelayMs)),
    maxDelayMs: Math.max(0, finite(p.maxDelayMs, base.maxDelayMs)),
    backoff: p.backoff === 'linear' || p.backoff === 'fixed' || p.backoff === 'exponential' ? p.backoff : base.backoff,
    jitter: Math.min(1, Math.max(0, finite(p.jitter, base.jitter))),
    maxAgeMs: Math.max(0, finite(p.maxAgeMs, base.maxAgeMs)),
  };
}

/**
 * Delay after the `attempt`-th attempt (1-based) failed: base × 2^(n-1), base × n or base, at
 * most maxDelayMs, then shortened by up to `jitter` of itself (so retries of many jobs that failed
 * together spread out instead of arriving together). Result in [d × (1 - jitter), d].
 */
export function retryDelay(p: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const n = Math.max(1, attempt);
  let d: number;
  if (p.backoff === 'fixed') d = p.baseDelayMs;
  else if (p.backoff === 'linear') d = p.baseDelayMs * n;
  else d = p.baseDelayMs * 2 ** Math.min(n - 1, 52);
  d = Math.min(d, p.maxDelayMs);
  if (p.jitter > 0) d -= d * p.jitter * random();
  return Math.round(d);
}

function finite(v: unknown, dflt: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : dflt;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
