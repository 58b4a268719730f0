/**
 * A composite alarm's actions suppressor, with the delivery engine running: actions are dropped
 * while the suppressor is in ALARM and for its extension period after, and otherwise held for the
 * wait period — sent after it unless the suppressor went into ALARM meanwhile.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { callOperation, requestContext } from '../../../test/helpers/service-context.js';
import type { Config } from '../../config/schema.js';
import { systemClock } from '../../core/clock.js';
import { createDeliveryEngine } from '../../core/deliveries/index.js';
import type { DeliveryEngine } from '../../core/deliveries/types.js';
import { createLogger } from '../../core/log.js';
import { MetricsHub } from '../../core/metrics/index.js';
import { LogsHub } from '../../core/logs/index.js';
import { SecretBox } from '../../core/secrets.js';
import { Targets, type TargetMessage } from '../../core/targets/index.js';
import { openSqliteStore } from '../../store/open.js';
import type { Store } from '../../store/store.js';
import { createCloudWatchService } from '../cloudwatch/index.js';
import type { ServiceDefinition } from '../service.js';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:pager`;

let store: Store;
let deliveries: DeliveryEngine;
let service: ServiceDefinition;
const sent: TargetMessage[] = [];

const call = (op: string, input: Record<string, unknown>) =>
  callOperation<Record<string, any>>(service, op, input, requestContext({ accountId: ACCOUNT, region: REGION }));
const setState = (name: string, StateValue: string) => call('SetAlarmState', { AlarmName: name, StateValue, StateReason: 'test' });
const composite = async () => (await call('DescribeAlarms', { AlarmNames: ['page'], AlarmTypes: ['CompositeAlarm'] })).CompositeAlarms[0];
const paged = () => sent.filter((m) => JSON.parse(m.body).AlarmName === 'page' && JSON.parse(m.body).NewStateValue === 'ALARM').length;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, fn: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) assert.fail(`timed out: ${what}`);
    await sleep(20);
  }
}

before(async () => {
  store = await openSqliteStore(':memory:');
  const log = createLogger('silent');
  const targets = new Targets();
  targets.register('sns', { send: async (_arn, m) => (sent.push(m), { ok: true }) });
  deliveries = createDeliveryEngine({ store, clock: systemClock, log, targets, tuning: { pollMs: 20 } });
  const config = { region: REGION, accountId: ACCOUNT, dataDir: ':memory:', publicUrl: 'http://sbx.test' } as Config;
  service = createCloudWatchService({ config, store, secrets: SecretBox.fromKey(Buffer.alloc(32, 5)), clock: systemClock, log, deliveries, targets, metrics: new MetricsHub(), logs: new LogsHub() });
  deliveries.start();
  service.start?.();
  // 'ignore': with no data a minute's evaluation keeps the state SetAlarmState gave, so the
  // states these tests set hold however the minute boundaries fall.
  const metricAlarm = (name: string) => call('PutMetricAlarm', {
    AlarmName: name, Namespace: 'Ops', MetricName: name, Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold',
    TreatMissingData: 'ignore',
  });
  await metricAlarm('db-down');
  await metricAlarm('maintenance');
  await call('PutCompositeAlarm', {
    AlarmName: 'page', AlarmRule: 'ALARM(db-down)', AlarmActions: [TOPIC],
    ActionsSuppressor: 'maintenance', ActionsSuppressorWaitPeriod: 1, ActionsSuppressorExtensionPeriod: 1,
  });
});

after(async () => {
  await service.stop?.();
  await deliveries.stop(0);
  await store.close();
});

test('no suppressor in ALARM: the action waits out the wait period, then is sent', async () => {
  const t0 = Date.now();
  await setState('db-down', 'ALARM');
  await until('composite ALARM', async () => (await composite()).StateValue === 'ALARM');
  assert.equal((await composite()).ActionsSuppressedBy, 'WaitPeriod');
  await sleep(300);
  assert.equal(paged(), 0, 'held during the wait period');
  await until('the page after the wait', () => paged() === 1);
  assert.ok(Date.now() - t0 >= 1000);
});

test('the suppressor goes into ALARM during the wait: the held action is dropped', async () => {
  await setState('db-down', 'OK');
  await until('composite OK', async () => (await composite()).StateValue === 'OK');
  await setState('db-down', 'ALARM');
  await until('composite ALARM', async () => (await composite()).StateValue === 'ALARM');
  await setState('maintenance', 'ALARM');
  await sleep(1800);
  assert.equal(paged(), 1, 'still only the first page');
});

test('the suppressor in ALARM: suppressed by Alarm; just after it leaves: by ExtensionPeriod', async () => {
  await setState('db-down', 'OK');
  await until('composite OK', async () => (await composite()).StateValue === 'OK');
  await setState('db-down', 'ALARM');
  await until('composite ALARM', async () => (await composite()).StateValue === 'ALARM');
  assert.equal((await composite()).ActionsSuppressedBy, 'Alarm');

  await setState('db-down', 'OK');
  await setState('maintenance', 'OK');
  await until('composite OK', async () => (await composite()).StateValue === 'OK');
  await setState('db-down', 'ALARM');
  await until('composite ALARM', async () => (await composite()).StateValue === 'ALARM');
  assert.equal((await composite()).ActionsSuppressedBy, 'ExtensionPeriod');
  await sleep(1500);
  assert.equal(paged(), 1, 'neither change paged');
});
