/**
 * Scenario S1 as far as it goes without Lambda, through the built server and the real SDKs: an
 * application's 4xx count as a metric, a `Sum > 5 over 60 s` alarm whose action is a topic, and
 * the topic's subscribers — an HTTP endpoint (confirmed through SubscribeURL, every message's
 * signature verified) and an e-mail address on a real SMTP server started here (confirmed
 * through the link in the confirmation mail).
 *
 * Six datapoints with one timestamp: after the fifth the alarm is still INSUFFICIENT_DATA, after
 * the sixth it is ALARM at once — a Sum against GreaterThan is decided by the datapoint that
 * crosses the threshold, so nobody waits for the minute to end — and both subscribers get
 * CloudWatch's notification. Then: OK actions only when OKActions are set, ActionsEnabled=false,
 * a composite alarm's own action, and a notification that survives SIGKILL right after
 * SetAlarmState answered. No test waits for a period boundary.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CloudWatchClient, DeleteAlarmsCommand, DescribeAlarmHistoryCommand, DescribeAlarmsCommand, PutCompositeAlarmCommand, PutMetricAlarmCommand,
  PutMetricDataCommand, SetAlarmStateCommand, type PutMetricAlarmCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { CreateTopicCommand, ListSubscriptionsByTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { startMailSink, type Mail, type MailSink } from '../helpers/mail-sink.js';
import { Receiver, type Received } from '../helpers/receiver.js';
import { clientConfig, startServer, type TestServer } from '../helpers/server.js';


const ACCOUNT = '000000000000';
const REGION_NAME = 'US East (N. Virginia)';
const HTTP_PATH = '/s1/alarms';
const MAILBOX = 'oncall@example.test';
const CW_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/;
const alarmArn = (name: string) => `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:${name}`;

let server: TestServer;
let rcv: Receiver;
let sink: MailSink;
let mails: Mail[];
let sns: SNSClient;
let cw: CloudWatchClient;
let topicArn: string;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, ms = 20_000, every = 25): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(every);
  }
}

/**
 * Metric alarms are evaluated at each period boundary plus a grace of about a second. A step
 * whose outcome such an evaluation would change (it recalculates what SetAlarmState set, or sees
 * five datapoints in a complete minute) must not straddle one: if the next `ms` milliseconds
 * would, wait until it has passed.
 */
async function clearOfBoundary(ms: number): Promise<void> {
  const now = Date.now();
  const k = Math.ceil((now - 1_600) / 60_000);
  const start = k * 60_000 + 800;
  const end = k * 60_000 + 1_600;
  if (start < now + ms) await sleep(end - now);
}

/** the signed SNS notifications the HTTP subscriber got, with their Message parsed */
function notifications(): Array<Received & { message: any }> {
  return rcv.at(HTTP_PATH)
    .filter((r) => r.sns?.type === 'Notification')
    .map((r) => {
      let message: any;
      try {
        message = JSON.parse(r.json.Message);
      } catch {
        message = undefined;
      }
      return Object.assign(r, { message });
    });
}
const notificationsOf = (alarm: string, state?: string) =>
  notifications().filter((n) => n.message?.AlarmName === alarm && (state === undefined || n.message.NewStateValue === state));

function mailsWithSubject(subject: string): Mail[] {
  return mails.filter((m) => m.to.includes(MAILBOX) && m.subject === subject);
}

async function state(name: string, composite = false): Promise<string | undefined> {
  const r = await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name], AlarmTypes: [composite ? 'CompositeAlarm' : 'MetricAlarm'] }));
  return (composite ? r.CompositeAlarms : r.MetricAlarms)?.[0]?.StateValue;
}

/** a metric alarm no datapoint ever reaches: only SetAlarmState moves it, and boundaries keep it */
const quiet = (name: string, more: Partial<PutMetricAlarmCommandInput> = {}): PutMetricAlarmCommandInput => ({
  AlarmName: name, Namespace: 'S1/Quiet', MetricName: name, Statistic: 'Sum', Period: 60, EvaluationPeriods: 1,
  Threshold: 5, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'ignore', AlarmActions: [topicArn], ...more,
});

