import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_POLICIES, DEFAULT_POLICY, resolvePolicy, retryDelay } from './policy.js';
import type { RetryPolicy } from './types.js';

const p = (o: Partial<RetryPolicy>): RetryPolicy => ({ ...DEFAULT_POLICY, jitter: 0, ...o });

test('exponential, linear and fixed backoff without jitter, capped at maxDelayMs', () => {
  const exp = p({ backoff: 'exponential', baseDelayMs: 100, maxDelayMs: 1000 });
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => retryDelay(exp, n)), [100, 200, 400, 800, 1000, 1000]);
  const lin = p({ backoff: 'linear', baseDelayMs: 100, maxDelayMs: 250 });
  assert.deepEqual([1, 2, 3, 4].map((n) => retryDelay(lin, n)), [100, 200, 250, 250]);
  const fixed = p({ backoff: 'fixed', baseDelayMs: 20_000, maxDelayMs: 20_000 });
  assert.deepEqual([1, 2, 3].map((n) => retryDelay(fixed, n)), [20_000, 20_000, 20_000]);
  assert.equal(retryDelay(exp, 5000), 1000, 'a huge attempt number does not overflow');
});

test('jitter shortens a delay by at most its fraction, and actually varies', () => {
  const pol = p({ backoff: 'exponential', baseDelayMs: 1000, maxDelayMs: 60_000, jitter: 0.5 });
  assert.equal(retryDelay(pol, 3, () => 0), 4000);
  assert.equal(retryDelay(pol, 3, () => 1), 2000);
  const seen = new Set<number>();
  for (let i = 0; i < 200; i++) {
    const d = retryDelay(pol, 3);
    assert.ok(d >= 2000 && d <= 4000, `${d} within [2000, 4000]`);
    seen.add(d);
  }
  assert.ok(seen.size > 20, 'jittered delays differ');
});

test('a job override is merged over the source policy and clamped', () => {
  const sns = DEFAULT_POLICIES.sns;
  assert.equal(resolvePolicy(sns), sns);
  const r = resolvePolicy(sns, { maxAttempts: 0, jitter: 7, baseDelayMs: -5, maxAgeMs: undefined });
  assert.equal(r.maxAttempts, 1);
  assert.equal(r.jitter, 1);
  assert.equal(r.baseDelayMs, 0);
  assert.equal(r.maxAgeMs, sns.maxAgeMs);
  assert.equal(resolvePolicy(sns, { backoff: 'weird' as never }).backoff, sns.backoff);
});

test('defaults follow AWS: SNS 4 attempts 20 s apart, EventBridge 185 in 24 h, Lambda 3 within 6 h', () => {
  assert.equal(DEFAULT_POLICIES.sns.maxAttempts, 4);
  assert.equal(retryDelay(DEFAULT_POLICIES.sns, 1), 20_000);
  assert.equal(DEFAULT_POLICIES.events.maxAttempts, 185);
  assert.equal(DEFAULT_POLICIES.events.maxAgeMs, 24 * 3600_000);
  assert.equal(DEFAULT_POLICIES.lambda.maxAttempts, 3);
  assert.equal(retryDelay({ ...DEFAULT_POLICIES.lambda, jitter: 0 }, 1), 60_000);
  assert.equal(retryDelay({ ...DEFAULT_POLICIES.lambda, jitter: 0 }, 2), 120_000);
  assert.equal(DEFAULT_POLICIES.lambda.maxAgeMs, 6 * 3600_000);
});
