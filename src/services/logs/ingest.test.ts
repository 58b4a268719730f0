/**
 * PutLogEvents: AWS's batch rules, the rejected-events report, sequence tokens, the stream's and
 * group's figures, and the logs port other services append through.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { harness, NOW, rejectsWith, type Harness } from './harness.test.js';
import { classify } from './ingest.js';

const DAY = 24 * 3600 * 1000;
let h: Harness;
before(async () => {
  h = await harness();
});
after(() => h.close());

async function messages(group: string, stream: string): Promise<string[]> {
  const r = await h.call('GetLogEvents', { logGroupName: group, logStreamName: stream, startFromHead: true });
  return r.events.map((e: any) => e.message);
}

describe('PutLogEvents', () => {
  test('stores the events, returns a growing sequence token, updates the stream and group', async () => {
    await h.stream('g1', 's1');
    const first = await h.put('g1', 's1', [[NOW - 3000, 'one'], [NOW - 2000, 'twö']]);
    const second = await h.put('g1', 's1', [[NOW - 1000, 'three']]);
    assert.match(first.nextSequenceToken, /^\d{56}$/);
    assert.ok(BigInt(second.nextSequenceToken) > BigInt(first.nextSequenceToken));
    assert.equal(first.rejectedLogEventsInfo, undefined);
    assert.deepEqual(await messages('g1', 's1'), ['one', 'twö', 'three']);

    const { logStreams } = await h.call('DescribeLogStreams', { logGroupName: 'g1' });
    assert.equal(logStreams[0].firstEventTimestamp, NOW - 3000);
    assert.equal(logStreams[0].lastEventTimestamp, NOW - 1000);
    assert.equal(logStreams[0].lastIngestionTime, NOW);
    assert.equal(logStreams[0].storedBytes, 3 + 4 + 5);
    assert.equal(logStreams[0].uploadSequenceToken, second.nextSequenceToken);
    const { logGroups } = await h.call('DescribeLogGroups', { logGroupNamePrefix: 'g1' });
    assert.equal(logGroups[0].storedBytes, 12);
  });

  test('any sequenceToken is accepted (AWS no longer checks it)', async () => {
    await h.stream('g-seq', 's');
    const r = await h.call('PutLogEvents', { logGroupName: 'g-seq', logStreamName: 's', sequenceToken: 'nonsense', logEvents: [{ timestamp: NOW, message: 'x' }] });
    assert.ok(r.nextSequenceToken);
  });

  test('too old, expired and too new events are reported, not stored; the rest are', async () => {
    const H = 3600 * 1000;
    await h.stream('g-rej', 's');
    // a batch spans at most 24 hours, so each case sits at its boundary
    const old = await h.put('g-rej', 's', [[NOW - 14 * DAY - H, 'ancient'], [NOW - 14 * DAY + H, 'kept 1']]);
    assert.deepEqual(old.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 0 });
    const future = await h.put('g-rej', 's', [[NOW + H, 'kept 2'], [NOW + 3 * H, 'future']]);
    assert.deepEqual(future.rejectedLogEventsInfo, { tooNewLogEventStartIndex: 1 });
    await h.call('PutRetentionPolicy', { logGroupName: 'g-rej', retentionInDays: 7 });
    const expired = await h.put('g-rej', 's', [[NOW - 7 * DAY - H, 'expired'], [NOW - 7 * DAY - 1, 'expired too'], [NOW - 7 * DAY + H, 'kept 3']]);
    assert.deepEqual(expired.rejectedLogEventsInfo, { expiredLogEventEndIndex: 1 });
    assert.deepEqual(await messages('g-rej', 's'), ['kept 1', 'kept 3', 'kept 2']);
  });

  test('a batch of only rejected events stores nothing and keeps the token', async () => {
    await h.stream('g-none', 's');
    const a = await h.put('g-none', 's', [[NOW, 'ok']]);
    const b = await h.put('g-none', 's', [[NOW + 5 * 3600 * 1000, 'future']]);
    assert.deepEqual(b.rejectedLogEventsInfo, { tooNewLogEventStartIndex: 0 });
    assert.equal(b.nextSequenceToken, a.nextSequenceToken);
    assert.deepEqual(await messages('g-none', 's'), ['ok']);
  });

  test('classify: boundaries of the accepted slice', () => {
    assert.deepEqual(classify([NOW - 14 * DAY - 1, NOW - 14 * DAY], NOW, null), { first: 1, end: 2, rejected: { tooOldLogEventEndIndex: 0 } });
    assert.deepEqual(classify([NOW - 15 * DAY, NOW - 14 * DAY - 1], NOW, 3), { first: 2, end: 2, rejected: { tooOldLogEventEndIndex: 1, expiredLogEventEndIndex: 1 } });
    assert.deepEqual(classify([NOW, NOW + 2 * 3600 * 1000], NOW, null), { first: 0, end: 2 });
    assert.deepEqual(classify([NOW - 2 * DAY, NOW], NOW, 1), { first: 1, end: 2, rejected: { expiredLogEventEndIndex: 0 } });
  });

  test('batch rules: order, 24 hours, count, size, empty message', async () => {
    await h.stream('g-bad', 's');
    await rejectsWith(h.put('g-bad', 's', [[NOW, 'b'], [NOW - 1, 'a']]), 'InvalidParameterException',
      'Log events in a single PutLogEvents request must be in chronological order.');
    await rejectsWith(h.put('g-bad', 's', [[NOW - DAY - 1, 'a'], [NOW, 'b']]), 'InvalidParameterException',
      'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');
    const many = Array.from({ length: 10_001 }, (_, i) => [NOW, `m${i}`] as [number, string]);
    await rejectsWith(h.put('g-bad', 's', many), 'InvalidParameterException', /at 'logEvents' failed to satisfy constraint: Member must have length less than or equal to 10000/);
    const big = 'x'.repeat(100_000);
    await rejectsWith(h.put('g-bad', 's', Array.from({ length: 11 }, () => [NOW, big] as [number, string])), 'InvalidParameterException',
      `Upload too large: ${11 * 100_026} bytes exceeds limit of 1048576`);
    await rejectsWith(h.put('g-bad', 's', [[NOW, '']]), 'InvalidParameterException', /logEvents.1.member.message/);
    await rejectsWith(h.call('PutLogEvents', { logGroupName: 'g-bad', logStreamName: 's' }), 'InvalidParameterException', /'logEvents' failed to satisfy constraint: Member must not be null/);
    assert.deepEqual(await messages('g-bad', 's'), []);
  });

  test('exactly 10,000 events and exactly 1 MB are accepted', async () => {
    await h.stream('g-max', 's');
    const many = Array.from({ length: 10_000 }, (_, i) => [NOW - 10_000 + i, `m${i}`] as [number, string]);
    await h.put('g-max', 's', many);
    const r = await h.call('FilterLogEvents', { logGroupName: 'g-max', limit: 10_000 });
    assert.equal(r.events.length, 10_000);
    assert.equal(r.events[9999].message, 'm9999');
    const size = Math.floor(1_048_576 / 2) - 26;
    await h.put('g-max', 's', [[NOW, 'a'.repeat(size)], [NOW, 'b'.repeat(size)]]);
  });

  test('unknown group or stream', async () => {
    await rejectsWith(h.put('nope', 's', [[NOW, 'x']]), 'ResourceNotFoundException', 'The specified log group does not exist.');
    await h.stream('g-ns', 's');
    await rejectsWith(h.put('g-ns', 'other', [[NOW, 'x']]), 'ResourceNotFoundException', 'The specified log stream does not exist.');
  });
});

describe('the logs port (LogsHub.append)', () => {
  test('creates the group and stream when missing, then appends', async () => {
    const scope = { accountId: '111122223333', region: 'eu-west-1' };
    await h.logs.append(scope, '/aws/lambda/fn', '2024/05/01/[$LATEST]abc', [
      { timestamp: NOW - 5, message: 'START RequestId: r1 Version: $LATEST' },
      { timestamp: NOW - 3, message: 'hello from the function\n' },
      { timestamp: NOW - 1, message: 'END RequestId: r1' },
    ]);
    await h.logs.append(scope, '/aws/lambda/fn', '2024/05/01/[$LATEST]abc', [{ timestamp: NOW, message: 'REPORT RequestId: r1 Duration: 2.00 ms' }]);
    assert.deepEqual(await messages('/aws/lambda/fn', '2024/05/01/[$LATEST]abc'), [
      'START RequestId: r1 Version: $LATEST', 'hello from the function\n', 'END RequestId: r1', 'REPORT RequestId: r1 Duration: 2.00 ms',
    ]);
    const { logStreams } = await h.call('DescribeLogStreams', { logGroupName: '/aws/lambda/fn' });
    assert.equal(logStreams.length, 1);
    assert.equal(logStreams[0].lastEventTimestamp, NOW);
  });

  test('appends made together (one per instance stream) each land in their own stream, in order', async () => {
    const scope = { accountId: '111122223333', region: 'eu-west-1' };
    await Promise.all([
      h.logs.append(scope, '/aws/lambda/many', 's1', [{ timestamp: NOW - 2, message: 'one' }]),
      h.logs.append(scope, '/aws/lambda/many', 's2', [{ timestamp: NOW - 1, message: 'two' }]),
      h.logs.append(scope, '/aws/lambda/other', 's1', [{ timestamp: NOW, message: 'three' }]),
      h.logs.append(scope, '/aws/lambda/many', 's1', [{ timestamp: NOW, message: 'four' }]),
      h.logs.append(scope, '/aws/lambda/many', 's1', []),
    ]);
    assert.deepEqual(await messages('/aws/lambda/many', 's1'), ['one', 'four']);
    assert.deepEqual(await messages('/aws/lambda/many', 's2'), ['two']);
    assert.deepEqual(await messages('/aws/lambda/other', 's1'), ['three']);
    const { logStreams } = await h.call('DescribeLogStreams', { logGroupName: '/aws/lambda/many' });
    assert.deepEqual(logStreams.map((s: { logStreamName: string }) => s.logStreamName).sort(), ['s1', 's2']);
  });
});
