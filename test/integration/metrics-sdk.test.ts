/**
 * CloudWatch metrics end to end: the built `signalbox start` in a child process, driven by the
 * real `@aws-sdk/client-cloudwatch` over the three protocols CloudWatch speaks: AWS JSON 1.0 (the
 * SDK's default), Smithy RPC v2 CBOR and Query. Each protocol runs the same checks in its own
 * namespace: every PutMetricData shape read back with GetMetricStatistics (including 10-second
 * periods over high-resolution data, and percentiles and trimmed means against values computed
 * here), GetMetricData with metric math and a Metrics Insights top-N query, ListMetrics filters and
 * paging, a 1,000-datum put the SDK gzips, and AWS's error codes for bad input with nothing of a
 * rejected put stored. Then, once: a put survives SIGKILL straight after its answer.
 *
 * The SDK (3.1162) has a bug of its own over RPC v2 CBOR: a gzip body goes out with the
 * uncompressed Content-Length, so the server waits for bytes that never come (408 after its
 * request timeout). The CBOR client here restates the length after compression so that the
 * server's gzip path is still exercised over CBOR; see docs/compatibility.md.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CloudWatchClient, GetMetricDataCommand, GetMetricStatisticsCommand, ListMetricsCommand, PutMetricDataCommand,
  type Datapoint, type Dimension, type MetricDataQuery, type MetricDatum,
} from '@aws-sdk/client-cloudwatch';
import { CLOUDWATCH_PROTOCOLS, rejectsAws } from '../helpers/cloudwatch.js';
import { clientConfig, startServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
before(async () => {
  server = await startServer();
  await putEc2Data();
});
after(async () => {
  await server?.dispose();
});

const MIN = 60_000;
/** a minute boundary an hour ago: every test's data lies after it, well within two weeks */
const BASE = Math.floor(Date.now() / MIN) * MIN - 60 * MIN;
const at = (minutes: number, seconds = 0) => new Date(BASE + minutes * MIN + seconds * 1000);

interface Client {
  cw: CloudWatchClient;
  /** Content-Encoding of every request sent */
  encodings: Array<string | undefined>;
}

function client(extra: object, restateLength = false): Client {
  const cw = new CloudWatchClient({ ...clientConfig(server), ...extra });
  const encodings: Array<string | undefined> = [];
  cw.middlewareStack.add(
    (next) => async (args) => {
      const req = args.request as { headers: Record<string, string>; body?: Uint8Array };
      encodings.push(req.headers['content-encoding']);
      // the SDK's CBOR bug (see the module comment): state the length of the bytes actually sent
      if (restateLength && req.headers['content-encoding'] === 'gzip' && req.body) req.headers['content-length'] = String(req.body.length);
      return next(args);
    },
    { step: 'build', priority: 'low', name: 'observeRequestEncoding' },
  );
  return { cw, encodings };
}

const fails = (p: Promise<unknown>, code: string, status = 400) => rejectsAws(p, { code, status });

const byTime = (a: Datapoint, b: Datapoint) => a.Timestamp!.getTime() - b.Timestamp!.getTime();

// --- statistics computed here, by CloudWatch's definitions (nearest rank) --------------------------
const rank = (q: number, n: number) => Math.ceil(q * n - 1e-9);
const percentile = (sorted: number[], q: number) => sorted[rank(q, sorted.length) - 1];
/** the mean of the samples ranked in (ceil(lo·n), ceil(hi·n)] */
function trimmedMean(sorted: number[], lo: number, hi: number): number {
  const kept = sorted.slice(lo > 0 ? rank(lo, sorted.length) : 0, rank(hi, sorted.length));
  return kept.reduce((a, b) => a + b, 0) / kept.length;
}

/** deterministic pseudo-random numbers (mulberry32) */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// the CBOR client restates Content-Length after gzip (the SDK's bug: see client())
const PROTOCOLS = CLOUDWATCH_PROTOCOLS.map((p) => ({ ...p, prefix: p.prefix[0], restateLength: p.prefix === 'cbor' }));