before(async () => {
  rcv = await new Receiver().start();
  // the SIGKILL test cuts Signalbox's pooled SMTP connection: the sink takes that as a reset
  sink = await startMailSink();
  mails = sink.mails;
  server = await startServer({ args: ['--config', sink.configFile()] });
  sns = new SNSClient(clientConfig(server));
  cw = new CloudWatchClient(clientConfig(server));

  // the topic and its two confirmed subscribers
  topicArn = (await sns.send(new CreateTopicCommand({ Name: 'App_Monitorado-alarms' }))).TopicArn!;
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'http', Endpoint: `${rcv.url}${HTTP_PATH}` }));
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'email', Endpoint: MAILBOX }));
  const confirmation = await until('confirmation mail', () => mails.find((m) => m.to.includes(MAILBOX)));
  const unfolded = confirmation.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
  const link = /(https?:\/\/[^\s"<>]+\/_signalbox\/sns\/confirm\?[^\s"<>]+)/.exec(unfolded)?.[1];
  assert.ok(link, 'confirmation link in the mail');
  assert.equal((await fetch(link.replace(/&amp;/g, '&'))).status, 200);
  await until('both subscriptions confirmed', async () => {
    const subs = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }))).Subscriptions ?? [];
    return subs.length === 2 && subs.every((s) => s.SubscriptionArn !== 'PendingConfirmation');
  });
  const httpConfirmation = rcv.at(HTTP_PATH).find((r) => r.sns?.type === 'SubscriptionConfirmation');
  assert.equal(httpConfirmation?.sns?.signature, 'valid');
  assert.equal(httpConfirmation?.sns?.confirm, 200);
});

after(async () => {
  cw?.destroy();
  sns?.destroy();
  await server?.dispose();
  await rcv?.stop();
  await sink?.close();
});

