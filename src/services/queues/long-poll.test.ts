/**
 * Long polling on the real clock: a waiting ReceiveMessage answers as soon as a message arrives
 * or becomes visible, answers empty when the wait ends, never blocks other calls, and is answered
 * (empty) when the service stops.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { systemClock } from '../../core/clock.js';
import { harness } from './harness.test.js';

const since = (t0: number) => Date.now() - t0;

test('a waiting receive returns as soon as a message is sent, and the event loop stays free', async () => {
  const h = await harness({ clock: systemClock });
  const url = await h.queue('lp');
  const t0 = Date.now();
  const waiting = h.call('ReceiveMessage', { QueueUrl: url, WaitTimeSeconds: 5 });
  // other calls are served while it waits
  await new Promise((r) => setTimeout(r, 150));
  assert.deepEqual((await h.call('ListQueues', {})).QueueUrls, [url]);
  await h.call('SendMessage', { QueueUrl: url, MessageBody: 'wake up' });
  const got = await waiting;
  assert.equal(got.Messages[0].Body, 'wake up');
  assert.ok(since(t0) < 1500, `answered in ${since(t0)} ms`);
  await h.close();
});

test('an empty wait ends after WaitTimeSeconds; the queue default ReceiveMessageWaitTimeSeconds applies', async () => {
  const h = await harness({ clock: systemClock });
  const url = await h.queue('lp', { ReceiveMessageWaitTimeSeconds: '1' });
  let t0 = Date.now();
  assert.deepEqual(await h.call('ReceiveMessage', { QueueUrl: url }), {});
  assert.ok(since(t0) >= 950 && since(t0) < 2000, `waited ${since(t0)} ms`);
  t0 = Date.now();
  assert.deepEqual(await h.call('ReceiveMessage', { QueueUrl: url, WaitTimeSeconds: 0 }), {});
  assert.ok(since(t0) < 200, 'WaitTimeSeconds 0 overrides the queue default');
  await h.close();
});

test('a waiting receive wakes when a delayed or in-flight message becomes visible', async () => {
  const h = await harness({ clock: systemClock });
  const url = await h.queue('lp', { VisibilityTimeout: '1' });
  await h.call('SendMessage', { QueueUrl: url, MessageBody: 'later', DelaySeconds: 1 });
  let t0 = Date.now();
  const first = await h.call('ReceiveMessage', { QueueUrl: url, WaitTimeSeconds: 5 });
  assert.equal(first.Messages[0].Body, 'later');
  assert.ok(since(t0) >= 900 && since(t0) < 2000, `delayed message after ${since(t0)} ms`);
  t0 = Date.now();
  const again = await h.call('ReceiveMessage', { QueueUrl: url, WaitTimeSeconds: 5 });
  assert.equal(again.Messages[0].Attributes, undefined);
  assert.ok(since(t0) >= 900 && since(t0) < 2000, `visibility timeout ended after ${since(t0)} ms`);
  // released by ChangeMessageVisibility 0: a waiter gets it at once
  const waiting = h.call('ReceiveMessage', { QueueUrl: url, WaitTimeSeconds: 5, VisibilityTimeout: 30 });
  await new Promise((r) => setTimeout(r, 50));
  t0 = Date.now();
  await h.call('ChangeMessageVisibility', { QueueUrl: url, ReceiptHandle: again.Messages[0].ReceiptHandle, VisibilityTimeout: 0 });
  assert.equal((await waiting).Messages[0].Body, 'later');
  assert.ok(since(t0) < 500);
  await h.close();
});

test('several waiters: each message goes to one of them; stop answers the rest empty at once', async () => {
  const h = await harness({ clock: systemClock, start: true });
  const url = await h.queue('lp');
  const waiters = [1, 2, 3].map(() => h.call('ReceiveMessage', { QueueUrl: url, WaitTimeSeconds: 20 }));
  await new Promise((r) => setTimeout(r, 100));
  await h.call('SendMessage', { QueueUrl: url, MessageBody: 'only one' });
  await new Promise((r) => setTimeout(r, 100));
  const t0 = Date.now();
  await h.service.stop!();
  const results = await Promise.all(waiters);
  assert.ok(since(t0) < 500, 'stop does not wait for the polls');
  assert.equal(results.filter((r) => r.Messages?.length === 1).length, 1);
  assert.equal(results.filter((r) => r.Messages === undefined).length, 2);
  await h.store.close();
});
