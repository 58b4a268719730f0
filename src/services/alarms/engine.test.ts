/**
 * The alarm engine through the CloudWatch service on an in-memory store and a manual clock:
 * evaluation at period boundaries (M of N, TreatMissingData), the immediate path for monotone
 * statistics (and its refusal for the others), state changes committing their history, action
 * jobs and event jobs together, composites following their children, and alarms surviving a
 * restart of the service on the same store.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { callOperation, requestContext } from '../../../test/helpers/service-context.js';
import type { Config } from '../../config/schema.js';
import { ManualClock } from '../../core/clock.js';
import { createDeliveryEngine } from '../../core/deliveries/index.js';
import { createLogger } from '../../core/log.js';
import { MetricsHub } from '../../core/metrics/index.js';
import { LogsHub } from '../../core/logs/index.js';
import { SecretBox } from '../../core/secrets.js';
import { Targets } from '../../core/targets/index.js';
import { openSqliteStore } from '../../store/open.js';
import type { Store } from '../../store/store.js';
import { createCloudWatchService } from '../cloudwatch/index.js';
import type { ServiceDefinition } from '../service.js';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:ops`;
// a minute boundary, so periods are easy to reason about
const T0 = Date.UTC(2026, 10, 22, 10, 0, 0);

interface Rig {
  service: ServiceDefinition;
  clock: ManualClock;
  call<T = Record<string, any>>(op: string, input: Record<string, unknown>): Promise<T>;
  jobs(): Promise<Array<{ target: string; ref: string; payload: any }>>;
  state(name: string): Promise<string>;
  stop(): Promise<void>;
}

async function rig(store: Store, clock: ManualClock): Promise<Rig> {
  const log = createLogger('silent');
  const targets = new Targets();
  const deliveries = createDeliveryEngine({ store, clock, log, targets });
  const config = { region: REGION, accountId: ACCOUNT, dataDir: ':memory:', publicUrl: 'http://sbx.test' } as Config;
  const service = createCloudWatchService({ config, store, secrets: SecretBox.fromKey(Buffer.alloc(32, 3)), clock, log, deliveries, targets, metrics: new MetricsHub(), logs: new LogsHub() });
  service.start?.();
  const r: Rig = {
    service,
    clock,
    call: (op, input) => callOperation(service, op, input, requestContext({ accountId: ACCOUNT, region: REGION }, { now: clock.now() })),
    async jobs() {
      const rows = await store.all<{ target: string; ref: string; payload: string }>("SELECT target, ref, payload FROM delivery_jobs WHERE source = 'cloudwatch' ORDER BY id");
      return rows.map((j) => ({ ...j, payload: JSON.parse(j.payload) }));
    },
    async state(name) {
      const d = await r.call('DescribeAlarms', { AlarmNames: [name], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] });
      return ([...d.MetricAlarms, ...d.CompositeAlarms][0]?.StateValue as string) ?? 'none';
    },
    stop: async () => {
      await service.stop?.();
      await deliveries.stop(0);
    },
  };
  return r;
}

/** Waits (real time) until `fn` holds: evaluations run on the engine's own queue and timer. */
async function eventually(what: string, fn: () => Promise<boolean>, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) assert.fail(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const put = (r: Rig, name: string, value: number, at: number) =>
  r.call('PutMetricData', { Namespace: 'Shop', MetricData: [{ MetricName: name, Value: value, Timestamp: new Date(at) }] });

let store: Store;
let r: Rig;
before(async () => {
  store = await openSqliteStore(':memory:');
  r = await rig(store, new ManualClock(T0 + 5_000));
});
after(async () => {
  await r.stop();
  await store.close();
});

describe('immediate evaluation', () => {
  test('the datapoint that takes a Sum over the threshold raises the alarm at once, with its action and event', async () => {
    await r.call('PutMetricAlarm', {
      AlarmName: 'errors', Namespace: 'Shop', MetricName: 'Errors', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1,
      Threshold: 5, ComparisonOperator: 'GreaterThanThreshold', AlarmActions: [TOPIC],
    });
    for (let i = 0; i < 5; i++) await put(r, 'Errors', 1, T0 + 1000);
    await new Promise((res) => setTimeout(res, 50));
    assert.equal(await r.state('errors'), 'INSUFFICIENT_DATA');
    await put(r, 'Errors', 1, T0 + 1000);
    await eventually('ALARM', async () => (await r.state('errors')) === 'ALARM');

    const jobs = (await r.jobs()).filter((j) => j.ref.endsWith(':alarm:errors'));
    const action = jobs.find((j) => j.target === TOPIC);
    assert.ok(action, 'an action job for the topic');
    assert.equal(action.payload.message.subject, 'ALARM: "errors" in EU (Ireland)');
    const msg = JSON.parse(action.payload.message.body);
    assert.equal(msg.NewStateValue, 'ALARM');
    assert.equal(msg.OldStateValue, 'INSUFFICIENT_DATA');
    assert.equal(msg.Trigger.Statistic, 'SUM');
    assert.match(msg.NewStateReason, /^Threshold Crossed: 1 datapoint \[6\.0 \(22\/11\/26 10:00:00\)\] was greater than the threshold \(5\.0\)\.$/);
    const event = jobs.find((j) => j.target === `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default`);
    assert.ok(event, 'a state-change event for the default bus');
    const e = JSON.parse(event.payload.message.body);
    assert.equal(e['detail-type'], 'CloudWatch Alarm State Change');
    assert.equal(e.detail.state.value, 'ALARM');
    assert.equal(e.detail.previousState.value, 'INSUFFICIENT_DATA');

    const h = await r.call('DescribeAlarmHistory', { AlarmName: 'errors' });
    assert.deepEqual(h.AlarmHistoryItems.map((x: any) => x.HistoryItemType), ['Action', 'StateUpdate', 'ConfigurationUpdate']);
  });

  test('an Average is not monotone: it waits for the boundary', async () => {
    await r.call('PutMetricAlarm', {
      AlarmName: 'latency', Namespace: 'Shop', MetricName: 'Latency', Statistic: 'Average', Period: 60, EvaluationPeriods: 1,
      Threshold: 100, ComparisonOperator: 'GreaterThanThreshold',
    });
    await put(r, 'Latency', 500, T0 + 2000);
    await new Promise((res) => setTimeout(res, 100));
    assert.equal(await r.state('latency'), 'INSUFFICIENT_DATA');
    // the minute closes (plus the grace): the boundary evaluation sees the complete period
    r.clock.set(T0 + 61_500);
    await eventually('ALARM at the boundary', async () => (await r.state('latency')) === 'ALARM');
  });
});

describe('boundary evaluation', () => {
  test('2 of 3 datapoints breaching raise the alarm; falling below M brings it back to OK', async () => {
    const base = T0 + 10 * 60_000;
    r.clock.set(base + 1000);
    await r.call('PutMetricAlarm', {
      AlarmName: 'm-of-n', Namespace: 'Shop', MetricName: 'Queue', Statistic: 'Maximum', Period: 60, EvaluationPeriods: 3, DatapointsToAlarm: 2,
      Threshold: 10, ComparisonOperator: 'LessThanThreshold', OKActions: [TOPIC],
    });
    // Maximum against LessThan is not monotone: only boundaries decide
    await put(r, 'Queue', 5, base + 1000); // breaching
    await put(r, 'Queue', 50, base + 61_000); // not
    await put(r, 'Queue', 3, base + 121_000); // breaching
    r.clock.set(base + 181_500);
    await eventually('ALARM (2 of 3)', async () => (await r.state('m-of-n')) === 'ALARM');
    await put(r, 'Queue', 40, base + 181_000);
    await put(r, 'Queue', 45, base + 241_000);
    r.clock.set(base + 301_500);
    await eventually('OK again', async () => (await r.state('m-of-n')) === 'OK');
    const ok = (await r.jobs()).filter((j) => j.ref.endsWith(':alarm:m-of-n') && j.target === TOPIC);
    assert.equal(ok.length, 1, 'the OK action ran once; ALARM had no actions');
    assert.equal(JSON.parse(ok[0].payload.message.body).NewStateValue, 'OK');
  });

  test('TreatMissingData breaching raises an alarm on a metric that never reported', async () => {
    const base = T0 + 30 * 60_000;
    r.clock.set(base + 1000);
    await r.call('PutMetricAlarm', {
      AlarmName: 'heartbeat', Namespace: 'Shop', MetricName: 'Heartbeat', Statistic: 'SampleCount', Period: 60, EvaluationPeriods: 2,
      Threshold: 1, ComparisonOperator: 'LessThanThreshold', TreatMissingData: 'breaching',
    });
    await eventually('ALARM from missing data', async () => (await r.state('heartbeat')) === 'ALARM');
    const d = await r.call('DescribeAlarms', { AlarmNames: ['heartbeat'] });
    assert.match(d.MetricAlarms[0].StateReason, /treated as \[Breaching\]/);
  });
});

describe('SetAlarmState and composites', () => {
  test('a composite follows its child, and actions disabled still change state and send the event', async () => {
    await r.call('PutMetricAlarm', {
      AlarmName: 'child', Namespace: 'Shop', MetricName: 'Nothing', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1,
      Threshold: 1, ComparisonOperator: 'GreaterThanThreshold', AlarmActions: [TOPIC], ActionsEnabled: false,
    });
    // a rule may only name alarms that exist (AWS): a second child that never leaves INSUFFICIENT_DATA
    await r.call('PutMetricAlarm', {
      AlarmName: 'latency-none', Namespace: 'Shop', MetricName: 'NoLatency', Statistic: 'Average', Period: 60, EvaluationPeriods: 1,
      Threshold: 1, ComparisonOperator: 'GreaterThanThreshold',
    });
    await r.call('PutCompositeAlarm', { AlarmName: 'parent', AlarmRule: 'ALARM(child) AND NOT ALARM("latency-none")', AlarmActions: [TOPIC] });
    await eventually('composite OK', async () => (await r.state('parent')) === 'OK');
    await r.call('SetAlarmState', { AlarmName: 'child', StateValue: 'ALARM', StateReason: 'testing', StateReasonData: '{"a":1}' });
    assert.equal(await r.state('child'), 'ALARM');
    await eventually('composite ALARM', async () => (await r.state('parent')) === 'ALARM');
    const jobs = await r.jobs();
    assert.equal(jobs.filter((j) => j.ref.endsWith(':alarm:child') && j.target === TOPIC).length, 0, 'no action while disabled');
    assert.equal(jobs.filter((j) => j.ref.endsWith(':alarm:child') && j.target.includes(':event-bus/')).length, 1);
    const parentAction = jobs.find((j) => j.ref.endsWith(':alarm:parent') && j.target === TOPIC);
    assert.ok(parentAction);
    assert.match(JSON.parse(parentAction.payload.message.body).NewStateReason, /:alarm:child transitioned to ALARM at /);
    const d = await r.call('DescribeAlarms', { ParentsOfAlarmName: 'child' });
    assert.deepEqual(d.CompositeAlarms.map((a: any) => a.AlarmName), ['parent']);
  });
});

describe('restart', () => {
  test('alarms, their state and history come back on a new service over the same store', async () => {
    // by now the clock has moved on and 'errors' has lapsed to INSUFFICIENT_DATA (its data left the range)
    await eventually('errors lapsed', async () => (await r.state('errors')) === 'INSUFFICIENT_DATA');
    await r.stop();
    const other = await rig(store, new ManualClock(r.clock.ms()));
    assert.equal(await other.state('errors'), 'INSUFFICIENT_DATA');
    assert.equal(await other.state('parent'), 'ALARM');
    assert.equal(await other.state('m-of-n'), 'OK');
    const h = await other.call('DescribeAlarmHistory', { AlarmName: 'errors', HistoryItemType: 'StateUpdate', ScanBy: 'TimestampAscending' });
    assert.deepEqual(h.AlarmHistoryItems.map((x: any) => x.HistorySummary), ['Alarm updated from INSUFFICIENT_DATA to ALARM', 'Alarm updated from ALARM to INSUFFICIENT_DATA']);
    // the metric data came back too (the ingest log and flushed aggregates)
    const stats = await other.call('GetMetricStatistics', {
      Namespace: 'Shop', MetricName: 'Errors', StartTime: new Date(T0), EndTime: new Date(T0 + 60_000), Period: 60, Statistics: ['Sum'],
    });
    assert.equal(stats.Datapoints[0].Sum, 6);
    r = other;
    await other.stop();
  });
});