describe('S1: 4xx alarm → topic → HTTP and e-mail', () => {
  const ALARM = 'awseb-App_Monitorado-4xx';
  const dimensions = [{ Name: 'EnvironmentName', Value: 'App_Monitorado' }];

  test('six 4xx in a minute: ALARM on the sixth, without waiting for the minute; a signed notification and an e-mail', async () => {
    await cw.send(new PutMetricAlarmCommand({
      AlarmName: ALARM, AlarmDescription: 'More than 5 4xx answers in a minute',
      Namespace: 'AWS/ElasticBeanstalk', MetricName: 'ApplicationRequests4xx', Dimensions: dimensions,
      Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 5, ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [topicArn],
    }));
    assert.equal(await state(ALARM), 'INSUFFICIENT_DATA');

    // The first five datapoints and the check must not straddle a minute boundary: that
    // boundary's evaluation would see a complete minute with five (OK).
    await clearOfBoundary(4_000);
    const stamp = new Date();
    const put = () => cw.send(new PutMetricDataCommand({
      Namespace: 'AWS/ElasticBeanstalk',
      MetricData: [{ MetricName: 'ApplicationRequests4xx', Dimensions: dimensions, Value: 1, Timestamp: stamp }],
    }));
    for (let i = 0; i < 5; i++) await put();
    // the fifth does not cross the threshold (5 is not > 5): give its evaluation time to run
    await sleep(300);
    assert.equal(await state(ALARM), 'INSUFFICIENT_DATA');
    assert.equal(notificationsOf(ALARM).length, 0);

    await put();
    const t0 = Date.now();
    await until('ALARM after the sixth datapoint', async () => (await state(ALARM)) === 'ALARM', 3_000, 20);
    const tookMs = Date.now() - t0;
    assert.ok(tookMs < 3_000, `ALARM after ${tookMs} ms`);
    const described = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [ALARM] }))).MetricAlarms![0];
    // without DatapointsToAlarm, CloudWatch keeps its older wording
    assert.match(described.StateReason!, /^Threshold Crossed: 1 datapoint \[6\.0 \(\d\d\/\d\d\/\d\d \d\d:\d\d:00\)\] was greater than the threshold \(5\.0\)\.$/);

    // the HTTP subscriber: one signed notification with CloudWatch's subject and message
    const n = await until('ALARM notification over HTTP', () => notificationsOf(ALARM, 'ALARM')[0]);
    assert.equal(n.sns?.signature, 'valid');
    assert.equal(n.json.TopicArn, topicArn);
    assert.equal(n.json.Subject, `ALARM: "${ALARM}" in ${REGION_NAME}`);
    const m = n.message;
    assert.equal(m.AlarmName, ALARM);
    assert.equal(m.AlarmDescription, 'More than 5 4xx answers in a minute');
    assert.equal(m.AWSAccountId, ACCOUNT);
    assert.equal(m.AlarmArn, alarmArn(ALARM));
    assert.equal(m.NewStateValue, 'ALARM');
    assert.equal(m.OldStateValue, 'INSUFFICIENT_DATA');
    assert.equal(m.NewStateReason, described.StateReason);
    assert.equal(m.Region, REGION_NAME);
    assert.match(m.StateChangeTime, CW_TIME);
    assert.match(m.AlarmConfigurationUpdatedTimestamp, CW_TIME);
    assert.deepEqual(m.AlarmActions, [topicArn]);
    assert.deepEqual(m.OKActions, []);
    assert.deepEqual(m.InsufficientDataActions, []);
    assert.deepEqual(m.Trigger, {
      MetricName: 'ApplicationRequests4xx',
      Namespace: 'AWS/ElasticBeanstalk',
      StatisticType: 'Statistic',
      Statistic: 'SUM',
      Unit: null,
      Dimensions: [{ name: 'EnvironmentName', value: 'App_Monitorado' }],
      Period: 60,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 5.0,
      TreatMissingData: '',
      EvaluateLowSampleCountPercentile: '',
    });
    // a Java double, as CloudWatch writes it
    assert.match(n.json.Message, /"Threshold":5\.0,/);
    assert.equal(notificationsOf(ALARM).length, 1);

    // the e-mail subscriber
    const mail = await until('ALARM e-mail', () => mailsWithSubject(`ALARM: "${ALARM}" in ${REGION_NAME}`)[0]);
    assert.match(mail.raw.replace(/=\r?\n/g, ''), /App_Monitorado/);

    // history: the transition and the action
    const history = (await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: ALARM }))).AlarmHistoryItems!;
    assert.deepEqual(history.slice(0, 2).map((h) => `${h.HistoryItemType}: ${h.HistorySummary}`), [
      `Action: Successfully executed action ${topicArn}`,
      'StateUpdate: Alarm updated from INSUFFICIENT_DATA to ALARM',
    ]);
  });

  test('SetAlarmState OK: the OK action runs only for an alarm with OKActions', async () => {
    const withOk = 's1-with-ok-actions';
    await cw.send(new PutMetricAlarmCommand(quiet(withOk, { OKActions: [topicArn] })));
    await cw.send(new SetAlarmStateCommand({ AlarmName: withOk, StateValue: 'ALARM', StateReason: 'forced' }));

    // The S1 alarm has no OKActions. Its datapoints are still in its evaluation range, so the
    // next boundary would put it back into ALARM (as in AWS): stay clear of one until it is deleted.
    await clearOfBoundary(4_000);
    await cw.send(new SetAlarmStateCommand({ AlarmName: ALARM, StateValue: 'OK', StateReason: 'Testing the OK path' }));
    assert.equal(await state(ALARM), 'OK');
    await cw.send(new SetAlarmStateCommand({ AlarmName: withOk, StateValue: 'OK', StateReason: 'Testing the OK path', StateReasonData: '{"source":"test"}' }));

    const ok = await until('OK notification', () => notificationsOf(withOk, 'OK')[0], 3_000);
    assert.equal(ok.sns?.signature, 'valid');
    assert.equal(ok.json.Subject, `OK: "${withOk}" in ${REGION_NAME}`);
    assert.equal(ok.message.OldStateValue, 'ALARM');
    assert.equal(ok.message.NewStateReason, 'Testing the OK path');
    // both changes were committed before either notification went out: the S1 alarm's would be here by now
    await sleep(300);
    assert.deepEqual(notificationsOf(ALARM, 'OK'), []);
    const actions = (await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: ALARM, HistoryItemType: 'Action' }))).AlarmHistoryItems!;
    assert.equal(actions.length, 1, 'only the ALARM action');
    assert.equal((await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: ALARM, HistoryItemType: 'StateUpdate' }))).AlarmHistoryItems![0].HistorySummary,
      'Alarm updated from ALARM to OK');
    await cw.send(new DeleteAlarmsCommand({ AlarmNames: [ALARM, withOk] }));

    await until('OK e-mail', () => mailsWithSubject(`OK: "${withOk}" in ${REGION_NAME}`)[0]);
    assert.deepEqual(mailsWithSubject(`OK: "${ALARM}" in ${REGION_NAME}`), []);
  });

  test('ActionsEnabled=false: the state changes, no notification', async () => {
    const silent = 's1-actions-disabled';
    const witness = 's1-actions-enabled';
    await cw.send(new PutMetricAlarmCommand(quiet(silent, { ActionsEnabled: false })));
    await cw.send(new PutMetricAlarmCommand(quiet(witness)));
    await cw.send(new SetAlarmStateCommand({ AlarmName: silent, StateValue: 'ALARM', StateReason: 'silently' }));
    assert.equal(await state(silent), 'ALARM');
    await cw.send(new SetAlarmStateCommand({ AlarmName: witness, StateValue: 'ALARM', StateReason: 'loudly' }));
    await until('witness notification', () => notificationsOf(witness, 'ALARM')[0]);
    await sleep(300);
    assert.deepEqual(notificationsOf(silent), []);
    assert.deepEqual(mailsWithSubject(`ALARM: "${silent}" in ${REGION_NAME}`), []);
    const history = (await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: silent }))).AlarmHistoryItems!;
    assert.deepEqual(history.map((h) => h.HistoryItemType), ['StateUpdate', 'ConfigurationUpdate']);
  });

  test('a composite alarm on the metric alarm fires its own action', async () => {
    const child = 's1-child';
    const parent = 's1-composite';
    await cw.send(new PutMetricAlarmCommand(quiet(child, { AlarmActions: [] })));
    await cw.send(new PutCompositeAlarmCommand({
      AlarmName: parent, AlarmDescription: 'the app is in trouble', AlarmRule: `ALARM("${child}")`,
      AlarmActions: [topicArn],
    }));
    // a composite is evaluated when it is created: its child is not in ALARM, so it is OK
    await until('composite OK', async () => (await state(parent, true)) === 'OK', 3_000);
    await cw.send(new SetAlarmStateCommand({ AlarmName: child, StateValue: 'ALARM', StateReason: 'child down' }));
    await until('composite ALARM', async () => (await state(parent, true)) === 'ALARM', 3_000);

    const n = await until('composite notification', () => notificationsOf(parent, 'ALARM')[0]);
    assert.equal(n.sns?.signature, 'valid');
    assert.equal(n.json.Subject, `ALARM: "${parent}" in ${REGION_NAME}`);
    const m = n.message;
    assert.equal(m.AlarmArn, alarmArn(parent));
    assert.equal(m.AlarmDescription, 'the app is in trouble');
    assert.equal(m.OldStateValue, 'OK');
    assert.equal(m.NewStateValue, 'ALARM');
    assert.equal(m.Region, REGION_NAME);
    assert.match(m.StateChangeTime, CW_TIME);
    assert.equal(m.AlarmRule, `ALARM("${child}")`);
    assert.equal(m.Trigger, undefined);
    assert.equal(m.TriggeringChildren.length, 1);
    assert.equal(m.TriggeringChildren[0].Arn, alarmArn(child));
    assert.equal(m.TriggeringChildren[0].State.Value, 'ALARM');
    assert.match(m.TriggeringChildren[0].State.Timestamp, CW_TIME);
    // the child has no actions of its own
    assert.deepEqual(notificationsOf(child), []);
    await until('composite e-mail', () => mailsWithSubject(`ALARM: "${parent}" in ${REGION_NAME}`)[0]);
  });

  test('SIGKILL right after SetAlarmState answered: the notification is delivered after the restart', async () => {
    const durable = 's1-durable';
    await cw.send(new PutMetricAlarmCommand(quiet(durable, { OKActions: [topicArn] })));
    // The kill must come before the delivery, or the run proves nothing. It almost always does
    // (the delivery needs two commits and a POST); if the machine is so loaded that it did not,
    // change the state again and repeat.
    for (let attempt = 1; ; attempt++) {
      const reason = `just before crash #${attempt}`;
      const value = attempt % 2 === 1 ? 'ALARM' : 'OK';
      await cw.send(new SetAlarmStateCommand({ AlarmName: durable, StateValue: value, StateReason: reason }));
      await server.stop('SIGKILL');
      const early = notificationsOf(durable).filter((n) => n.message.NewStateReason === reason).length;
      await server.restart();
      const n = await until('notification after the restart', () => notificationsOf(durable, value).find((x) => x.message.NewStateReason === reason), 30_000);
      assert.equal(n.sns?.signature, 'valid');
      assert.equal(n.json.Subject, `${value}: "${durable}" in ${REGION_NAME}`);
      await until('e-mail after the restart', () =>
        mailsWithSubject(`${value}: "${durable}" in ${REGION_NAME}`).find((m) => m.raw.replace(/=\r?\n/g, '').includes(reason)), 30_000);
      // the state itself survived too
      assert.equal(await state(durable), value);
      if (early === 0) break;
      assert.ok(attempt < 3, 'three times the delivery beat SIGKILL');
    }
  });
});
