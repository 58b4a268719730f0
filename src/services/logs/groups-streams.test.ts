/**
 * Log groups and streams: create, describe (prefixes, patterns, orders, pages), delete, retention
 * values, and AWS's errors for each.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ACCOUNT, harness, NOW, REGION, rejectsWith, type Harness } from './harness.test.js';

let h: Harness;
before(async () => {
  h = await harness();
});
after(() => h.close());

describe('log groups', () => {
  test('create, describe with ARNs and defaults, refuse a duplicate', async () => {
    await h.call('CreateLogGroup', { logGroupName: '/app/api', kmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/k', logGroupClass: 'INFREQUENT_ACCESS' });
    await h.call('CreateLogGroup', { logGroupName: '/app/web' });
    const { logGroups } = await h.call('DescribeLogGroups', { logGroupNamePrefix: '/app/' });
    assert.deepEqual(logGroups.map((g: any) => g.logGroupName), ['/app/api', '/app/web']);
    assert.deepEqual(logGroups[1], {
      logGroupName: '/app/web', creationTime: NOW, retentionInDays: undefined, metricFilterCount: 0,
      arn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/app/web:*`, logGroupArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/app/web`,
      storedBytes: 0, kmsKeyId: undefined, logGroupClass: 'STANDARD',
    });
    assert.equal(logGroups[0].logGroupClass, 'INFREQUENT_ACCESS');
    await rejectsWith(h.call('CreateLogGroup', { logGroupName: '/app/api' }), 'ResourceAlreadyExistsException', 'The specified log group already exists');
  });

  test('names: pattern, length, reserved aws/ prefix', async () => {
    await rejectsWith(h.call('CreateLogGroup', { logGroupName: 'has space' }), 'InvalidParameterException',
      "1 validation error detected: Value 'has space' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+");
    await rejectsWith(h.call('CreateLogGroup', { logGroupName: 'x'.repeat(513) }), 'InvalidParameterException', /length less than or equal to 512/);
    await rejectsWith(h.call('CreateLogGroup', {}), 'InvalidParameterException', /Value null at 'logGroupName' failed to satisfy constraint: Member must not be null/);
    await rejectsWith(h.call('CreateLogGroup', { logGroupName: 'aws/mine' }), 'InvalidParameterException');
    await rejectsWith(h.call('CreateLogGroup', { logGroupName: 'g', logGroupClass: 'CHEAP' }), 'InvalidParameterException', /enum value set/);
  });

  test('describe: pages of `limit`, name pattern (case-sensitive substring), class', async () => {
    for (let i = 0; i < 7; i++) await h.call('CreateLogGroup', { logGroupName: `/page/g${i}${i % 2 ? '-Data' : ''}` });
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const r = await h.call('DescribeLogGroups', { logGroupNamePrefix: '/page/', limit: 3, nextToken });
      assert.ok(r.logGroups.length <= 3);
      names.push(...r.logGroups.map((g: any) => g.logGroupName));
      nextToken = r.nextToken;
    } while (nextToken);
    assert.equal(names.length, 7);
    assert.deepEqual(names, [...names].sort());
    const data = await h.call('DescribeLogGroups', { logGroupNamePattern: 'Data', limit: 2 });
    assert.deepEqual(data.logGroups.map((g: any) => g.logGroupName), ['/page/g1-Data', '/page/g3-Data']);
    const more = await h.call('DescribeLogGroups', { logGroupNamePattern: 'Data', nextToken: data.nextToken });
    assert.deepEqual(more.logGroups.map((g: any) => g.logGroupName), ['/page/g5-Data']);
    assert.equal(more.nextToken, undefined);
    assert.deepEqual((await h.call('DescribeLogGroups', { logGroupNamePattern: 'data' })).logGroups, []);
    const ia = await h.call('DescribeLogGroups', { logGroupClass: 'INFREQUENT_ACCESS' });
    assert.deepEqual(ia.logGroups.map((g: any) => g.logGroupName), ['/app/api']);
    await rejectsWith(h.call('DescribeLogGroups', { logGroupNamePrefix: '/a', logGroupNamePattern: 'b' }), 'InvalidParameterException');
    await rejectsWith(h.call('DescribeLogGroups', { limit: 51 }), 'InvalidParameterException', /less than or equal to 50/);
    await rejectsWith(h.call('DescribeLogGroups', { nextToken: 'bad token' }), 'InvalidParameterException');
  });

  test('groups are per account and region', async () => {
    await h.call('CreateLogGroup', { logGroupName: 'scoped' });
    await h.call('CreateLogGroup', { logGroupName: 'scoped' }, { region: 'us-west-2' });
    const other = await h.call('DescribeLogGroups', {}, { accountId: '999988887777' });
    assert.deepEqual(other.logGroups, []);
  });

  test('retention: AWS day values only; shown; removed', async () => {
    await h.call('CreateLogGroup', { logGroupName: 'ret' });
    await h.call('PutRetentionPolicy', { logGroupName: 'ret', retentionInDays: 14 });
    assert.equal((await h.call('DescribeLogGroups', { logGroupNamePrefix: 'ret' })).logGroups[0].retentionInDays, 14);
    await rejectsWith(h.call('PutRetentionPolicy', { logGroupName: 'ret', retentionInDays: 2 }), 'InvalidParameterException',
      /Member must satisfy enum value set: \[1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653\]/);
    await h.call('DeleteRetentionPolicy', { logGroupName: 'ret' });
    assert.equal((await h.call('DescribeLogGroups', { logGroupNamePrefix: 'ret' })).logGroups[0].retentionInDays, undefined);
    await rejectsWith(h.call('PutRetentionPolicy', { logGroupName: 'nope', retentionInDays: 1 }), 'ResourceNotFoundException', 'The specified log group does not exist.');
  });

  test('delete; then unknown', async () => {
    await h.call('CreateLogGroup', { logGroupName: 'gone' });
    await h.call('DeleteLogGroup', { logGroupName: 'gone' });
    assert.deepEqual((await h.call('DescribeLogGroups', { logGroupNamePrefix: 'gone' })).logGroups, []);
    await rejectsWith(h.call('DeleteLogGroup', { logGroupName: 'gone' }), 'ResourceNotFoundException', 'The specified log group does not exist.');
  });
});

describe('log streams', () => {
  before(async () => {
    await h.call('CreateLogGroup', { logGroupName: 'sg' });
    for (const [name, ts] of [['b', NOW - 10], ['a', NOW - 5], ['c', NOW - 20], ['a-2', NOW - 5]] as const) {
      await h.stream('sg', name);
      await h.put('sg', name, [[ts, `in ${name}`]]);
    }
    await h.stream('sg', 'empty');
  });

  test('create refuses duplicates and unknown groups', async () => {
    await rejectsWith(h.call('CreateLogStream', { logGroupName: 'sg', logStreamName: 'a' }), 'ResourceAlreadyExistsException', 'The specified log stream already exists');
    await rejectsWith(h.call('CreateLogStream', { logGroupName: 'nope', logStreamName: 'a' }), 'ResourceNotFoundException', 'The specified log group does not exist.');
    await rejectsWith(h.call('CreateLogStream', { logGroupName: 'sg', logStreamName: 'a:b' }), 'InvalidParameterException', /\[\^:\*\]\*/);
  });

  test('by name (default), with prefix, descending, paged', async () => {
    const all = await h.call('DescribeLogStreams', { logGroupName: 'sg' });
    assert.deepEqual(all.logStreams.map((s: any) => s.logStreamName), ['a', 'a-2', 'b', 'c', 'empty']);
    const a = all.logStreams[0];
    assert.equal(a.arn, `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:sg:log-stream:a`);
    assert.equal(a.creationTime, NOW);
    const empty = all.logStreams[4];
    assert.deepEqual([empty.firstEventTimestamp, empty.lastEventTimestamp, empty.lastIngestionTime, empty.uploadSequenceToken], [undefined, undefined, undefined, undefined]);
    const prefixed = await h.call('DescribeLogStreams', { logGroupName: 'sg', logStreamNamePrefix: 'a' });
    assert.deepEqual(prefixed.logStreams.map((s: any) => s.logStreamName), ['a', 'a-2']);
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const r = await h.call('DescribeLogStreams', { logGroupName: 'sg', descending: true, limit: 2, nextToken });
      names.push(...r.logStreams.map((s: any) => s.logStreamName));
      nextToken = r.nextToken;
    } while (nextToken);
    assert.deepEqual(names, ['empty', 'c', 'b', 'a-2', 'a']);
  });

  test('by LastEventTime, newest first when descending, paged across ties', async () => {
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const r = await h.call('DescribeLogStreams', { logGroupName: 'sg', orderBy: 'LastEventTime', descending: true, limit: 1, nextToken });
      names.push(...r.logStreams.map((s: any) => s.logStreamName));
      nextToken = r.nextToken;
    } while (nextToken);
    assert.deepEqual(names, ['a-2', 'a', 'b', 'c', 'empty']);
    await rejectsWith(h.call('DescribeLogStreams', { logGroupName: 'sg', orderBy: 'LastEventTime', logStreamNamePrefix: 'a' }), 'InvalidParameterException',
      'Cannot order by LastEventTime with a logStreamNamePrefix.');
    await rejectsWith(h.call('DescribeLogStreams', { logGroupName: 'sg', orderBy: 'Size' }), 'InvalidParameterException');
  });

  test('delete, then unknown; the group keeps the other streams and bytes', async () => {
    const before = (await h.call('DescribeLogGroups', { logGroupNamePrefix: 'sg' })).logGroups[0].storedBytes;
    await h.call('DeleteLogStream', { logGroupName: 'sg', logStreamName: 'c' });
    await rejectsWith(h.call('DeleteLogStream', { logGroupName: 'sg', logStreamName: 'c' }), 'ResourceNotFoundException', 'The specified log stream does not exist.');
    const after = (await h.call('DescribeLogGroups', { logGroupNamePrefix: 'sg' })).logGroups[0].storedBytes;
    assert.equal(before - after, 'in c'.length);
    assert.equal((await h.call('DescribeLogStreams', { logGroupName: 'sg' })).logStreams.length, 4);
  });

  test('DescribeLogStreams of an unknown group', async () => {
    await rejectsWith(h.call('DescribeLogStreams', { logGroupName: 'nope' }), 'ResourceNotFoundException', 'The specified log group does not exist.');
    await rejectsWith(h.call('DescribeLogStreams', {}), 'InvalidParameterException');
  });
});
