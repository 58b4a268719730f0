/**
 * FilterLogEvents: events of several streams interleaved by time, stream selection, filter
 * patterns, inclusive time bounds, paging to the end, and deleted streams gone at once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { harness, NOW, rejectsWith, type Harness } from './harness.test.js';

let h: Harness;
before(async () => {
  h = await harness();
  await h.stream('app', 'web-1');
  await h.stream('app', 'web-2');
  await h.stream('app', 'worker');
  await h.put('app', 'web-1', [[NOW - 50, 'INFO web-1 started'], [NOW - 30, 'ERROR web-1 timeout'], [NOW - 10, '{"level":"ERROR","latency":250}']]);
  await h.put('app', 'web-2', [[NOW - 40, 'INFO web-2 started'], [NOW - 20, 'WARN web-2 slow']]);
  await h.put('app', 'worker', [[NOW - 45, 'ERROR worker crashed'], [NOW - 5, '{"level":"INFO","latency":12}']]);
});
after(() => h.close());

const filter = (input: Record<string, unknown>) => h.call('FilterLogEvents', { logGroupName: 'app', ...input });
const texts = (r: any) => r.events.map((e: any) => e.message);

describe('FilterLogEvents', () => {
  test('interleaves every stream in time order, with stream names and unique event ids', async () => {
    const r = await filter({ interleaved: true });
    assert.deepEqual(texts(r), [
      'INFO web-1 started', 'ERROR worker crashed', 'INFO web-2 started', 'ERROR web-1 timeout', 'WARN web-2 slow',
      '{"level":"ERROR","latency":250}', '{"level":"INFO","latency":12}',
    ]);
    assert.deepEqual(r.events.map((e: any) => e.logStreamName), ['web-1', 'worker', 'web-2', 'web-1', 'web-2', 'web-1', 'worker']);
    assert.equal(new Set(r.events.map((e: any) => e.eventId)).size, 7);
    assert.equal(r.events[0].ingestionTime, NOW);
    assert.equal(r.nextToken, undefined);
    assert.deepEqual(r.searchedLogStreams, []);
  });

  test('logStreamNames, logStreamNamePrefix, not both', async () => {
    assert.deepEqual(texts(await filter({ logStreamNames: ['web-2'] })), ['INFO web-2 started', 'WARN web-2 slow']);
    assert.deepEqual(texts(await filter({ logStreamNames: ['web-2', 'worker', 'missing'] })), [
      'ERROR worker crashed', 'INFO web-2 started', 'WARN web-2 slow', '{"level":"INFO","latency":12}',
    ]);
    assert.deepEqual(texts(await filter({ logStreamNames: ['missing'] })), []);
    assert.equal((await filter({ logStreamNamePrefix: 'web-' })).events.length, 5);
    await rejectsWith(filter({ logStreamNames: ['web-1'], logStreamNamePrefix: 'web' }), 'InvalidParameterException', /mutually exclusive/);
  });

  test('filter patterns: terms, JSON, space-delimited; invalid ones refused', async () => {
    assert.deepEqual(texts(await filter({ filterPattern: 'ERROR' })), ['ERROR worker crashed', 'ERROR web-1 timeout', '{"level":"ERROR","latency":250}']);
    assert.deepEqual(texts(await filter({ filterPattern: '?WARN ?crashed' })), ['ERROR worker crashed', 'WARN web-2 slow']);
    assert.deepEqual(texts(await filter({ filterPattern: '{ $.latency > 100 }' })), ['{"level":"ERROR","latency":250}']);
    assert.deepEqual(texts(await filter({ filterPattern: '[level = INFO, stream, state]' })), ['INFO web-1 started', 'INFO web-2 started']);
    await rejectsWith(filter({ filterPattern: '{ $.latency > }' }), 'InvalidParameterException', /Invalid filter pattern/);
  });

  test('startTime and endTime are inclusive', async () => {
    assert.deepEqual(texts(await filter({ startTime: NOW - 45, endTime: NOW - 30 })), ['ERROR worker crashed', 'INFO web-2 started', 'ERROR web-1 timeout']);
    await rejectsWith(filter({ startTime: NOW, endTime: NOW - 1 }), 'InvalidParameterException');
  });

  test('pages with limit and nextToken; no token on the last page', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const r = await filter({ limit: 3, nextToken: token });
      seen.push(...texts(r));
      token = r.nextToken;
      pages++;
    } while (token);
    assert.equal(seen.length, 7);
    assert.ok(pages >= 3);
    assert.deepEqual(seen, texts(await filter({})));
    await rejectsWith(filter({ nextToken: 'garbage!' }), 'InvalidParameterException', 'The specified nextToken is invalid.');
  });

  test('a token with a later startTime resumes at whichever comes later (what `aws logs tail --follow` sends)', async () => {
    const first = await filter({ limit: 2 });
    const r = await filter({ nextToken: first.nextToken, startTime: NOW - 20 });
    assert.deepEqual(texts(r), ['WARN web-2 slow', '{"level":"ERROR","latency":250}', '{"level":"INFO","latency":12}']);
  });

  test('events of a deleted stream disappear at once', async () => {
    await h.stream('tmp', 'a');
    await h.stream('tmp', 'b');
    await h.put('tmp', 'a', [[NOW, 'from a']]);
    await h.put('tmp', 'b', [[NOW, 'from b']]);
    await h.call('DeleteLogStream', { logGroupName: 'tmp', logStreamName: 'a' });
    assert.deepEqual(texts(await h.call('FilterLogEvents', { logGroupName: 'tmp' })), ['from b']);
    await h.stream('tmp', 'a');
    assert.deepEqual(texts(await h.call('FilterLogEvents', { logGroupName: 'tmp' })), ['from b']);
  });

  test('unknown group', async () => {
    await rejectsWith(h.call('FilterLogEvents', { logGroupName: 'nope' }), 'ResourceNotFoundException', 'The specified log group does not exist.');
  });
});
