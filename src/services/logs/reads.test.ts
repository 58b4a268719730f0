/**
 * GetLogEvents: the head and tail of a stream, forward and backward tokens as AWS defines them
 * (the same token back at the end), time bounds, polling for new events, the 1 MB page.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { harness, NOW, rejectsWith, type Harness } from './harness.test.js';

let h: Harness;
before(async () => {
  h = await harness();
  await h.stream('g', 's');
  // 25 events, two sharing each even timestamp
  const events: Array<[number, string]> = [];
  for (let i = 0; i < 25; i++) events.push([NOW - 1000 + Math.floor(i / 2) * 2, `e${i}`]);
  await h.put('g', 's', events);
});
after(() => h.close());

const get = (input: Record<string, unknown>) => h.call('GetLogEvents', { logGroupName: 'g', logStreamName: 's', ...input });
const texts = (r: any) => r.events.map((e: any) => e.message);
const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => `e${a + i}`);

describe('GetLogEvents', () => {
  test('without a token: the newest events (default) or the oldest (startFromHead), ascending', async () => {
    assert.deepEqual(texts(await get({ limit: 5 })), range(20, 25));
    assert.deepEqual(texts(await get({ limit: 5, startFromHead: true })), range(0, 5));
    const all = await get({});
    assert.equal(all.events.length, 25);
    assert.equal(all.events[0].ingestionTime, NOW);
    assert.equal(all.events[0].timestamp, NOW - 1000);
  });

  test('forward tokens walk to the end, where the same token comes back', async () => {
    let r = await get({ limit: 10, startFromHead: true });
    const seen = texts(r);
    for (;;) {
      const next = await get({ limit: 10, nextToken: r.nextForwardToken });
      if (next.events.length === 0) {
        assert.equal(next.nextForwardToken, r.nextForwardToken);
        break;
      }
      seen.push(...texts(next));
      r = next;
    }
    assert.deepEqual(seen, range(0, 25));
  });

  test('backward tokens walk to the start, pages still ascending', async () => {
    let r = await get({ limit: 10 });
    const pages = [texts(r)];
    for (;;) {
      const prev = await get({ limit: 10, nextToken: r.nextBackwardToken });
      if (prev.events.length === 0) {
        assert.equal(prev.nextBackwardToken, r.nextBackwardToken);
        break;
      }
      pages.unshift(texts(prev));
      r = prev;
    }
    assert.deepEqual(pages, [range(0, 5), range(5, 15), range(15, 25)]);
  });

  test('a forward token after a backward page continues after that page', async () => {
    const last = await get({ limit: 10 });
    const before = await get({ limit: 10, nextToken: last.nextBackwardToken });
    assert.deepEqual(texts(await get({ limit: 3, nextToken: before.nextForwardToken })), range(15, 18));
  });

  test('startTime is inclusive, endTime exclusive', async () => {
    const r = await get({ startFromHead: true, startTime: NOW - 996, endTime: NOW - 990 });
    assert.deepEqual(texts(r), range(4, 10));
    assert.deepEqual(texts(await get({ startTime: NOW - 996, endTime: NOW - 990, limit: 2 })), range(8, 10));
  });

  test('polling with nextForwardToken picks up new events, also on a stream that was empty', async () => {
    await h.stream('g', 'poll');
    const empty = await get({ logStreamName: 'poll' });
    assert.deepEqual(empty.events, []);
    await h.put('g', 'poll', [[NOW, 'p1'], [NOW, 'p2']]);
    const first = await get({ logStreamName: 'poll', nextToken: empty.nextForwardToken });
    assert.deepEqual(texts(first), ['p1', 'p2']);
    await h.put('g', 'poll', [[NOW, 'p3']]);
    const second = await get({ logStreamName: 'poll', nextToken: first.nextForwardToken });
    assert.deepEqual(texts(second), ['p3']);
  });

  test('a page stops at 1 MB', async () => {
    await h.stream('g', 'big');
    const big = 'x'.repeat(200_000);
    for (let i = 0; i < 3; i++) await h.put('g', 'big', [[NOW, big + i], [NOW, big + i]]);
    const head = await get({ logStreamName: 'big', startFromHead: true });
    assert.equal(head.events.length, 5);
    const rest = await get({ logStreamName: 'big', nextToken: head.nextForwardToken });
    assert.equal(rest.events.length, 1);
    const tail = await get({ logStreamName: 'big' });
    assert.equal(tail.events.length, 5);
    assert.ok(tail.events[4].message.endsWith('2'));
  });

  test('errors: unknown stream, token of another stream, bad limit, both group members', async () => {
    await rejectsWith(get({ logStreamName: 'nope' }), 'ResourceNotFoundException', 'The specified log stream does not exist.');
    await rejectsWith(get({ logGroupName: 'nope' }), 'ResourceNotFoundException', 'The specified log group does not exist.');
    const other = await get({ logStreamName: 'poll' });
    await rejectsWith(get({ nextToken: other.nextForwardToken }), 'InvalidParameterException', 'The specified nextToken is invalid.');
    await rejectsWith(get({ nextToken: 'f/123/s' }), 'InvalidParameterException');
    await rejectsWith(get({ limit: 10_001 }), 'InvalidParameterException', /Member must have value less than or equal to 10000/);
    await rejectsWith(get({ logGroupIdentifier: 'g' }), 'InvalidParameterException', /mutually exclusive/);
  });

  test('logGroupIdentifier: a name or an ARN of this account and region', async () => {
    const byName = await h.call('GetLogEvents', { logGroupIdentifier: 'g', logStreamName: 's', limit: 1 });
    assert.deepEqual(texts(byName), ['e24']);
    const arn = 'arn:aws:logs:eu-west-1:111122223333:log-group:g:*';
    assert.deepEqual(texts(await h.call('GetLogEvents', { logGroupIdentifier: arn, logStreamName: 's', limit: 1 })), ['e24']);
    await rejectsWith(
      h.call('GetLogEvents', { logGroupIdentifier: 'arn:aws:logs:eu-west-1:999999999999:log-group:g', logStreamName: 's' }),
      'ResourceNotFoundException',
    );
  });
});