// the Metrics Insights query names its namespace and metric: one data set, queried over every protocol
const EC2_AVERAGES: Record<string, number> = { 'i-1': 10, 'i-2': 50, 'i-3': 30, 'i-4': 70, 'i-5': 20 };
const INSIGHTS_START = Math.floor((BASE + 10 * MIN) / (5 * MIN)) * 5 * MIN;
async function putEc2Data(): Promise<void> {
  const { cw } = client({});
  const MetricData: MetricDatum[] = Object.entries(EC2_AVERAGES).flatMap(([id, avg]) =>
    [avg - 5, avg + 5].map((v, i) => ({ MetricName: 'CPUUtilization', Dimensions: [{ Name: 'InstanceId', Value: id }], Value: v, Unit: 'Percent', Timestamp: new Date(INSIGHTS_START + (i + 1) * MIN) })),
  );
  await cw.send(new PutMetricDataCommand({ Namespace: 'AWS/EC2', MetricData }));
  cw.destroy();
}

for (const { label, prefix, extra, restateLength } of PROTOCOLS) {
  describe(`CloudWatch metrics over ${label}`, () => {
    let c: Client;
    let cw: CloudWatchClient;
    const ns = (n: string) => `Sbx/${prefix}/${n}`;
    before(() => {
      c = client(extra, restateLength);
      cw = c.cw;
    });
    after(() => cw?.destroy());

    const stats = (Namespace: string, MetricName: string, Dimensions: Dimension[], from: Date, to: Date, Period: number, more: object = {}) =>
      cw.send(new GetMetricStatisticsCommand({ Namespace, MetricName, Dimensions, StartTime: from, EndTime: to, Period, Statistics: ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'], ...more }));

    test('PutMetricData: Value, Values with Counts, StatisticValues, Unit, Dimensions, Timestamp, read back per minute', async () => {
      const Namespace = ns('shapes');
      const dims = [{ Name: 'Service', Value: 'api' }, { Name: 'Host', Value: 'h1' }];
      await cw.send(new PutMetricDataCommand({
        Namespace,
        MetricData: [
          { MetricName: 'latency', Dimensions: dims, Unit: 'Milliseconds', Timestamp: at(5, 10), Value: 10 },
          { MetricName: 'latency', Dimensions: dims, Unit: 'Milliseconds', Timestamp: at(5, 20), Values: [20, 30], Counts: [2, 1] },
          { MetricName: 'latency', Dimensions: dims, Unit: 'Milliseconds', Timestamp: at(5, 30), StatisticValues: { SampleCount: 4, Sum: 100, Minimum: 5, Maximum: 50 } },
          { MetricName: 'latency', Dimensions: dims, Unit: 'Milliseconds', Timestamp: at(7, 59), Value: 7 },
        ],
      }));
      // the dimensions in another order name the same metric
      const r = await stats(Namespace, 'latency', [...dims].reverse(), at(5), at(10), 60, { ExtendedStatistics: ['p50'] });
      assert.equal(r.Label, 'latency');
      const dps = r.Datapoints!.sort(byTime);
      assert.equal(dps.length, 2);
      assert.deepEqual(
        dps.map(({ Timestamp, SampleCount, Average, Sum, Minimum, Maximum, Unit }) => ({ Timestamp, SampleCount, Average, Sum, Minimum, Maximum, Unit })),
        [
          { Timestamp: at(5), SampleCount: 8, Average: 22.5, Sum: 180, Minimum: 5, Maximum: 50, Unit: 'Milliseconds' },
          { Timestamp: at(7), SampleCount: 1, Average: 7, Sum: 7, Minimum: 7, Maximum: 7, Unit: 'Milliseconds' },
        ],
      );
      // a statistic set's values are unknown: no percentile for the minute it is in
      assert.equal(dps[0].ExtendedStatistics?.p50, undefined);
      assert.equal(dps[1].ExtendedStatistics?.p50, 7);
      // the Unit filter, one period over the whole range, and the exact dimension set
      assert.deepEqual((await stats(Namespace, 'latency', dims, at(5), at(10), 60, { Unit: 'Seconds' })).Datapoints, []);
      const whole = (await stats(Namespace, 'latency', dims, at(5), at(10), 300, { Unit: 'Milliseconds' })).Datapoints!;
      assert.deepEqual(whole.map((d) => [d.Timestamp, d.SampleCount, d.Sum]), [[at(5), 9, 187]]);
      assert.deepEqual((await stats(Namespace, 'latency', [dims[0]], at(5), at(10), 60)).Datapoints, []);
      // no Unit given: None
      await cw.send(new PutMetricDataCommand({ Namespace, MetricData: [{ MetricName: 'plain', Value: 3, Timestamp: at(6) }] }));
      assert.equal((await stats(Namespace, 'plain', [], at(5), at(10), 60)).Datapoints![0].Unit, 'None');
    });

    test('StorageResolution 1: 10-second periods read back', async () => {
      const Namespace = ns('highres');
      const t0 = Math.floor(Date.now() / MIN) * MIN - 5 * MIN;
      const MetricData = [0, 3, 12, 15, 25].map((s, i) => ({ MetricName: 'hr', StorageResolution: 1, Value: i + 1, Timestamp: new Date(t0 + s * 1000) }));
      await cw.send(new PutMetricDataCommand({ Namespace, MetricData }));
      const tenths = (await stats(Namespace, 'hr', [], new Date(t0), new Date(t0 + 30_000), 10)).Datapoints!.sort(byTime);
      assert.deepEqual(
        tenths.map((d) => [d.Timestamp!.getTime() - t0, d.SampleCount, d.Sum, d.Maximum]),
        [[0, 2, 3, 2], [10_000, 2, 7, 4], [20_000, 1, 5, 5]],
      );
      const minute = (await stats(Namespace, 'hr', [], new Date(t0), new Date(t0 + MIN), 60)).Datapoints!;
      assert.deepEqual(minute.map((d) => [d.SampleCount, d.Sum]), [[5, 15]]);
    });

    test('GetMetricStatistics: the five statistics and p50, p99, tm90, IQM against values computed here', async () => {
      const Namespace = ns('extended');
      const rnd = random(prefix.charCodeAt(0));
      // 120 distinct values with counts: kept exactly, so the answers must match to the last bit
      const values = Array.from({ length: 120 }, (_, i) => Math.round((i * 7.3 + rnd() * 5) * 100) / 100);
      const counts = values.map(() => 1 + Math.floor(rnd() * 3));
      await cw.send(new PutMetricDataCommand({ Namespace, MetricData: [{ MetricName: 'svc', Values: values, Counts: counts, Timestamp: at(20, 30) }] }));
      const samples = values.flatMap((v, i) => Array<number>(counts[i]).fill(v)).sort((a, b) => a - b);
      const sum = samples.reduce((a, b) => a + b, 0);
      const r = await stats(Namespace, 'svc', [], at(20), at(21), 60, { ExtendedStatistics: ['p50', 'p99', 'tm90', 'IQM'] });
      const [dp] = r.Datapoints!;
      assert.equal(r.Datapoints!.length, 1);
      assert.equal(dp.SampleCount, samples.length);
      assert.ok(Math.abs(dp.Sum! - sum) < 1e-9);
      assert.ok(Math.abs(dp.Average! - sum / samples.length) < 1e-9);
      assert.equal(dp.Minimum, samples[0]);
      assert.equal(dp.Maximum, samples[samples.length - 1]);
      assert.equal(dp.ExtendedStatistics!.p50, percentile(samples, 0.5));
      assert.equal(dp.ExtendedStatistics!.p99, percentile(samples, 0.99));
      assert.ok(Math.abs(dp.ExtendedStatistics!.tm90 - trimmedMean(samples, 0, 0.9)) < 1e-9);
      assert.ok(Math.abs(dp.ExtendedStatistics!.IQM - trimmedMean(samples, 0.25, 0.75)) < 1e-9);
    });

    test('GetMetricData: MetricStat, arithmetic, SUM(METRICS()), FILL, RATE, DIFF, IF; Metrics Insights top 3', async () => {
      const Namespace = ns('math');
      // a has a gap at minute 2; b has every minute
      const a = [4, 6, undefined, 10, 3, 8];
      const MetricData: MetricDatum[] = [];
      a.forEach((v, i) => v !== undefined && MetricData.push({ MetricName: 'a', Value: v, Timestamp: at(30 + i, 15) }));
      for (let i = 0; i < 6; i++) MetricData.push({ MetricName: 'b', Value: 1, Timestamp: at(30 + i, 45) });
      await cw.send(new PutMetricDataCommand({ Namespace, MetricData }));
      const stat = (Id: string, MetricName: string): MetricDataQuery => ({ Id, MetricStat: { Metric: { Namespace, MetricName }, Period: 60, Stat: 'Sum' } });
      const r = await cw.send(new GetMetricDataCommand({
        // an unaligned start is rounded down to the minute, for the metrics and for FILL's grid alike
        StartTime: at(30, 20),
        EndTime: at(36),
        ScanBy: 'TimestampAscending',
        MetricDataQueries: [
          stat('a', 'a'),
          { ...stat('b', 'b'), ReturnData: false },
          { Id: 'arith', Expression: 'a + b * 2', Label: 'a plus twice b' },
          { Id: 'total', Expression: 'SUM(METRICS())' },
          { Id: 'filled', Expression: 'FILL(a, 0)' },
          { Id: 'rate', Expression: 'RATE(a)' },
          { Id: 'diff', Expression: 'DIFF(a)' },
          { Id: 'cond', Expression: 'IF(a > 5, a, 0)' },
        ],
      }));
      const got = Object.fromEntries(r.MetricDataResults!.map((x) => [x.Id!, x]));
      assert.deepEqual(Object.keys(got).sort(), ['a', 'arith', 'cond', 'diff', 'filled', 'rate', 'total']);
      const series = (id: string) => ({ t: got[id].Timestamps!.map((d) => (d.getTime() - BASE) / MIN - 30), v: got[id].Values, status: got[id].StatusCode });
      assert.deepEqual(series('a'), { t: [0, 1, 3, 4, 5], v: [4, 6, 10, 3, 8], status: 'Complete' });
      assert.equal(got.a.Label, 'a');
      assert.equal(got.arith.Label, 'a plus twice b');
      // a missing point counts as 0 in arithmetic between series
      assert.deepEqual(series('arith').v, [6, 8, 2, 12, 5, 10]);
      assert.deepEqual(series('total'), { t: [0, 1, 2, 3, 4, 5], v: [5, 7, 1, 11, 4, 9], status: 'Complete' });
      assert.deepEqual(series('filled'), { t: [0, 1, 2, 3, 4, 5], v: [4, 6, 0, 10, 3, 8], status: 'Complete' });
      assert.deepEqual(series('diff'), { t: [1, 3, 4, 5], v: [2, 4, -7, 5], status: 'Complete' });
      assert.deepEqual(series('rate').t, [1, 3, 4, 5]);
      [2 / 60, 4 / 120, -7 / 60, 5 / 60].forEach((x, i) => assert.ok(Math.abs(series('rate').v![i] - x) < 1e-12));
      assert.deepEqual(series('cond'), { t: [0, 1, 3, 4, 5], v: [0, 6, 10, 0, 8], status: 'Complete' });
      // newest first by default
      const desc = await cw.send(new GetMetricDataCommand({ StartTime: at(30), EndTime: at(36), MetricDataQueries: [stat('a', 'a')] }));
      assert.deepEqual(desc.MetricDataResults![0].Values, [8, 3, 10, 6, 4]);

      const insights = await cw.send(new GetMetricDataCommand({
        StartTime: new Date(INSIGHTS_START),
        EndTime: new Date(INSIGHTS_START + 5 * MIN),
        MetricDataQueries: [{ Id: 'top', Period: 300, Expression: 'SELECT AVG(CPUUtilization) FROM SCHEMA("AWS/EC2", InstanceId) GROUP BY InstanceId ORDER BY AVG() DESC LIMIT 3' }],
      }));
      assert.deepEqual(
        insights.MetricDataResults!.map((x) => [x.Id, x.Label, x.Timestamps, x.Values]),
        [['top', 'i-4', [new Date(INSIGHTS_START)], [70]], ['top', 'i-2', [new Date(INSIGHTS_START)], [50]], ['top', 'i-3', [new Date(INSIGHTS_START)], [30]]],
      );
    });

    test('ListMetrics: namespace, name, dimension name only, name and value, RecentlyActive; paging over 520 metrics', async () => {
      const Namespace = ns('list');
      const MetricData: MetricDatum[] = [
        { MetricName: 'errors', Dimensions: [{ Name: 'Queue', Value: 'a' }], Value: 1, Timestamp: at(40) },
        { MetricName: 'errors', Dimensions: [{ Name: 'Queue', Value: 'b' }], Value: 1, Timestamp: at(40) },
        { MetricName: 'errors', Value: 1, Timestamp: at(40) },
        { MetricName: 'depth', Dimensions: [{ Name: 'Queue', Value: 'a' }, { Name: 'Env', Value: 'prod' }], Value: 1, Timestamp: at(40) },
      ];
      await cw.send(new PutMetricDataCommand({ Namespace, MetricData }));
      const list = async (input: object) =>
        (await cw.send(new ListMetricsCommand({ Namespace, ...input }))).Metrics!.map((m) => `${m.MetricName}{${(m.Dimensions ?? []).map((d) => `${d.Name}=${d.Value}`).sort().join(',')}}`).sort();
      assert.deepEqual(await list({}), ['depth{Env=prod,Queue=a}', 'errors{Queue=a}', 'errors{Queue=b}', 'errors{}']);
      assert.deepEqual(await list({ MetricName: 'errors' }), ['errors{Queue=a}', 'errors{Queue=b}', 'errors{}']);
      assert.deepEqual(await list({ Dimensions: [{ Name: 'Queue' }] }), ['depth{Env=prod,Queue=a}', 'errors{Queue=a}', 'errors{Queue=b}']);
      assert.deepEqual(await list({ Dimensions: [{ Name: 'Queue', Value: 'a' }] }), ['depth{Env=prod,Queue=a}', 'errors{Queue=a}']);
      assert.deepEqual(await list({ MetricName: 'errors', Dimensions: [{ Name: 'Queue', Value: 'b' }] }), ['errors{Queue=b}']);
      assert.deepEqual(await list({ Dimensions: [{ Name: 'Queue', Value: 'a' }, { Name: 'Env' }] }), ['depth{Env=prod,Queue=a}']);
      assert.deepEqual(await list({ RecentlyActive: 'PT3H', MetricName: 'depth' }), ['depth{Env=prod,Queue=a}']);
      assert.deepEqual(await list({ Namespace: ns('nothing-here') }), []);
      await fails(cw.send(new ListMetricsCommand({ RecentlyActive: 'PT1H' as 'PT3H' })), 'InvalidParameterValue');

      const Paged = ns('paged');
      const many = Array.from({ length: 520 }, (_, i) => ({ MetricName: `m${String(i).padStart(3, '0')}`, Value: i, Timestamp: at(41) }));
      await cw.send(new PutMetricDataCommand({ Namespace: Paged, MetricData: many }));
      const first = await cw.send(new ListMetricsCommand({ Namespace: Paged }));
      assert.equal(first.Metrics!.length, 500);
      assert.ok(first.NextToken);
      const second = await cw.send(new ListMetricsCommand({ Namespace: Paged, NextToken: first.NextToken }));
      assert.equal(second.Metrics!.length, 20);
      assert.equal(second.NextToken, undefined);
      const names = new Set([...first.Metrics!, ...second.Metrics!].map((m) => m.MetricName));
      assert.equal(names.size, 520);
      await fails(cw.send(new ListMetricsCommand({ Namespace: Paged, NextToken: 'not-a-token' })), 'InvalidNextToken');
    });

    test('a PutMetricData of 1,000 datums goes gzipped and is read back whole', async () => {
      const Namespace = ns('bulk');
      const MetricData = Array.from({ length: 1000 }, (_, i) => ({
        MetricName: 'bulk', Dimensions: [{ Name: 'Shard', Value: `s${i % 10}` }], Value: i, Unit: 'Count' as const, Timestamp: at(45 + (i % 5), 30),
      }));
      const sent = c.encodings.length;
      await cw.send(new PutMetricDataCommand({ Namespace, MetricData }));
      assert.deepEqual(c.encodings.slice(sent), ['gzip']);
      const shards = (await cw.send(new ListMetricsCommand({ Namespace }))).Metrics!;
      assert.equal(shards.length, 10);
      for (const s of [0, 7]) {
        const dps = (await stats(Namespace, 'bulk', [{ Name: 'Shard', Value: `s${s}` }], at(45), at(50), 300)).Datapoints!;
        const mine = MetricData.filter((d) => d.Dimensions[0].Value === `s${s}`).map((d) => d.Value);
        assert.deepEqual(dps.map((d) => [d.SampleCount, d.Sum, d.Minimum, d.Maximum, d.Unit]), [[100, mine.reduce((a, b) => a + b, 0), s, 990 + s, 'Count']]);
      }
    });

    test('bad input: AWS codes, and nothing of a rejected put is stored', async () => {
      const Namespace = ns('bad');
      const now = Date.now();
      const put = (MetricData: MetricDatum[]) => cw.send(new PutMetricDataCommand({ Namespace, MetricData }));
      const datum = (more: Partial<MetricDatum> = {}): MetricDatum => ({ MetricName: 'good', Value: 1, Timestamp: at(50), ...more });
      const tooMany = Array.from({ length: 31 }, (_, i) => ({ Name: `d${i}`, Value: 'v' }));

      const period = await fails(stats(Namespace, 'good', [], at(50), at(55), 7), 'InvalidParameterValue');
      assert.match(period.message, /Period/);
      await fails(put([datum({ Dimensions: tooMany })]), 'InvalidParameterValue');
      for (const v of [NaN, Infinity, -Infinity]) await fails(put([datum({ Value: v })]), 'InvalidParameterValue');
      await fails(put([datum({ Value: undefined, Values: [1, NaN] })]), 'InvalidParameterValue');
      const old = await fails(put([datum({ Timestamp: new Date(now - 15 * 86400_000) })]), 'InvalidParameterValue');
      assert.match(old.message, /Timestamp/);
      await fails(put([datum({ Timestamp: new Date(now + 3 * 3600_000) })]), 'InvalidParameterValue');
      await fails(put(Array.from({ length: 1001 }, () => datum())), 'InvalidParameterValue');
      await fails(put([datum({ Values: [1, 2] })]), 'InvalidParameterCombination');
      await fails(put([datum({ StatisticValues: { SampleCount: 1, Sum: 1, Minimum: 1, Maximum: 1 } })]), 'InvalidParameterCombination');
      await fails(put([datum({ Value: undefined, Values: [1, 2], Counts: [1] })]), 'InvalidParameterValue');
      await fails(put([datum({ Unit: 'Furlongs' as 'Count' })]), 'InvalidParameterValue');
      await fails(put([datum({ StorageResolution: 30 })]), 'InvalidParameterValue');
      await fails(stats(Namespace, 'good', [], at(50), at(55), 60, { Statistics: ['Median'] }), 'InvalidParameterValue');
      await fails(stats(Namespace, 'good', [], at(50), at(55), 60, { Statistics: [], ExtendedStatistics: ['p101'] }), 'InvalidParameterValue');
      await fails(stats(Namespace, 'good', [], at(50), at(55), 60, { Unit: 'Furlongs' }), 'InvalidParameterValue');
      const tooLong = await fails(stats(Namespace, 'good', [], new Date(now - 1441 * MIN), new Date(now), 60), 'InvalidParameterCombination');
      assert.match(tooLong.message, /exceeds the limit of 1,440/);
      await fails(stats(Namespace, 'good', [], at(55), at(55), 60), 'InvalidParameterValue');
      await fails(stats(Namespace, 'good', [], at(56), at(55), 60), 'InvalidParameterValue');

      const data = (input: object) => cw.send(new GetMetricDataCommand({ StartTime: at(50), EndTime: at(55), ...input } as never));
      const q = { Id: 'm', MetricStat: { Metric: { Namespace, MetricName: 'good' }, Period: 60, Stat: 'Sum' } };
      await fails(data({ MetricDataQueries: [q, { Id: 'e', Expression: 'SUM(METRICS(' }] }), 'ValidationError');
      await fails(data({ MetricDataQueries: [q, { Id: 'e', Expression: 'm +* 2' }] }), 'ValidationError');
      await fails(data({ MetricDataQueries: [q, { Id: 'e', Expression: 'nope * 2' }] }), 'ValidationError');
      await fails(data({ MetricDataQueries: [{ Id: 'e', Period: 60, Expression: 'SELECT AVG(x FROM y' }] }), 'ValidationError');
      await fails(data({ MetricDataQueries: [q, { ...q }] }), 'ValidationError');
      await fails(data({ StartTime: at(55), EndTime: at(55), MetricDataQueries: [q] }), 'ValidationError');
      await fails(data({ MetricDataQueries: [{ ...q, MetricStat: { ...q.MetricStat, Period: 7 } }] }), 'InvalidParameterValue');
      await fails(data({ MetricDataQueries: [{ ...q, MetricStat: { ...q.MetricStat, Stat: 'Median' } }] }), 'InvalidParameterValue');

      // one bad datum among good ones: the call is refused whole, even the series it would create
      await fails(put([datum({ MetricName: 'atomic' }), datum({ MetricName: 'atomic', Dimensions: [{ Name: 'k', Value: 'v' }] }), datum({ MetricName: 'atomic', Value: NaN }), datum({ MetricName: 'atomic2' })]), 'InvalidParameterValue');
      await fails(put([datum({ MetricName: 'atomic' }), datum({ MetricName: 'atomic', Timestamp: new Date(now - 20 * 86400_000) })]), 'InvalidParameterValue');
      assert.deepEqual((await cw.send(new ListMetricsCommand({ Namespace }))).Metrics, []);
      assert.deepEqual((await stats(Namespace, 'atomic', [], at(50), at(55), 60)).Datapoints, []);
      // and a good put afterwards is stored
      await put([datum({ MetricName: 'atomic' })]);
      assert.deepEqual((await stats(Namespace, 'atomic', [], at(50), at(55), 60)).Datapoints!.map((d) => d.SampleCount), [1]);
    });
  });
}

describe('durability', () => {
  test('a put answered just before SIGKILL is still there after a restart, with what was flushed before it', async () => {
    const Namespace = 'Sbx/durable';
    let { cw } = client({});
    await cw.send(new PutMetricDataCommand({ Namespace, MetricData: [{ MetricName: 'd', Value: 1, Timestamp: at(55) }] }));
    // past a flush (every 2 s): this one is in cw_points, the next only in the ingest log
    await new Promise((r) => setTimeout(r, 2500));
    await cw.send(new PutMetricDataCommand({ Namespace, MetricData: [{ MetricName: 'd', Values: [2, 3], Timestamp: at(55, 30) }, { MetricName: 'e', Value: 5, Timestamp: at(56) }] }));
    await server.stop('SIGKILL');
    cw.destroy();
    await server.restart();
    ({ cw } = client({}));
    try {
      const r = await cw.send(new GetMetricStatisticsCommand({ Namespace, MetricName: 'd', StartTime: at(55), EndTime: at(57), Period: 60, Statistics: ['SampleCount', 'Sum'] }));
      assert.deepEqual(r.Datapoints!.map((d) => [d.Timestamp, d.SampleCount, d.Sum]), [[at(55), 3, 6]]);
      const names = (await cw.send(new ListMetricsCommand({ Namespace }))).Metrics!.map((m) => m.MetricName).sort();
      assert.deepEqual(names, ['d', 'e']);
    } finally {
      cw.destroy();
    }
  });
});
