/**
 * CloudWatch metrics through both real AWS CLIs, as a user types them: `aws` (v1, botocore 1.43:
 * JSON 1.0) and `/usr/bin/aws` (Debian's v2.9: Query). Breadth lives in metrics-sdk.test.ts; this
 * is one smoke path per CLI (put-metric-data, get-metric-statistics, list-metrics,
 * get-metric-data) and one error. CLI v1 is told to compress every PutMetricData body
 * (AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES=1), so botocore's gzip reaches the server too; v2.9
 * predates request compression.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { aws1, aws2, cliOk, hasAws2 } from '../helpers/aws-cli.js';
import { startServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.dispose();
});

const ok = cliOk;

const MIN = 60_000;
const BASE = Math.floor(Date.now() / MIN) * MIN - 30 * MIN;
const iso = (minutes: number, seconds = 0) => new Date(BASE + minutes * MIN + seconds * 1000).toISOString();
/** CLI v1 prints JSON 1.0 timestamps as they came (epoch seconds); v2 as ISO 8601 */
const ms = (t: number | string) => (typeof t === 'number' ? t * 1000 : Date.parse(t));

const CLIS = [
  { label: 'CLI v1 (JSON 1.0)', run: aws1, prefix: 'v1', gzips: true, skip: false },
  { label: 'Debian CLI v2.9 (Query)', run: aws2, prefix: 'v2', gzips: false, skip: !hasAws2 },
];

for (const { label, run, prefix, gzips, skip } of CLIS) {
  describe(label, { skip }, () => {
    test('put-metric-data, get-metric-statistics, list-metrics, get-metric-data; an invalid period', async () => {
      const ns = `Sbx/cli-${prefix}`;
      const data = [
        { MetricName: 'hits', Dimensions: [{ Name: 'Page', Value: 'home' }], Timestamp: iso(1, 10), Values: [1, 2, 3], Counts: [1, 1, 2], Unit: 'Count' },
        { MetricName: 'hits', Dimensions: [{ Name: 'Page', Value: 'home' }], Timestamp: iso(2, 10), Value: 4, Unit: 'Count' },
        { MetricName: 'hits', Dimensions: [{ Name: 'Page', Value: 'about' }], Timestamp: iso(1, 20), Value: 10, Unit: 'Count' },
      ];
      const put = ok(await run(server, ['cloudwatch', 'put-metric-data', '--namespace', ns, '--metric-data', JSON.stringify(data), ...(gzips ? ['--debug'] : [])],
        { AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES: '1' }));
      if (gzips) assert.match(put.stderr, /'Content-Encoding': 'gzip'/);

      const stats = ok(await run(server, ['cloudwatch', 'get-metric-statistics', '--namespace', ns, '--metric-name', 'hits', '--dimensions', 'Name=Page,Value=home',
        '--start-time', iso(0), '--end-time', iso(5), '--period', '60', '--statistics', 'Sum', 'SampleCount', 'Maximum', '--extended-statistics', 'p50'])).json;
      assert.equal(stats.Label, 'hits');
      const dps = stats.Datapoints.sort((a: any, b: any) => ms(a.Timestamp) - ms(b.Timestamp));
      assert.deepEqual(dps.map((d: any) => [ms(d.Timestamp), d.Sum, d.SampleCount, d.Maximum, d.ExtendedStatistics.p50, d.Unit]), [
        [Date.parse(iso(1)), 9, 4, 3, 2, 'Count'],
        [Date.parse(iso(2)), 4, 1, 4, 4, 'Count'],
      ]);

      const listed = ok(await run(server, ['cloudwatch', 'list-metrics', '--namespace', ns, '--dimensions', 'Name=Page'])).json.Metrics;
      assert.deepEqual(listed.map((m: any) => m.Dimensions[0].Value).sort(), ['about', 'home']);

      const queries = [
        { Id: 'home', MetricStat: { Metric: { Namespace: ns, MetricName: 'hits', Dimensions: [{ Name: 'Page', Value: 'home' }] }, Period: 60, Stat: 'Sum' }, ReturnData: false },
        { Id: 'about', MetricStat: { Metric: { Namespace: ns, MetricName: 'hits', Dimensions: [{ Name: 'Page', Value: 'about' }] }, Period: 60, Stat: 'Sum' }, ReturnData: false },
        { Id: 'total', Expression: 'home + about', Label: 'all pages' },
      ];
      const got = ok(await run(server, ['cloudwatch', 'get-metric-data', '--metric-data-queries', JSON.stringify(queries),
        '--start-time', iso(0), '--end-time', iso(5), '--scan-by', 'TimestampAscending'])).json.MetricDataResults;
      assert.deepEqual(got.map((r: any) => [r.Id, r.Label, r.Timestamps.map(ms), r.Values, r.StatusCode]), [
        ['total', 'all pages', [Date.parse(iso(1)), Date.parse(iso(2))], [19, 4], 'Complete'],
      ]);

      const bad = await run(server, ['cloudwatch', 'get-metric-statistics', '--namespace', ns, '--metric-name', 'hits',
        '--start-time', iso(0), '--end-time', iso(5), '--period', '7', '--statistics', 'Sum']);
      assert.notEqual(bad.code, 0);
      assert.match(bad.stderr, /InvalidParameterValue/);
      assert.match(bad.stderr, /Period/);
    });
  });
}
