/**
 * Target delivery through the durable engine: a Lambda target that keeps failing is retried as
 * its RetryPolicy says and then lands in the dead-letter queue with AWS's attributes; one that
 * recovers is delivered once; AWS/Events metrics count what happened.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCOUNT, REGION, harness, until } from './harness.test.js';

const FN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:worker`;
const DLQ = `arn:aws:sqs:${REGION}:${ACCOUNT}:dlq`;
const event = (n: number) => ({ Source: 'app', DetailType: 'Job', Detail: JSON.stringify({ n }) });

test('a failing function is retried MaximumRetryAttempts times, then the event is dead-lettered', async () => {
  const h = await harness();
  try {
    const calls = h.stub('lambda', () => ({ ok: false, retryable: true, error: 'function errored', code: 'Unhandled' }));
    const dlq = h.stub('sqs');
    await h.call('PutRule', { Name: 'jobs', EventPattern: '{"source":["app"]}' });
    await h.call('PutTargets', { Rule: 'jobs', Targets: [{ Id: 'fn', Arn: FN, RetryPolicy: { MaximumRetryAttempts: 2 }, DeadLetterConfig: { Arn: DLQ } }] });
    const r = await h.call('PutEvents', { Entries: [event(1)] });
    await until(() => dlq.length, (n) => n === 1, 15_000);
    assert.equal(calls.length, 3, 'one attempt and two retries');
    const m = dlq[0].m;
    assert.equal(dlq[0].arn, DLQ);
    assert.equal(JSON.parse(m.body).id, r.Entries[0].EventId);
    assert.equal(m.attributes!.EXHAUSTED_RETRY_CONDITION.StringValue, 'MaximumRetryAttempts');
    assert.equal(m.attributes!.RETRY_ATTEMPTS.StringValue, '2');
    assert.equal(m.attributes!.ERROR_CODE.StringValue, 'Unhandled');
    assert.equal(m.attributes!.RULE_ARN.StringValue, `arn:aws:events:${REGION}:${ACCOUNT}:rule/jobs`);
    assert.equal(m.attributes!.TARGET_ARN.StringValue, FN);
    // the function got the event itself (no input shaping), with the rule as its source
    assert.equal(JSON.parse(calls[0].m.body).detail.n, 1);
    assert.equal(calls[0].m.sourceArn, `arn:aws:events:${REGION}:${ACCOUNT}:rule/jobs`);
    await until(() => h.metric('FailedInvocations', 1), (n) => n === 0, 1200);
    await h.close();
    assert.equal(h.metric('Invocations', 1), 1);
    assert.equal(h.metric('FailedInvocations', 1), 1);
    assert.equal(h.metric('DeadLetterInvocations', 1), 1);
    assert.equal(h.metric('MatchedEvents', 0), 1);
  } finally {
    await h.close().catch(() => undefined);
  }
});

test('MaximumRetryAttempts 0 gives up after the first failure; a recovering target is delivered once', async () => {
  const h = await harness();
  try {
    const seen = new Map<number, number>();
    const calls = h.stub('lambda', (_n, _arn, m) => {
      const n = JSON.parse(m.body).detail.n as number;
      seen.set(n, (seen.get(n) ?? 0) + 1);
      // event 1 always fails; event 2 fails twice, then succeeds
      return n === 2 && seen.get(n)! > 2 ? { ok: true } : { ok: false, retryable: true, error: 'busy' };
    });
    const dlq = h.stub('sqs');
    await h.call('PutRule', { Name: 'once', EventPattern: '{"detail":{"n":[1]}}' });
    await h.call('PutRule', { Name: 'retry', EventPattern: '{"detail":{"n":[2]}}' });
    await h.call('PutTargets', { Rule: 'once', Targets: [{ Id: 'fn', Arn: FN, RetryPolicy: { MaximumRetryAttempts: 0 }, DeadLetterConfig: { Arn: DLQ } }] });
    await h.call('PutTargets', { Rule: 'retry', Targets: [{ Id: 'fn', Arn: FN, DeadLetterConfig: { Arn: DLQ } }] });
    await h.call('PutEvents', { Entries: [event(1), event(2)] });
    await until(() => seen.get(2) ?? 0, (n) => n >= 3, 15_000);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(seen.get(1), 1, 'no retry at all');
    assert.equal(seen.get(2), 3, 'failed twice, then delivered, and not again');
    assert.equal(calls.length, 4);
    assert.equal(dlq.length, 1);
    assert.equal(JSON.parse(dlq[0].m.body).detail.n, 1);
    assert.equal(dlq[0].m.attributes!.EXHAUSTED_RETRY_CONDITION.StringValue, 'MaximumRetryAttempts');
  } finally {
    await h.close();
  }
});

test('an expired event is dead-lettered with MaximumEventAgeInSeconds', async () => {
  const { ManualClock } = await import('../../core/clock.js');
  const clock = new ManualClock(Date.now());
  const h = await harness({ clock });
  try {
    h.stub('lambda', () => {
      clock.advance(120_000); // each attempt takes "two minutes"
      return { ok: false, retryable: true, error: 'slow' };
    });
    const dlq = h.stub('sqs');
    await h.call('PutRule', { Name: 'aged', EventPattern: '{"source":["app"]}' });
    await h.call('PutTargets', { Rule: 'aged', Targets: [{ Id: 'fn', Arn: FN, RetryPolicy: { MaximumEventAgeInSeconds: 60 }, DeadLetterConfig: { Arn: DLQ } }] });
    await h.call('PutEvents', { Entries: [event(3)] });
    await until(() => dlq.length, (n) => n === 1);
    assert.equal(dlq[0].m.attributes!.EXHAUSTED_RETRY_CONDITION.StringValue, 'MaximumEventAgeInSeconds');
  } finally {
    await h.close();
  }
});

test('the entries of one PutEvents call share one job per target, delivered in order', async () => {
  const h = await harness();
  try {
    const got = h.stub('sqs');
    await h.call('PutRule', { Name: 'all', EventPattern: '{"source":["app"]}' });
    await h.call('PutTargets', { Rule: 'all', Targets: [{ Id: 'q', Arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:q` }] });
    const r = await h.call('PutEvents', { Entries: Array.from({ length: 10 }, (_, n) => event(n)) });
    await until(() => got.length, (n) => n === 10);
    assert.deepEqual(got.map((g) => JSON.parse(g.m.body).detail.n), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(got.map((g) => JSON.parse(g.m.body).id), r.Entries.map((e: { EventId: string }) => e.EventId));
    const log = await until(() => h.deliveries.attempts({ ref: `arn:aws:events:${REGION}:${ACCOUNT}:rule/all` }), (l) => l.length > 0);
    assert.equal(log.length, 1, 'one job, one attempt');
    assert.equal(log[0].outcome, 'delivered');
    await h.close();
    assert.equal(h.metric('Invocations', 1), 10);
    assert.equal(h.metric('InvocationAttempts', 1), 10);
    assert.equal(h.metric('FailedInvocations', 1), 0);
  } finally {
    await h.close().catch(() => undefined);
  }
});

test('a job of several events retries only those that failed; one refused is dead-lettered alone', async () => {
  const h = await harness();
  try {
    const tries = new Map<number, number>();
    h.stub('lambda', (_n, _arn, m) => {
      const n = JSON.parse(m.body).detail.n as number;
      tries.set(n, (tries.get(n) ?? 0) + 1);
      if (n === 7) return { ok: false, retryable: false, error: 'refused', code: 'InvalidRequestContentException' };
      // 3 and 5 fail twice, then go through
      if ((n === 3 || n === 5) && tries.get(n)! <= 2) return { ok: false, retryable: true, error: 'busy', code: 'TooManyRequestsException' };
      return { ok: true };
    });
    const dlq = h.stub('sqs');
    await h.call('PutRule', { Name: 'mixed', EventPattern: '{"source":["app"]}' });
    await h.call('PutTargets', { Rule: 'mixed', Targets: [{ Id: 'fn', Arn: FN, DeadLetterConfig: { Arn: DLQ } }] });
    await h.call('PutEvents', { Entries: Array.from({ length: 10 }, (_, n) => event(n)) });
    await until(() => h.deliveries.pendingCount(), (n) => n === 0, 15_000);
    assert.deepEqual([...tries].sort((a, b) => a[0] - b[0]), [[0, 1], [1, 1], [2, 1], [3, 3], [4, 1], [5, 3], [6, 1], [7, 1], [8, 1], [9, 1]]);
    assert.equal(dlq.length, 1);
    assert.equal(JSON.parse(dlq[0].m.body).detail.n, 7);
    assert.equal(dlq[0].m.attributes!.ERROR_CODE.StringValue, 'InvalidRequestContentException');
    assert.equal(dlq[0].m.attributes!.RETRY_ATTEMPTS.StringValue, '0');
    assert.equal(dlq[0].m.attributes!.EXHAUSTED_RETRY_CONDITION, undefined);
    // one job of ten events (the dead letter is a job of its own, logged under the rule too)
    const log = (await h.deliveries.attempts({ ref: `arn:aws:events:${REGION}:${ACCOUNT}:rule/mixed` })).filter((a) => a.kind === 'events.target');
    assert.deepEqual(log.map((a) => a.outcome).reverse(), ['retrying', 'retrying', 'delivered']);
    assert.equal(new Set(log.map((a) => a.jobId)).size, 1);
    await until(() => h.metric('Invocations', 1), (n) => n === 10, 1200);
    await h.close();
    assert.equal(h.metric('Invocations', 1), 10, 'each event counted once');
    assert.equal(h.metric('FailedInvocations', 1), 1);
    assert.equal(h.metric('DeadLetterInvocations', 1), 1);
    // nine events delivered at attempts 1, 1, 1, 3, 1, 3, 1, 1, 1; the refused one after 1
    assert.equal(h.metric('InvocationAttempts', 1), 14);
  } finally {
    await h.close().catch(() => undefined);
  }
});

test('out of retries, the events of a job still failing are dead-lettered one by one', async () => {
  const h = await harness();
  try {
    h.stub('lambda', (_n, _arn, m) => (JSON.parse(m.body).detail.n % 2 === 0 ? { ok: true } : { ok: false, retryable: true, error: 'down', code: 'ServiceException' }));
    const dlq = h.stub('sqs');
    await h.call('PutRule', { Name: 'odd', EventPattern: '{"source":["app"]}' });
    await h.call('PutTargets', { Rule: 'odd', Targets: [{ Id: 'fn', Arn: FN, RetryPolicy: { MaximumRetryAttempts: 1 }, DeadLetterConfig: { Arn: DLQ } }] });
    await h.call('PutEvents', { Entries: [event(1), event(2), event(3)] });
    await until(() => dlq.length, (n) => n === 2, 15_000);
    assert.deepEqual(dlq.map((d) => JSON.parse(d.m.body).detail.n).sort(), [1, 3]);
    for (const d of dlq) {
      assert.equal(d.m.attributes!.EXHAUSTED_RETRY_CONDITION.StringValue, 'MaximumRetryAttempts');
      assert.equal(d.m.attributes!.RETRY_ATTEMPTS.StringValue, '1');
    }
    await until(() => h.deliveries.pendingCount(), (n) => n === 0);
    await h.close();
    assert.equal(h.metric('Invocations', 1), 3);
    assert.equal(h.metric('FailedInvocations', 1), 2);
  } finally {
    await h.close().catch(() => undefined);
  }
});
