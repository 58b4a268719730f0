/**
 * GetMetricData in pages: MaxDatapoints cuts the answer across results (a result cut short says
 * PartialData), the SDK's paginator follows NextToken to the end, and the pages together are the
 * unpaged answer. A token from another request is refused.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CloudWatchClient, GetMetricDataCommand, paginateGetMetricData, PutMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { clientConfig, startServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(() => server?.dispose());

test('MaxDatapoints pages through every result, in order', async () => {
  const cw = new CloudWatchClient(clientConfig(server));
  const base = Math.floor(Date.now() / 60_000) * 60_000 - 40 * 60_000;
  for (const host of ['a', 'b', 'c']) {
    await cw.send(new PutMetricDataCommand({
      Namespace: 'Paging', MetricData: Array.from({ length: 30 }, (_, i) => ({
        MetricName: 'Load', Dimensions: [{ Name: 'Host', Value: host }], Value: i + (host === 'b' ? 100 : host === 'c' ? 200 : 0), Timestamp: new Date(base + i * 60_000),
      })),
    }));
  }
  const queries: MetricDataQuery[] = ['a', 'b', 'c'].map((h) => ({
    Id: `m${h}`, MetricStat: { Metric: { Namespace: 'Paging', MetricName: 'Load', Dimensions: [{ Name: 'Host', Value: h }] }, Period: 60, Stat: 'Maximum' },
  }));
  queries.push({ Id: 'none', MetricStat: { Metric: { Namespace: 'Paging', MetricName: 'Nothing' }, Period: 60, Stat: 'Sum' } });
  const input = { MetricDataQueries: queries, StartTime: new Date(base), EndTime: new Date(base + 30 * 60_000), ScanBy: 'TimestampAscending' as const };
  const whole = (await cw.send(new GetMetricDataCommand(input))).MetricDataResults!;
  assert.deepEqual(whole.map((r) => [r.Id, r.Values!.length, r.StatusCode]), [['ma', 30, 'Complete'], ['mb', 30, 'Complete'], ['mc', 30, 'Complete'], ['none', 0, 'Complete']]);

  const first = await cw.send(new GetMetricDataCommand({ ...input, MaxDatapoints: 40 }));
  assert.deepEqual(first.MetricDataResults!.map((r) => [r.Id, r.Values!.length, r.StatusCode]), [['ma', 30, 'Complete'], ['mb', 10, 'PartialData']]);
  assert.ok(first.NextToken);

  const joined = new Map<string, number[]>();
  let pages = 0;
  for await (const page of paginateGetMetricData({ client: cw }, { ...input, MaxDatapoints: 40 })) {
    pages++;
    for (const r of page.MetricDataResults!) joined.set(r.Id!, [...(joined.get(r.Id!) ?? []), ...r.Values!]);
  }
  assert.equal(pages, 3);
  assert.deepEqual([...joined], whole.map((r) => [r.Id, r.Values]));

  await assert.rejects(
    cw.send(new GetMetricDataCommand({ ...input, EndTime: new Date(base + 20 * 60_000), MaxDatapoints: 40, NextToken: first.NextToken })),
    (e: Error) => e.name === 'InvalidNextToken' || e.name === 'InvalidNextTokenException',
  );
});
