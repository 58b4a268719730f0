/**
 * Chat and webhook URLs are secrets: the stored row and every delivery job hold them sealed and
 * name them masked; rows written before sealing existed are sealed when the service starts.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { harness, type Harness } from './harness.test.js';
import { maskEndpoint, realEndpoint, sealClearEndpoints } from './secret-endpoints.js';
import * as db from './store.js';

let h: Harness;
before(async () => {
  h = await harness();
});
after(() => h.close());

const URL_A = 'https://hooks.slack.test/services/T1/B2/sEcReTtOkEnAaAa';

test('a new subscription stores the URL sealed and its jobs carry it sealed', async () => {
  const topic = await h.topic('sealed');
  const { SubscriptionArn: arn } = await h.call('Subscribe', { TopicArn: topic, Protocol: 'discord', Endpoint: URL_A });
  const row = await db.getSubscription(h.store, arn);
  assert.ok(row);
  assert.match(row.endpoint, /^https:\/\/hooks\.slack\.test\/…#[0-9a-f]{16}$/);
  assert.ok(row.endpointSealed && !row.endpointSealed.includes('sEcReT'));
  assert.equal(realEndpoint(h.secrets, row), URL_A);
  // another URL on the same host gets its own fingerprint (and so its own throttle)
  assert.notEqual(maskEndpoint(h.secrets, URL_A + 'b'), row.endpoint);

  await h.call('Publish', { TopicArn: topic, Message: 'hello' });
  const [job] = await h.jobs({ ref: arn });
  assert.equal(job.target, row.endpoint);
  assert.equal(job.payload.endpoint, row.endpoint);
  assert.equal(h.secrets.open(job.payload.endpointSealed!, arn), URL_A);
  assert.ok(!JSON.stringify(job).includes('sEcReT'));
});

test('rows written in clear before 0006 are sealed at start, once', async () => {
  const topic = await h.topic('legacy');
  const { SubscriptionArn: arn } = await h.call('Subscribe', { TopicArn: topic, Protocol: 'teams', Endpoint: URL_A });
  // what an older version wrote: the URL in clear, nothing sealed
  await h.store.run('UPDATE sns_subscriptions SET endpoint = ?, endpoint_sealed = NULL WHERE arn = ?', [URL_A, arn]);
  const before = await db.getSubscription(h.store, arn);
  assert.equal(realEndpoint(h.secrets, before!), URL_A);

  assert.deepEqual(await sealClearEndpoints(h.store, h.secrets), [topic]);
  const row = await db.getSubscription(h.store, arn);
  assert.equal(row!.endpoint, maskEndpoint(h.secrets, URL_A));
  assert.equal(realEndpoint(h.secrets, row!), URL_A);
  assert.deepEqual(await sealClearEndpoints(h.store, h.secrets), []);
  // Subscribe still finds it by URL
  const again = await h.call('Subscribe', { TopicArn: topic, Protocol: 'teams', Endpoint: URL_A, ReturnSubscriptionArn: 'true' });
  assert.equal(again.SubscriptionArn, arn);
});

test('http endpoints are not secrets: stored and named as given', async () => {
  const topic = await h.topic('plain');
  const { SubscriptionArn: arn } = await h.call('Subscribe', { TopicArn: topic, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:eu-west-1:111122223333:q9' });
  const row = await db.getSubscription(h.store, arn);
  assert.equal(row!.endpoint, 'arn:aws:sqs:eu-west-1:111122223333:q9');
  assert.equal(row!.endpointSealed, null);
});
