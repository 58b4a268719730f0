/**
 * The background sweep: retention policies expire old events (and their bytes), deleted groups'
 * and streams' events are purged in batches, and a group created again under a deleted one's name
 * starts empty.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { harness, NOW, type Harness } from './harness.test.js';
import { DAY_MS, sweep } from './retention.js';

let h: Harness;
before(async () => {
  h = await harness();
});
after(() => h.close());

async function eventCount(): Promise<number> {
  const r = await h.store.one<{ n: number }>('SELECT count(*) AS n FROM logs_events');
  return Number(r?.n);
}

describe('retention sweep', () => {
  test('expires events older than the retention period, with their bytes', async () => {
    await h.stream('ret', 's');
    await h.stream('keep', 's');
    // written over three days of clock time, each batch current when written
    for (let day = 0; day < 3; day++) {
      h.clock.set(NOW + day * DAY_MS);
      await h.put('ret', 's', [[NOW + day * DAY_MS, `day ${day}`]]);
      await h.put('keep', 's', [[NOW + day * DAY_MS, `day ${day}`]]);
    }
    await h.call('PutRetentionPolicy', { logGroupName: 'ret', retentionInDays: 1 });
    h.clock.set(NOW + 2 * DAY_MS - 1000);
    const r = await sweep(h);
    assert.equal(r.expired, 1);
    const left = await h.call('FilterLogEvents', { logGroupName: 'ret' });
    assert.deepEqual(left.events.map((e: any) => e.message), ['day 1', 'day 2']);
    assert.equal((await h.call('DescribeLogGroups', { logGroupNamePrefix: 'ret' })).logGroups[0].storedBytes, 10);
    assert.equal((await h.call('FilterLogEvents', { logGroupName: 'keep' })).events.length, 3);
  });

  test('expires in batches until nothing old is left', async () => {
    h.clock.set(NOW);
    await h.stream('bulk', 's');
    for (let b = 0; b < 3; b++) {
      await h.put('bulk', 's', Array.from({ length: 2000 }, (_, i) => [NOW - 3 * DAY_MS + b * 1000, `old ${b}.${i}`] as [number, string]));
    }
    await h.put('bulk', 's', [[NOW, 'new']]);
    await h.call('PutRetentionPolicy', { logGroupName: 'bulk', retentionInDays: 1 });
    const r = await sweep(h);
    assert.equal(r.expired, 6000);
    assert.deepEqual((await h.call('FilterLogEvents', { logGroupName: 'bulk' })).events.map((e: any) => e.message), ['new']);
  });

  test('purges a deleted group; the same name created again starts empty', async () => {
    h.clock.set(NOW);
    await h.stream('doomed', 'a');
    await h.stream('doomed', 'b');
    await h.put('doomed', 'a', Array.from({ length: 2500 }, (_, i) => [NOW, `a${i}`] as [number, string]));
    await h.put('doomed', 'b', [[NOW, 'b']]);
    const before = await eventCount();
    await h.call('DeleteLogGroup', { logGroupName: 'doomed' });
    await h.stream('doomed', 'a');
    assert.deepEqual((await h.call('FilterLogEvents', { logGroupName: 'doomed' })).events, []);
    assert.deepEqual((await h.call('GetLogEvents', { logGroupName: 'doomed', logStreamName: 'a' })).events, []);
    const r = await sweep(h);
    assert.equal(r.purged, 2501);
    assert.equal(await eventCount(), before - 2501);
    assert.equal((await h.store.one<{ n: number }>('SELECT count(*) AS n FROM logs_purges'))?.n, 0);
  });

  test('purges a deleted stream only', async () => {
    await h.stream('half', 'a');
    await h.stream('half', 'b');
    await h.put('half', 'a', [[NOW, 'a']]);
    await h.put('half', 'b', [[NOW, 'b']]);
    await h.call('DeleteLogStream', { logGroupName: 'half', logStreamName: 'a' });
    const r = await sweep(h);
    assert.equal(r.purged, 1);
    assert.deepEqual((await h.call('FilterLogEvents', { logGroupName: 'half' })).events.map((e: any) => e.message), ['b']);
  });

  test('the service sweeps on its own once started, woken by PutRetentionPolicy', async () => {
    h.clock.set(NOW);
    await h.stream('auto', 's');
    await h.put('auto', 's', [[NOW - 2 * DAY_MS, 'old'], [NOW - 2 * DAY_MS + 1, 'old too']]);
    h.service.start?.();
    await h.call('PutRetentionPolicy', { logGroupName: 'auto', retentionInDays: 1 });
    const deadline = Date.now() + 5000;
    while ((await h.call('FilterLogEvents', { logGroupName: 'auto' })).events.length > 0) {
      assert.ok(Date.now() < deadline, 'the sweep did not run');
      await new Promise((r) => setTimeout(r, 20));
    }
    await h.service.stop?.();
  });
});
