/**
 * CloudWatch Logs end to end: the built `signalbox start` in a child process, driven over HTTP by
 * the real `@aws-sdk/client-cloudwatch-logs` (AWS JSON 1.1, SigV4). Groups, streams, ingestion
 * with AWS's limits, reads and filters with their tokens and the SDK's paginators, retention
 * expiring events in the background, metric filters turning events into metrics read back with
 * `@aws-sdk/client-cloudwatch`, tags, errors as the SDK's own exception classes, and everything
 * surviving a restart.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, DeleteLogGroupCommand, DeleteLogStreamCommand,
  DeleteMetricFilterCommand, DeleteRetentionPolicyCommand, DescribeLogGroupsCommand, DescribeLogStreamsCommand,
  DescribeMetricFiltersCommand, FilterLogEventsCommand, GetLogEventsCommand, InvalidParameterException, ListTagsForResourceCommand,
  ListTagsLogGroupCommand, paginateDescribeLogGroups, paginateFilterLogEvents, paginateGetLogEvents, PutLogEventsCommand,
  PutMetricFilterCommand, PutRetentionPolicyCommand, ResourceAlreadyExistsException, ResourceNotFoundException, TagLogGroupCommand,
  TagResourceCommand, TestMetricFilterCommand, UntagResourceCommand,
  type InputLogEvent,
} from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { clientConfig, startServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let logs: CloudWatchLogsClient;
let cw: CloudWatchClient;
before(async () => {
  server = await startServer();
  logs = new CloudWatchLogsClient(clientConfig(server));
  cw = new CloudWatchClient(clientConfig(server));
});
after(async () => {
  logs?.destroy();
  cw?.destroy();
  await server?.dispose();
});

const DAY = 24 * 3600 * 1000;
const ACCOUNT = '000000000000';

/** Asserts the SDK threw its modeled exception `cls` with HTTP 400 (and a message matching). */
async function fails(p: Promise<unknown>, cls: new (...args: any[]) => Error, message?: RegExp | string): Promise<void> {
  await assert.rejects(p, (e: any) => {
    assert.equal(e.$metadata?.httpStatusCode, 400);
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${e.name}: ${e.message}`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return true;
  });
}

async function stream(group: string, name: string): Promise<void> {
  await logs.send(new CreateLogGroupCommand({ logGroupName: group })).catch((e) => {
    if (!(e instanceof ResourceAlreadyExistsException)) throw e;
  });
  await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: name }));
}

function put(group: string, name: string, logEvents: InputLogEvent[]) {
  return logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: name, logEvents }));
}

describe('groups and streams', () => {
  test('create, describe (paginator), duplicate and unknown errors', async () => {
    for (let i = 0; i < 5; i++) await logs.send(new CreateLogGroupCommand({ logGroupName: `/sdk/groups/g${i}` }));
    const names: string[] = [];
    for await (const page of paginateDescribeLogGroups({ client: logs, pageSize: 2 }, { logGroupNamePrefix: '/sdk/groups/' })) {
      assert.ok((page.logGroups ?? []).length <= 2);
      names.push(...(page.logGroups ?? []).map((g) => g.logGroupName!));
    }
    assert.deepEqual(names, ['/sdk/groups/g0', '/sdk/groups/g1', '/sdk/groups/g2', '/sdk/groups/g3', '/sdk/groups/g4']);
    const { logGroups } = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/sdk/groups/g0' }));
    assert.equal(logGroups?.[0].arn, `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/sdk/groups/g0:*`);
    assert.equal(logGroups?.[0].logGroupClass, 'STANDARD');
    assert.ok(Math.abs(logGroups![0].creationTime! - Date.now()) < 60_000);

    await fails(logs.send(new CreateLogGroupCommand({ logGroupName: '/sdk/groups/g0' })), ResourceAlreadyExistsException, 'The specified log group already exists');
    await fails(logs.send(new CreateLogStreamCommand({ logGroupName: '/sdk/none', logStreamName: 's' })), ResourceNotFoundException, 'The specified log group does not exist.');
    await fails(logs.send(new CreateLogGroupCommand({ logGroupName: 'bad name' })), InvalidParameterException, /regular expression pattern/);
  });

  test('streams ordered by LastEventTime, with their event figures; delete', async () => {
    await stream('/sdk/streams', 'older');
    await stream('/sdk/streams', 'newer');
    const now = Date.now();
    await put('/sdk/streams', 'older', [{ timestamp: now - 5000, message: 'a' }]);
    await put('/sdk/streams', 'newer', [{ timestamp: now - 1000, message: 'bb' }, { timestamp: now, message: 'ccc' }]);
    const { logStreams } = await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/sdk/streams', orderBy: 'LastEventTime', descending: true }));
    assert.deepEqual(logStreams?.map((s) => s.logStreamName), ['newer', 'older']);
    assert.equal(logStreams?.[0].firstEventTimestamp, now - 1000);
    assert.equal(logStreams?.[0].lastEventTimestamp, now);
    assert.equal(logStreams?.[0].storedBytes, 5);
    assert.ok(logStreams?.[0].lastIngestionTime! >= now - 60_000);
    await logs.send(new DeleteLogStreamCommand({ logGroupName: '/sdk/streams', logStreamName: 'older' }));
    await fails(logs.send(new DeleteLogStreamCommand({ logGroupName: '/sdk/streams', logStreamName: 'older' })), ResourceNotFoundException,
      'The specified log stream does not exist.');
  });
});

describe('PutLogEvents, GetLogEvents, FilterLogEvents', () => {
  test('rejected events are reported, accepted ones read back', async () => {
    await stream('/sdk/ingest', 's');
    const now = Date.now();
    const r = await put('/sdk/ingest', 's', [
      { timestamp: now - 1000, message: 'kept' },
      { timestamp: now + 3 * 3600 * 1000, message: 'too new' },
    ]);
    assert.deepEqual(r.rejectedLogEventsInfo, { tooNewLogEventStartIndex: 1 });
    assert.match(r.nextSequenceToken!, /^\d+$/);
    const old = await put('/sdk/ingest', 's', [{ timestamp: now - 15 * DAY, message: 'ancient' }]);
    assert.deepEqual(old.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 0 });
    const got = await logs.send(new GetLogEventsCommand({ logGroupName: '/sdk/ingest', logStreamName: 's' }));
    assert.deepEqual(got.events?.map((e) => e.message), ['kept']);
    await fails(put('/sdk/ingest', 's', [{ timestamp: now, message: 'b' }, { timestamp: now - 1, message: 'a' }]), InvalidParameterException,
      'Log events in a single PutLogEvents request must be in chronological order.');
    await fails(put('/sdk/ingest', 'nope', [{ timestamp: now, message: 'x' }]), ResourceNotFoundException, 'The specified log stream does not exist.');
  });

  test('GetLogEvents pages forward with the paginator until the token repeats, and backward', async () => {
    await stream('/sdk/read', 's');
    const base = Date.now() - 60_000;
    await put('/sdk/read', 's', Array.from({ length: 120 }, (_, i) => ({ timestamp: base + i, message: `m${i}` })));
    const forward: string[] = [];
    for await (const page of paginateGetLogEvents({ client: logs, pageSize: 50, stopOnSameToken: true }, { logGroupName: '/sdk/read', logStreamName: 's', startFromHead: true })) {
      forward.push(...(page.events ?? []).map((e) => e.message!));
    }
    assert.equal(forward.length, 120);
    assert.deepEqual(forward.slice(0, 3), ['m0', 'm1', 'm2']);
    const tail = await logs.send(new GetLogEventsCommand({ logGroupName: '/sdk/read', logStreamName: 's', limit: 50 }));
    assert.deepEqual([tail.events?.[0].message, tail.events?.[49].message], ['m70', 'm119']);
    const before = await logs.send(new GetLogEventsCommand({ logGroupName: '/sdk/read', logStreamName: 's', limit: 50, nextToken: tail.nextBackwardToken }));
    assert.deepEqual([before.events?.[0].message, before.events?.[49].message], ['m20', 'm69']);
    const end = await logs.send(new GetLogEventsCommand({ logGroupName: '/sdk/read', logStreamName: 's', nextToken: tail.nextForwardToken }));
    assert.deepEqual(end.events, []);
    assert.equal(end.nextForwardToken, tail.nextForwardToken);
  });

  test('FilterLogEvents: pattern across streams, paginator to the end, time range', async () => {
    await stream('/sdk/filter', 'a');
    await stream('/sdk/filter', 'b');
    const base = Date.now() - 60_000;
    await put('/sdk/filter', 'a', Array.from({ length: 30 }, (_, i) => ({ timestamp: base + 2 * i, message: JSON.stringify({ level: i % 3 ? 'INFO' : 'ERROR', n: i }) })));
    await put('/sdk/filter', 'b', Array.from({ length: 30 }, (_, i) => ({ timestamp: base + 2 * i + 1, message: `${i % 5 ? 'INFO' : 'ERROR'} b ${i}` })));
    const errors: Array<[string, number]> = [];
    for await (const page of paginateFilterLogEvents({ client: logs, pageSize: 4 }, { logGroupName: '/sdk/filter', filterPattern: '{ $.level = "ERROR" }' })) {
      errors.push(...(page.events ?? []).map((e) => [e.logStreamName!, e.timestamp!] as [string, number]));
    }
    assert.equal(errors.length, 10);
    assert.ok(errors.every(([s]) => s === 'a'));
    const both = await logs.send(new FilterLogEventsCommand({ logGroupName: '/sdk/filter', filterPattern: 'ERROR', startTime: base, endTime: base + 11 }));
    assert.deepEqual(both.events?.map((e) => e.logStreamName), ['a', 'b', 'a', 'b']);
    assert.ok(both.events?.every((e) => /^\d+$/.test(e.eventId!)));
    await fails(logs.send(new FilterLogEventsCommand({ logGroupName: '/sdk/filter', filterPattern: '{ $.level = ' })), InvalidParameterException, /Invalid filter pattern/);
  });
});

describe('retention', () => {
  test('PutRetentionPolicy: old events are expired in the background; storedBytes follows', async () => {
    await stream('/sdk/retention', 's');
    const now = Date.now();
    await put('/sdk/retention', 's', [{ timestamp: now - 3 * DAY, message: 'three days old' }]);
    await put('/sdk/retention', 's', [{ timestamp: now, message: 'fresh' }]);
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: '/sdk/retention', retentionInDays: 1 }));
    const deadline = Date.now() + 10_000;
    let left: string[] = [];
    do {
      const r = await logs.send(new FilterLogEventsCommand({ logGroupName: '/sdk/retention' }));
      left = r.events!.map((e) => e.message!);
      if (left.length === 1) break;
      await new Promise((res) => setTimeout(res, 100));
    } while (Date.now() < deadline);
    assert.deepEqual(left, ['fresh']);
    const g = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/sdk/retention' }))).logGroups![0];
    assert.equal(g.retentionInDays, 1);
    assert.equal(g.storedBytes, 5);
    const expired = await put('/sdk/retention', 's', [{ timestamp: now - 2 * DAY, message: 'expired' }]);
    assert.deepEqual(expired.rejectedLogEventsInfo, { expiredLogEventEndIndex: 0 });
    await fails(logs.send(new PutRetentionPolicyCommand({ logGroupName: '/sdk/retention', retentionInDays: 2 })), InvalidParameterException, /enum value set/);
    await logs.send(new DeleteRetentionPolicyCommand({ logGroupName: '/sdk/retention' }));
  });
});

describe('metric filters', () => {
  test('matching events become CloudWatch metrics', async () => {
    await stream('/sdk/metrics', 's');
    await logs.send(new PutMetricFilterCommand({
      logGroupName: '/sdk/metrics', filterName: 'latency', filterPattern: '{ $.latency > 0 }',
      metricTransformations: [{ metricNamespace: 'SdkLogs', metricName: 'Latency', metricValue: '$.latency', unit: 'Milliseconds', dimensions: { Route: '$.route' } }],
    }));
    await logs.send(new PutMetricFilterCommand({
      logGroupName: '/sdk/metrics', filterName: 'errors', filterPattern: 'ERROR',
      metricTransformations: [{ metricNamespace: 'SdkLogs', metricName: 'Errors', metricValue: '1', defaultValue: 0 }],
    }));
    const described = await logs.send(new DescribeMetricFiltersCommand({ logGroupName: '/sdk/metrics' }));
    assert.deepEqual(described.metricFilters?.map((f) => f.filterName), ['errors', 'latency']);
    assert.deepEqual(described.metricFilters?.[1].metricTransformations?.[0].dimensions, { Route: '$.route' });

    const now = Date.now();
    await put('/sdk/metrics', 's', [
      { timestamp: now - 3, message: JSON.stringify({ route: '/x', latency: 120 }) },
      { timestamp: now - 2, message: JSON.stringify({ route: '/x', latency: 80 }) },
      { timestamp: now - 1, message: 'ERROR boom' },
    ]);
    const stats = async (MetricName: string, Dimensions?: Array<{ Name: string; Value: string }>) => {
      const r = await cw.send(new GetMetricStatisticsCommand({
        Namespace: 'SdkLogs', MetricName, Dimensions, StartTime: new Date(now - 5 * 60_000), EndTime: new Date(now + 60_000),
        Period: 3600, Statistics: ['Sum', 'SampleCount', 'Maximum'],
      }));
      return r.Datapoints?.[0];
    };
    const latency = await stats('Latency', [{ Name: 'Route', Value: '/x' }]);
    assert.deepEqual([latency?.Sum, latency?.SampleCount, latency?.Maximum, latency?.Unit], [200, 2, 120, 'Milliseconds']);
    const errors = await stats('Errors');
    assert.deepEqual([errors?.Sum, errors?.SampleCount], [1, 3]);

    const test1 = await logs.send(new TestMetricFilterCommand({ filterPattern: '{ $.latency > 100 }', logEventMessages: ['{"latency":120}', '{"latency":5}'] }));
    assert.deepEqual(test1.matches, [{ eventNumber: 1, eventMessage: '{"latency":120}', extractedValues: { '$.latency': '120' } }]);
    await logs.send(new DeleteMetricFilterCommand({ logGroupName: '/sdk/metrics', filterName: 'errors' }));
    await fails(logs.send(new DeleteMetricFilterCommand({ logGroupName: '/sdk/metrics', filterName: 'errors' })), ResourceNotFoundException);
  });
});

describe('tags', () => {
  test('on creation, by name and by ARN', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/sdk/tags', tags: { team: 'core' } }));
    await logs.send(new TagLogGroupCommand({ logGroupName: '/sdk/tags', tags: { env: 'dev' } }));
    const arn = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/sdk/tags`;
    await logs.send(new TagResourceCommand({ resourceArn: arn, tags: { owner: 'me' } }));
    await logs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['team'] }));
    assert.deepEqual((await logs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags, { env: 'dev', owner: 'me' });
    assert.deepEqual((await logs.send(new ListTagsLogGroupCommand({ logGroupName: '/sdk/tags' }))).tags, { env: 'dev', owner: 'me' });
  });
});

describe('durability', () => {
  test('groups, events, filters and tags survive a restart; a deleted group stays deleted', async () => {
    await stream('/sdk/durable', 's');
    const now = Date.now();
    await put('/sdk/durable', 's', [{ timestamp: now, message: 'persisted' }]);
    await stream('/sdk/deleted', 's');
    await put('/sdk/deleted', 's', [{ timestamp: now, message: 'gone' }]);
    await logs.send(new DeleteLogGroupCommand({ logGroupName: '/sdk/deleted' }));
    await server.restart();
    const got = await logs.send(new GetLogEventsCommand({ logGroupName: '/sdk/durable', logStreamName: 's' }));
    assert.deepEqual(got.events?.map((e) => e.message), ['persisted']);
    assert.equal((await logs.send(new DescribeMetricFiltersCommand({ logGroupName: '/sdk/metrics' }))).metricFilters?.length, 1);
    assert.deepEqual((await logs.send(new ListTagsLogGroupCommand({ logGroupName: '/sdk/tags' }))).tags, { env: 'dev', owner: 'me' });
    await stream('/sdk/deleted', 's');
    assert.deepEqual((await logs.send(new FilterLogEventsCommand({ logGroupName: '/sdk/deleted' }))).events, []);
  });
});
