/**
 * Metric filters: put, describe, delete, the checks on their transformations, TestMetricFilter,
 * and what matching events put as metrics (values from the pattern, dimensions, default values).
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { ACCOUNT, harness, NOW, REGION, rejectsWith, type Harness } from './harness.test.js';

let h: Harness;
before(async () => {
  h = await harness();
  await h.stream('api', 's');
  await h.stream('web', 's');
});
after(() => h.close());
beforeEach(() => {
  h.puts.length = 0;
});

const MINUTE = Math.floor(NOW / 60_000) * 60_000;

function filter(group: string, name: string, pattern: string, t: Record<string, unknown>) {
  return h.call('PutMetricFilter', {
    logGroupName: group, filterName: name, filterPattern: pattern,
    metricTransformations: [{ metricNamespace: 'App', metricName: name, metricValue: '1', ...t }],
  });
}

describe('metric filters put metrics', () => {
  test('a count of matching events, summed per minute', async () => {
    await filter('api', 'Errors', 'ERROR', { unit: 'Count' });
    await h.put('api', 's', [[NOW + 1, 'ERROR a'], [NOW + 2, 'INFO b'], [NOW + 3, 'ERROR c']]);
    assert.deepEqual(h.puts, [{
      scope: { accountId: ACCOUNT, region: REGION },
      namespace: 'App',
      data: [{ MetricName: 'Errors', Dimensions: [], Unit: 'Count', Timestamp: MINUTE, StatisticValues: { SampleCount: 2, Sum: 2, Minimum: 1, Maximum: 1 } }],
    }]);
  });

  test('metricValue from a JSON field, dimensions from JSON fields', async () => {
    await filter('web', 'Latency', '{ $.latency > 0 }', { metricValue: '$.latency', dimensions: { Route: '$.route' }, unit: 'Milliseconds' });
    await h.put('web', 's', [
      [NOW, JSON.stringify({ route: '/a', latency: 100 })],
      [NOW, JSON.stringify({ route: '/a', latency: 300 })],
      [NOW, JSON.stringify({ route: '/b', latency: 50 })],
      [NOW, JSON.stringify({ latency: 70 })],
      [NOW, 'not json'],
    ]);
    const data = h.puts.flatMap((p) => p.data).filter((d) => d.MetricName === 'Latency');
    assert.deepEqual(data.map((d) => [d.Dimensions, d.StatisticValues]), [
      [[{ Name: 'Route', Value: '/a' }], { SampleCount: 2, Sum: 400, Minimum: 100, Maximum: 300 }],
      [[{ Name: 'Route', Value: '/b' }], { SampleCount: 1, Sum: 50, Minimum: 50, Maximum: 50 }],
    ]);
  });

  test('metricValue from a space-delimited field; defaultValue for the events that do not match', async () => {
    await h.stream('access', 's');
    await filter('access', 'Bytes404', '[ip, user, ..., status = 404, size]', { metricValue: '$size', defaultValue: 0 });
    await h.put('access', 's', [
      [NOW, '10.0.0.1 - GET 404 512'],
      [NOW, '10.0.0.2 - GET 200 100'],
      [NOW, '10.0.0.3 - GET 404 1024'],
    ]);
    const [datum] = h.puts.flatMap((p) => p.data);
    assert.deepEqual(datum.StatisticValues, { SampleCount: 3, Sum: 1536, Minimum: 0, Maximum: 1024 });
  });

  test('DescribeLogGroups counts filters; a group without filters puts nothing', async () => {
    assert.equal((await h.call('DescribeLogGroups', { logGroupNamePrefix: 'api' })).logGroups[0].metricFilterCount, 1);
    await h.stream('quiet', 's');
    await h.put('quiet', 's', [[NOW, 'ERROR']]);
    assert.deepEqual(h.puts, []);
  });

  test('the logs port runs metric filters too', async () => {
    await h.call('CreateLogGroup', { logGroupName: '/aws/lambda/f' });
    await filter('/aws/lambda/f', 'Reports', '[type = REPORT, ...]', {});
    await h.logs.append({ accountId: ACCOUNT, region: REGION }, '/aws/lambda/f', 'st', [{ timestamp: NOW, message: 'REPORT RequestId: x Duration: 1 ms' }]);
    assert.equal(h.puts[0]?.data[0].MetricName, 'Reports');
  });
});

describe('PutMetricFilter / DescribeMetricFilters / DeleteMetricFilter', () => {
  test('describe by group, prefix, metric; replace keeps one filter; delete', async () => {
    await h.call('CreateLogGroup', { logGroupName: 'mf' });
    await filter('mf', 'f-1', 'A', {});
    await filter('mf', 'f-2', 'B', { metricName: 'Shared' });
    await filter('mf', 'g-1', 'C', { metricName: 'Shared' });
    await filter('mf', 'f-1', 'A2', { unit: 'Count' });
    const all = await h.call('DescribeMetricFilters', { logGroupName: 'mf' });
    assert.deepEqual(all.metricFilters.map((f: any) => [f.filterName, f.filterPattern]), [['f-1', 'A2'], ['f-2', 'B'], ['g-1', 'C']]);
    assert.deepEqual(all.metricFilters[0].metricTransformations, [{ metricNamespace: 'App', metricName: 'f-1', metricValue: '1', unit: 'Count' }]);
    assert.equal(all.metricFilters[0].logGroupName, 'mf');
    assert.equal(all.metricFilters[0].creationTime, NOW);
    const prefixed = await h.call('DescribeMetricFilters', { logGroupName: 'mf', filterNamePrefix: 'f-' });
    assert.equal(prefixed.metricFilters.length, 2);
    const byMetric = await h.call('DescribeMetricFilters', { metricNamespace: 'App', metricName: 'Shared' });
    assert.deepEqual(byMetric.metricFilters.map((f: any) => f.filterName), ['f-2', 'g-1']);
    const page1 = await h.call('DescribeMetricFilters', { logGroupName: 'mf', limit: 2 });
    const page2 = await h.call('DescribeMetricFilters', { logGroupName: 'mf', limit: 2, nextToken: page1.nextToken });
    assert.deepEqual([...page1.metricFilters, ...page2.metricFilters].map((f: any) => f.filterName), ['f-1', 'f-2', 'g-1']);
    assert.equal(page2.nextToken, undefined);

    await h.call('DeleteMetricFilter', { logGroupName: 'mf', filterName: 'f-2' });
    assert.equal((await h.call('DescribeMetricFilters', { logGroupName: 'mf' })).metricFilters.length, 2);
    await rejectsWith(h.call('DeleteMetricFilter', { logGroupName: 'mf', filterName: 'f-2' }), 'ResourceNotFoundException');
    await rejectsWith(h.call('DescribeMetricFilters', { filterNamePrefix: 'f' }), 'InvalidParameterException');
    await rejectsWith(h.call('DescribeMetricFilters', { metricName: 'Shared' }), 'InvalidParameterException');
  });

  test('invalid patterns, values, dimensions; unknown group; 100 per group', async () => {
    await rejectsWith(filter('mf', 'bad', '{ $.a = ', {}), 'InvalidParameterException', /Invalid filter pattern/);
    await rejectsWith(filter('mf', 'bad', 'ERROR', { metricValue: '$.x' }), 'InvalidParameterException', /Invalid metric value/);
    await rejectsWith(filter('mf', 'bad', '[a, b]', { metricValue: '$c' }), 'InvalidParameterException', /Invalid metric value/);
    await rejectsWith(filter('mf', 'bad', '{ $.a = 1 }', { metricValue: 'many' }), 'InvalidParameterException', /Invalid metric value/);
    await rejectsWith(filter('mf', 'bad', '[a, b]', { dimensions: { D: '$z' } }), 'InvalidParameterException', /Invalid dimension value/);
    await rejectsWith(filter('mf', 'bad', '[a, b]', { dimensions: { D: '$a' }, defaultValue: 0 }), 'InvalidParameterException', /default value/);
    await rejectsWith(filter('mf', 'bad', 'x', { unit: 'Apples' }), 'InvalidParameterException', /enum value set/);
    await rejectsWith(filter('mf', 'bad:name', 'x', {}), 'InvalidParameterException', /filterName/);
    await rejectsWith(h.call('PutMetricFilter', { logGroupName: 'mf', filterName: 'two', filterPattern: 'x', metricTransformations: [] }),
      'InvalidParameterException', /metricTransformations/);
    await rejectsWith(filter('nope', 'f', 'x', {}), 'ResourceNotFoundException', 'The specified log group does not exist.');

    await h.call('CreateLogGroup', { logGroupName: 'crowded' });
    for (let i = 0; i < 100; i++) await filter('crowded', `f${i}`, 'x', {});
    await rejectsWith(filter('crowded', 'one-more', 'x', {}), 'LimitExceededException', 'Resource limit exceeded.');
    await filter('crowded', 'f5', 'replaced', {});
  });

  test('TestMetricFilter: matches with their numbers and extracted values', async () => {
    const r = await h.call('TestMetricFilter', {
      filterPattern: '[ip, user, username, timestamp, request, status_code = 4*, size]',
      logEventMessages: [
        '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534',
        '127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] "GET /index.html HTTP/1.0" 404 2048',
      ],
    });
    assert.equal(r.matches.length, 1);
    assert.equal(r.matches[0].eventNumber, 2);
    assert.equal(r.matches[0].extractedValues.$status_code, '404');
    assert.equal(r.matches[0].extractedValues.$request, 'GET /index.html HTTP/1.0');
    await rejectsWith(h.call('TestMetricFilter', { filterPattern: '[a', logEventMessages: ['x'] }), 'InvalidParameterException', /must end with '\]'/);
  });
});
