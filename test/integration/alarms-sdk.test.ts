/**
 * CloudWatch alarms through the built server and the real `@aws-sdk/client-cloudwatch`, over each
 * wire protocol CloudWatch speaks: AWS JSON 1.0 (the client's default), Smithy RPC v2 CBOR and
 * Query. Each protocol runs the same checks on its own alarm names (`json-…`, `cbor-…`,
 * `query-…`): the configuration round trip, every DescribeAlarms filter and paging,
 * DescribeAlarmsForMetric, the history (item types, order, paging), SetAlarmState, actions
 * enabled/disabled, tags, composite alarms, deletion, and bad input refused with AWS's codes and
 * nothing stored.
 *
 * No test waits for a period boundary: states come from SetAlarmState, from the evaluation a put
 * runs at once, and from composites following their children. Alarms that SetAlarmState moves use
 * TreatMissingData `ignore`, so a boundary passing mid-test (no data: "retain current state")
 * cannot move them back.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CloudWatchClient, DeleteAlarmsCommand, DescribeAlarmHistoryCommand, DescribeAlarmsCommand, DescribeAlarmsForMetricCommand,
  DisableAlarmActionsCommand, EnableAlarmActionsCommand, ListTagsForResourceCommand, PutCompositeAlarmCommand, PutMetricAlarmCommand, PutMetricDataCommand,
  SetAlarmStateCommand, TagResourceCommand, UntagResourceCommand,
  type AlarmHistoryItem, type DescribeAlarmsCommandInput, type PutMetricAlarmCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { CLOUDWATCH_PROTOCOLS, rejectsAws } from '../helpers/cloudwatch.js';
import { clientConfig, startServer, type TestServer } from '../helpers/server.js';

const ACCOUNT = '000000000000';
const alarmArn = (name: string) => `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:${name}`;

let server: TestServer;
let sns: SNSClient;
before(async () => {
  server = await startServer();
  sns = new SNSClient(clientConfig(server));
});
after(async () => {
  sns?.destroy();
  await server?.dispose();
});

const fails = (p: Promise<unknown>, name: string, code: string, status: number) => rejectsAws(p, { name, code, status });

for (const { label, prefix, extra } of CLOUDWATCH_PROTOCOLS) {
  describe(`CloudWatch alarms over ${label}`, () => {
    let cw: CloudWatchClient;
    let topicA: string;
    let topicB: string;
    const name = (n: string) => `${prefix}-${n}`;
    /** a metric alarm that only SetAlarmState moves */
    const quiet = (n: string, more: Partial<PutMetricAlarmCommandInput> = {}): PutMetricAlarmCommandInput => ({
      AlarmName: name(n), Namespace: `${prefix}/Quiet`, MetricName: n, Statistic: 'Sum', Period: 60, EvaluationPeriods: 1,
      Threshold: 1, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'ignore', ...more,
    });
    const describeNames = async (input: DescribeAlarmsCommandInput) => {
      const r = await cw.send(new DescribeAlarmsCommand(input));
      return { metric: (r.MetricAlarms ?? []).map((a) => a.AlarmName!), composite: (r.CompositeAlarms ?? []).map((a) => a.AlarmName!), next: r.NextToken };
    };
    const stateOf = async (n: string, composite = false) => {
      const r = await cw.send(new DescribeAlarmsCommand({ AlarmNames: [n], AlarmTypes: [composite ? 'CompositeAlarm' : 'MetricAlarm'] }));
      return (composite ? r.CompositeAlarms : r.MetricAlarms)?.[0]?.StateValue;
    };
    const waitState = async (n: string, want: string, composite = false) => {
      for (let i = 0; i < 100; i++) {
        if ((await stateOf(n, composite)) === want) return;
        await new Promise((r) => setTimeout(r, 30));
      }
      assert.equal(await stateOf(n, composite), want, `${n} never reached ${want}`);
    };

    before(async () => {
      cw = new CloudWatchClient({ ...clientConfig(server), ...extra });
      topicA = (await sns.send(new CreateTopicCommand({ Name: name('topic-a') }))).TopicArn!;
      topicB = (await sns.send(new CreateTopicCommand({ Name: name('topic-b') }))).TopicArn!;
    });
    after(() => cw?.destroy());

    test('PutMetricAlarm → DescribeAlarms: the configuration as given, evaluated at once; an update keeps state and tags', async () => {
      const before = Date.now();
      await cw.send(new PutMetricAlarmCommand({
        AlarmName: name('cpu'), AlarmDescription: 'CPU too high', ActionsEnabled: true,
        AlarmActions: [topicA], OKActions: [topicB], InsufficientDataActions: [],
        Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Statistic: 'Average', Dimensions: [{ Name: 'InstanceId', Value: `i-${prefix}` }],
        Period: 300, Unit: 'Percent', EvaluationPeriods: 3, DatapointsToAlarm: 2, Threshold: 80.5,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching',
        Tags: [{ Key: 'team', Value: 'ops' }],
      }));
      const { MetricAlarms, CompositeAlarms } = await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name('cpu')] }));
      assert.deepEqual(CompositeAlarms ?? [], []);
      assert.equal(MetricAlarms?.length, 1);
      const a = MetricAlarms![0];
      assert.deepEqual(
        {
          AlarmName: a.AlarmName, AlarmArn: a.AlarmArn, AlarmDescription: a.AlarmDescription, ActionsEnabled: a.ActionsEnabled,
          AlarmActions: a.AlarmActions, OKActions: a.OKActions, InsufficientDataActions: a.InsufficientDataActions ?? [],
          Namespace: a.Namespace, MetricName: a.MetricName, Statistic: a.Statistic, Dimensions: a.Dimensions, Period: a.Period, Unit: a.Unit,
          EvaluationPeriods: a.EvaluationPeriods, DatapointsToAlarm: a.DatapointsToAlarm, Threshold: a.Threshold,
          ComparisonOperator: a.ComparisonOperator, TreatMissingData: a.TreatMissingData,
        },
        {
          AlarmName: name('cpu'), AlarmArn: alarmArn(name('cpu')), AlarmDescription: 'CPU too high', ActionsEnabled: true,
          AlarmActions: [topicA], OKActions: [topicB], InsufficientDataActions: [],
          Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Statistic: 'Average', Dimensions: [{ Name: 'InstanceId', Value: `i-${prefix}` }],
          Period: 300, Unit: 'Percent', EvaluationPeriods: 3, DatapointsToAlarm: 2, Threshold: 80.5,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching',
        },
      );
      // no data at all, missing data not breaching: the evaluation the put runs makes it OK at once
      assert.equal(a.StateValue, 'OK');
      assert.match(a.StateReason!, /^Threshold Crossed: no datapoints were received for 3 periods and 3 missing datapoints were treated as \[NonBreaching\]\./);
      for (const t of [a.AlarmConfigurationUpdatedTimestamp, a.StateUpdatedTimestamp, a.StateTransitionedTimestamp]) {
        assert.ok(t instanceof Date && Math.abs(t.getTime() - before) < 60_000, `timestamp ${String(t)}`);
      }

      // an update: new threshold, same state; the Tags parameter is ignored on update (AWS)
      await cw.send(new PutMetricAlarmCommand({
        AlarmName: name('cpu'), Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Statistic: 'Average', Dimensions: [{ Name: 'InstanceId', Value: `i-${prefix}` }],
        Period: 300, EvaluationPeriods: 3, Threshold: 90, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching',
        Tags: [{ Key: 'ignored', Value: 'yes' }],
      }));
      const updated = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name('cpu')] }))).MetricAlarms![0];
      assert.equal(updated.Threshold, 90);
      assert.equal(updated.AlarmDescription, undefined);
      assert.deepEqual(updated.AlarmActions, []);
      assert.equal(updated.StateValue, 'OK');
      assert.deepEqual(updated.StateTransitionedTimestamp, a.StateTransitionedTimestamp);
      const tags = await cw.send(new ListTagsForResourceCommand({ ResourceARN: alarmArn(name('cpu')) }));
      assert.deepEqual(tags.Tags, [{ Key: 'team', Value: 'ops' }]);

      // a percentile alarm keeps ExtendedStatistic and EvaluateLowSampleCountPercentile, without Statistic
      await cw.send(new PutMetricAlarmCommand(quiet('p99', { Statistic: undefined, ExtendedStatistic: 'p99', EvaluateLowSampleCountPercentile: 'ignore', TreatMissingData: undefined })));
      const p99 = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name('p99')] }))).MetricAlarms![0];
      assert.equal(p99.ExtendedStatistic, 'p99');
      assert.equal(p99.Statistic, undefined);
      assert.equal(p99.EvaluateLowSampleCountPercentile, 'ignore');
      assert.equal(p99.StateValue, 'INSUFFICIENT_DATA');
      assert.equal(p99.StateReason, 'Unchecked: Initial alarm creation');

      // a metric-math alarm keeps its queries
      const metrics = [
        { Id: 'm1', MetricStat: { Metric: { Namespace: `${prefix}/App`, MetricName: 'Errors', Dimensions: [{ Name: 'Service', Value: 'api' }] }, Period: 60, Stat: 'Sum' }, ReturnData: false },
        { Id: 'e1', Expression: 'm1 * 2', Label: 'doubled', ReturnData: true },
      ];
      await cw.send(new PutMetricAlarmCommand({
        AlarmName: name('math'), Metrics: metrics, EvaluationPeriods: 2, Threshold: 10, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'ignore',
      }));
      const math = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name('math')] }))).MetricAlarms![0];
      assert.deepEqual(math.Metrics, metrics);
      assert.equal(math.MetricName, undefined);
      assert.equal(math.Period, undefined);
    });

    test('DescribeAlarms: names, prefix, state, AlarmTypes, ChildrenOfAlarmName, ParentsOfAlarmName, ActionPrefix, MaxRecords paging', async () => {
      await cw.send(new PutMetricAlarmCommand(quiet('f-a1', { AlarmActions: [topicA] })));
      await cw.send(new PutMetricAlarmCommand(quiet('f-a2')));
      await cw.send(new PutMetricAlarmCommand(quiet('f-b1', { OKActions: [topicB] })));
      await cw.send(new PutCompositeAlarmCommand({
        AlarmName: name('f-comp'), AlarmDescription: 'either a', AlarmRule: `ALARM("${name('f-a1')}") OR ALARM(${alarmArn(name('f-a2'))})`,
        AlarmActions: [topicB],
      }));
      await cw.send(new PutCompositeAlarmCommand({
        AlarmName: name('f-top'), AlarmRule: `ALARM(${name('f-comp')}) AND NOT OK(${name('f-b1')})`, ActionsEnabled: false,
        ActionsSuppressor: name('f-b1'), ActionsSuppressorWaitPeriod: 120, ActionsSuppressorExtensionPeriod: 30,
      }));
      await cw.send(new SetAlarmStateCommand({ AlarmName: name('f-a1'), StateValue: 'ALARM', StateReason: 'testing filters' }));
      await waitState(name('f-comp'), 'ALARM', true);
      await waitState(name('f-top'), 'ALARM', true);
      await cw.send(new SetAlarmStateCommand({ AlarmName: name('f-a2'), StateValue: 'OK', StateReason: 'testing filters' }));

      // the composite as described
      const comp = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name('f-comp'), name('f-top')], AlarmTypes: ['CompositeAlarm'] }))).CompositeAlarms!;
      assert.deepEqual(comp.map((c) => c.AlarmName), [name('f-comp'), name('f-top')]);
      assert.equal(comp[0].AlarmArn, alarmArn(name('f-comp')));
      assert.equal(comp[0].AlarmRule, `ALARM("${name('f-a1')}") OR ALARM(${alarmArn(name('f-a2'))})`);
      assert.equal(comp[0].AlarmDescription, 'either a');
      assert.deepEqual(comp[0].AlarmActions, [topicB]);
      assert.equal(comp[0].ActionsEnabled, true);
      assert.equal(comp[0].StateValue, 'ALARM');
      assert.ok(comp[0].StateReason && comp[0].StateReasonData, 'a composite in ALARM explains itself');
      assert.ok(JSON.parse(comp[0].StateReasonData!).triggeringAlarms.some((t: { arn: string }) => t.arn === alarmArn(name('f-a1'))));
      assert.equal(comp[1].ActionsEnabled, false);
      assert.equal(comp[1].ActionsSuppressor, name('f-b1'));
      assert.equal(comp[1].ActionsSuppressorWaitPeriod, 120);
      assert.equal(comp[1].ActionsSuppressorExtensionPeriod, 30);

      // names; without AlarmTypes only metric alarms
      assert.deepEqual(await describeNames({ AlarmNames: [name('f-b1'), name('f-a1'), name('f-comp'), name('f-none')] }), { metric: [name('f-a1'), name('f-b1')], composite: [], next: undefined });
      // prefix, and AlarmTypes
      assert.deepEqual((await describeNames({ AlarmNamePrefix: name('f-') })).metric, [name('f-a1'), name('f-a2'), name('f-b1')]);
      assert.deepEqual(await describeNames({ AlarmNamePrefix: name('f-'), AlarmTypes: ['CompositeAlarm'] }), { metric: [], composite: [name('f-comp'), name('f-top')], next: undefined });
      const all = await describeNames({ AlarmNamePrefix: name('f-'), AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] });
      assert.deepEqual(all, { metric: [name('f-a1'), name('f-a2'), name('f-b1')], composite: [name('f-comp'), name('f-top')], next: undefined });
      // state
      assert.deepEqual(await describeNames({ AlarmNamePrefix: name('f-'), StateValue: 'ALARM', AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }),
        { metric: [name('f-a1')], composite: [name('f-comp'), name('f-top')], next: undefined });
      assert.deepEqual((await describeNames({ AlarmNamePrefix: name('f-'), StateValue: 'OK' })).metric, [name('f-a2')]);
      assert.deepEqual((await describeNames({ AlarmNamePrefix: name('f-'), StateValue: 'INSUFFICIENT_DATA' })).metric, [name('f-b1')]);
      // the family of a composite: its children (by name and by ARN in the rule), its parents
      assert.deepEqual(await describeNames({ ChildrenOfAlarmName: name('f-comp') }), { metric: [name('f-a1'), name('f-a2')], composite: [], next: undefined });
      assert.deepEqual(await describeNames({ ChildrenOfAlarmName: name('f-top') }), { metric: [name('f-b1')], composite: [name('f-comp')], next: undefined });
      assert.deepEqual(await describeNames({ ParentsOfAlarmName: name('f-a2') }), { metric: [], composite: [name('f-comp')], next: undefined });
      assert.deepEqual(await describeNames({ ParentsOfAlarmName: name('f-b1') }), { metric: [], composite: [name('f-top')], next: undefined });
      // actions: any of the three lists
      assert.deepEqual(await describeNames({ ActionPrefix: topicA, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }), { metric: [name('f-a1')], composite: [], next: undefined });
      assert.deepEqual(await describeNames({ ActionPrefix: topicB, AlarmNamePrefix: name('f-'), AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }),
        { metric: [name('f-b1')], composite: [name('f-comp')], next: undefined });

      // paging: two per page, every alarm once, in the unpaged order
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await describeNames({ AlarmNamePrefix: name('f-'), AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: 2, NextToken: token });
        assert.ok(page.metric.length + page.composite.length <= 2);
        seen.push(...page.metric, ...page.composite);
        token = page.next;
        pages++;
      } while (token);
      assert.equal(pages, 3);
      assert.deepEqual(seen.sort(), [...all.metric, ...all.composite].sort());

      // mutually exclusive filters, bad values, bad tokens
      await fails(cw.send(new DescribeAlarmsCommand({ AlarmNames: [name('f-a1')], AlarmNamePrefix: name('f-') })), 'InvalidParameterCombinationException', 'InvalidParameterCombination', 400);
      await fails(cw.send(new DescribeAlarmsCommand({ ChildrenOfAlarmName: name('f-top'), ParentsOfAlarmName: name('f-a1') })), 'InvalidParameterCombinationException', 'InvalidParameterCombination', 400);
      await fails(cw.send(new DescribeAlarmsCommand({ StateValue: 'BROKEN' as never })), 'InvalidParameterValueException', 'InvalidParameterValue', 400);
      await fails(cw.send(new DescribeAlarmsCommand({ NextToken: 'not-a-token!' })), 'InvalidNextToken', 'InvalidNextToken', 400);
    });

    test('DescribeAlarmsForMetric: the alarms on one metric, narrowed by statistic', async () => {
      const metric = { Namespace: `${prefix}/App`, MetricName: 'Latency', Dimensions: [{ Name: 'Service', Value: 'api' }] };
      await cw.send(new PutMetricAlarmCommand({ ...quiet('m-avg'), ...metric, Statistic: 'Average' }));
      await cw.send(new PutMetricAlarmCommand({ ...quiet('m-max'), ...metric, Statistic: 'Maximum' }));
      await cw.send(new PutMetricAlarmCommand({ ...quiet('m-other'), ...metric, Dimensions: [{ Name: 'Service', Value: 'web' }], Statistic: 'Average' }));
      const r = await cw.send(new DescribeAlarmsForMetricCommand(metric));
      assert.deepEqual(r.MetricAlarms!.map((a) => a.AlarmName).sort(), [name('m-avg'), name('m-max')]);
      assert.deepEqual(r.MetricAlarms!.find((a) => a.AlarmName === name('m-avg'))!.Dimensions, metric.Dimensions);
      const max = await cw.send(new DescribeAlarmsForMetricCommand({ ...metric, Statistic: 'Maximum' }));
      assert.deepEqual(max.MetricAlarms!.map((a) => a.AlarmName), [name('m-max')]);
      const none = await cw.send(new DescribeAlarmsForMetricCommand({ ...metric, MetricName: 'Nothing' }));
      assert.deepEqual(none.MetricAlarms ?? [], []);
    });

    test('SetAlarmState and DescribeAlarmHistory: item types, order, paging; actions disabled write no Action item', async () => {
      const n = name('h');
      await cw.send(new PutMetricAlarmCommand(quiet('h', { AlarmActions: [topicA] })));
      await cw.send(new SetAlarmStateCommand({ AlarmName: n, StateValue: 'ALARM', StateReason: 'forced for a test', StateReasonData: '{"why":"test"}' }));
      const a = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [n] }))).MetricAlarms![0];
      assert.equal(a.StateValue, 'ALARM');
      assert.equal(a.StateReason, 'forced for a test');
      assert.equal(a.StateReasonData, '{"why":"test"}');
      await cw.send(new SetAlarmStateCommand({ AlarmName: n, StateValue: 'OK', StateReason: 'back to normal' }));

      const history = async (more: Record<string, unknown> = {}) =>
        (await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: n, ...more }))).AlarmHistoryItems ?? [];
      const items = await history();
      const brief = (i: AlarmHistoryItem) => `${i.HistoryItemType}: ${i.HistorySummary}`;
      // newest first
      assert.deepEqual(items.map(brief), [
        'StateUpdate: Alarm updated from ALARM to OK',
        `Action: Successfully executed action ${topicA}`,
        'StateUpdate: Alarm updated from INSUFFICIENT_DATA to ALARM',
        `ConfigurationUpdate: Alarm "${n}" created`,
      ]);
      for (const i of items) {
        assert.equal(i.AlarmName, n);
        assert.equal(i.AlarmType, 'MetricAlarm');
        assert.ok(i.Timestamp instanceof Date);
        JSON.parse(i.HistoryData!);
      }
      const toAlarm = JSON.parse(items[2].HistoryData!);
      assert.equal(toAlarm.version, '1.0');
      assert.deepEqual(toAlarm.newState, { stateValue: 'ALARM', stateReason: 'forced for a test', stateReasonData: { why: 'test' } });
      assert.equal(toAlarm.oldState.stateValue, 'INSUFFICIENT_DATA');
      const created = JSON.parse(items[3].HistoryData!);
      assert.equal(created.type, 'Create');
      assert.equal(created.createdAlarm.AlarmName ?? created.createdAlarm.alarmName, n);
      // ascending
      assert.deepEqual((await history({ ScanBy: 'TimestampAscending' })).map(brief), [...items].reverse().map(brief));
      // one item type at a time
      assert.deepEqual((await history({ HistoryItemType: 'StateUpdate' })).map(brief), [brief(items[0]), brief(items[2])]);
      assert.deepEqual((await history({ HistoryItemType: 'Action' })).map(brief), [brief(items[1])]);
      assert.deepEqual((await history({ HistoryItemType: 'ConfigurationUpdate' })).map(brief), [brief(items[3])]);
      // a date range that ends before the alarm existed
      assert.deepEqual(await history({ StartDate: new Date(Date.now() - 86_400_000), EndDate: new Date(Date.now() - 3_600_000) }), []);
      // paging one item at a time gives the same list
      const paged: AlarmHistoryItem[] = [];
      let token: string | undefined;
      do {
        const page = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: n, MaxRecords: 1, NextToken: token }));
        assert.ok((page.AlarmHistoryItems ?? []).length <= 1);
        paged.push(...(page.AlarmHistoryItems ?? []));
        token = page.NextToken;
      } while (token);
      assert.deepEqual(paged.map(brief), items.map(brief));

      // actions disabled: the state still changes, no Action item; enabled again: Action items again
      await cw.send(new DisableAlarmActionsCommand({ AlarmNames: [n] }));
      assert.equal((await cw.send(new DescribeAlarmsCommand({ AlarmNames: [n] }))).MetricAlarms![0].ActionsEnabled, false);
      await cw.send(new SetAlarmStateCommand({ AlarmName: n, StateValue: 'ALARM', StateReason: 'while disabled' }));
      assert.equal(await stateOf(n), 'ALARM');
      assert.equal((await history({ HistoryItemType: 'Action' })).length, 1);
      await cw.send(new SetAlarmStateCommand({ AlarmName: n, StateValue: 'OK', StateReason: 'reset' }));
      await cw.send(new EnableAlarmActionsCommand({ AlarmNames: [n, name('no-such-alarm')] }));
      assert.equal((await cw.send(new DescribeAlarmsCommand({ AlarmNames: [n] }))).MetricAlarms![0].ActionsEnabled, true);
      await cw.send(new SetAlarmStateCommand({ AlarmName: n, StateValue: 'ALARM', StateReason: 'enabled again' }));
      assert.equal((await history({ HistoryItemType: 'Action' })).length, 2);

      // composite history is listed only with AlarmTypes CompositeAlarm (without it: metric alarms only)
      assert.deepEqual((await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: name('f-comp') }))).AlarmHistoryItems ?? [], []);
      const compositeHistory = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: name('f-comp'), AlarmTypes: ['CompositeAlarm'] }));
      assert.ok((compositeHistory.AlarmHistoryItems ?? []).some((i) => i.AlarmType === 'CompositeAlarm' && i.HistoryItemType === 'StateUpdate'));

      await fails(cw.send(new DescribeAlarmHistoryCommand({ HistoryItemType: 'Nope' as never })), 'InvalidParameterValueException', 'InvalidParameterValue', 400);
    });

    test('TagResource, UntagResource, ListTagsForResource on metric and composite alarms', async () => {
      const arn = alarmArn(name('cpu'));
      await cw.send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'sre' }] }));
      const tags = (await cw.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags!;
      assert.deepEqual([...tags].sort((a, b) => a.Key!.localeCompare(b.Key!)), [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'sre' }]);
      await cw.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: ['team', 'absent'] }));
      assert.deepEqual((await cw.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags, [{ Key: 'env', Value: 'prod' }]);

      const comp = alarmArn(name('f-comp'));
      assert.deepEqual((await cw.send(new ListTagsForResourceCommand({ ResourceARN: comp }))).Tags ?? [], []);
      await cw.send(new TagResourceCommand({ ResourceARN: comp, Tags: [{ Key: 'kind', Value: 'composite' }] }));
      assert.deepEqual((await cw.send(new ListTagsForResourceCommand({ ResourceARN: comp }))).Tags, [{ Key: 'kind', Value: 'composite' }]);
      // tagging changes neither configuration nor state
      assert.equal(await stateOf(name('f-comp'), true), 'ALARM');

      await fails(cw.send(new ListTagsForResourceCommand({ ResourceARN: alarmArn(name('absent')) })), 'ResourceNotFoundException', 'ResourceNotFoundException', 404);
      await fails(cw.send(new TagResourceCommand({ ResourceARN: alarmArn(name('absent')), Tags: [{ Key: 'a', Value: 'b' }] })), 'ResourceNotFoundException', 'ResourceNotFoundException', 404);
    });

    test('bad input: AWS codes, and nothing stored', async () => {
      const base = quiet('bad');
      const notStored = async () => {
        const r = await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name('bad')], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }));
        assert.deepEqual([...(r.MetricAlarms ?? []), ...(r.CompositeAlarms ?? [])], []);
      };
      const period = await fails(cw.send(new PutMetricAlarmCommand({ ...base, Period: 7 })), 'ValidationException', 'ValidationError', 400);
      assert.match(period.message, /Period must be 10, 20, 30 or a multiple of 60/);
      const m = await fails(cw.send(new PutMetricAlarmCommand({ ...base, EvaluationPeriods: 2, DatapointsToAlarm: 3 })), 'ValidationException', 'ValidationError', 400);
      assert.equal(m.message, 'DatapointsToAlarm must be less than or equal to EvaluationPeriods');
      await fails(cw.send(new PutMetricAlarmCommand({ ...base, ExtendedStatistic: 'p99' })), 'InvalidParameterCombinationException', 'InvalidParameterCombination', 400);
      await fails(cw.send(new PutMetricAlarmCommand({ ...base, Statistic: 'Median' as never })), 'ValidationException', 'ValidationError', 400);
      const math = await fails(cw.send(new PutMetricAlarmCommand({
        ...base, MetricName: undefined, Namespace: undefined, Period: undefined,
        Metrics: [{ Id: 'm1', MetricStat: { Metric: { Namespace: 'N', MetricName: 'M' }, Period: 60, Stat: 'Sum' } }],
      })), 'ValidationException', 'ValidationError', 400);
      assert.equal(math.message, 'Statistic should not be set if list of Metrics is set.');
      await fails(cw.send(new PutMetricAlarmCommand({ ...base, ComparisonOperator: 'GreaterThanUpperThreshold', ThresholdMetricId: 'ad1' })), 'ValidationException', 'ValidationError', 400);
      await fails(cw.send(new PutMetricAlarmCommand({ ...base, AlarmActions: ['arn:aws:automate:us-east-1:ec2:stop'] })), 'ValidationException', 'ValidationError', 400);
      await notStored();

      const rule = await fails(cw.send(new PutCompositeAlarmCommand({ AlarmName: name('bad'), AlarmRule: `ALARM(${name('f-a1')}) AND` })), 'ValidationException', 'ValidationError', 400);
      assert.match(rule.message, /^Error in AlarmRule/);
      await fails(cw.send(new PutCompositeAlarmCommand({ AlarmName: name('bad'), AlarmRule: `SOMETIMES(${name('f-a1')})` })), 'ValidationException', 'ValidationError', 400);
      const missingChild = await fails(cw.send(new PutCompositeAlarmCommand({ AlarmName: name('bad'), AlarmRule: `ALARM(${name('f-a1')}) OR ALARM(${name('ghost')})` })), 'ValidationException', 'ValidationError', 400);
      assert.equal(missingChild.message, `Could not save the composite alarm as alarms [${name('ghost')}] in the alarm rule do not exist`);
      await notStored();

      // an alarm name cannot change kind
      await fails(cw.send(new PutCompositeAlarmCommand({ AlarmName: name('f-a1'), AlarmRule: 'TRUE' })), 'InvalidParameterValueException', 'InvalidParameterValue', 400);

      // SetAlarmState: data that is not JSON; a missing alarm; a bad state
      const before = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name('f-b1')] }))).MetricAlarms![0];
      const fmt = await fails(cw.send(new SetAlarmStateCommand({ AlarmName: name('f-b1'), StateValue: 'ALARM', StateReason: 'x', StateReasonData: '{not json' })), 'InvalidFormatFault', 'InvalidFormat', 400);
      assert.match(fmt.message, /StateReasonData/);
      const after = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name('f-b1')] }))).MetricAlarms![0];
      assert.equal(after.StateValue, before.StateValue);
      assert.deepEqual(after.StateUpdatedTimestamp, before.StateUpdatedTimestamp);
      await fails(cw.send(new SetAlarmStateCommand({ AlarmName: name('absent'), StateValue: 'ALARM', StateReason: 'x' })), 'ResourceNotFound', 'ResourceNotFound', 404);
      await fails(cw.send(new SetAlarmStateCommand({ AlarmName: name('f-b1'), StateValue: 'MAYBE' as never, StateReason: 'x' })), 'InvalidParameterValueException', 'InvalidParameterValue', 400);
    });

    test('DeleteAlarms: the alarms with correct names go (an unknown name is no error), and their history stays', async () => {
      await cw.send(new PutMetricAlarmCommand(quiet('d-1')));
      await cw.send(new PutMetricAlarmCommand(quiet('d-2')));
      await cw.send(new PutMetricAlarmCommand(quiet('d-3')));
      await cw.send(new DeleteAlarmsCommand({ AlarmNames: [name('d-1'), name('d-absent'), name('d-2')] }));
      assert.deepEqual((await describeNames({ AlarmNamePrefix: name('d-') })).metric, [name('d-3')]);
      await cw.send(new DeleteAlarmsCommand({ AlarmNames: [name('d-3')] }));
      assert.deepEqual((await describeNames({ AlarmNamePrefix: name('d-') })).metric, []);
      const h = (await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: name('d-1'), HistoryItemType: 'ConfigurationUpdate' }))).AlarmHistoryItems!;
      assert.deepEqual(h.map((i) => i.HistorySummary), [`Alarm "${name('d-1')}" deleted`, `Alarm "${name('d-1')}" created`]);
      assert.equal(JSON.parse(h[0].HistoryData!).type, 'Delete');
      await fails(cw.send(new SetAlarmStateCommand({ AlarmName: name('d-1'), StateValue: 'OK', StateReason: 'gone' })), 'ResourceNotFound', 'ResourceNotFound', 404);

      // a composite goes the same way
      await cw.send(new PutCompositeAlarmCommand({ AlarmName: name('d-comp'), AlarmRule: 'FALSE' }));
      await cw.send(new DeleteAlarmsCommand({ AlarmNames: [name('d-comp')] }));
      assert.deepEqual((await describeNames({ AlarmNamePrefix: name('d-'), AlarmTypes: ['CompositeAlarm'] })).composite, []);
    });
  });
}

describe('concurrent calls on one alarm', () => {
  let cw: CloudWatchClient;
  before(() => {
    cw = new CloudWatchClient(clientConfig(server));
  });
  after(() => cw?.destroy());
  const alarm = (name: string, threshold = 0): PutMetricAlarmCommandInput => ({
    AlarmName: name, Namespace: 'Concurrency', MetricName: name, Statistic: 'Sum', Period: 60, EvaluationPeriods: 1,
    Threshold: threshold, ComparisonOperator: 'GreaterThanThreshold',
  });

  test('an alarm deleted while its datapoint is being evaluated stays deleted, also after a restart', async () => {
    const names = Array.from({ length: 30 }, (_, i) => `race-delete-${String(i).padStart(2, '0')}`);
    for (const [i, n] of names.entries()) {
      await cw.send(new PutMetricAlarmCommand(alarm(n)));
      // the datapoint crosses the threshold: its evaluation moves the alarm to ALARM while the delete arrives
      const put = cw.send(new PutMetricDataCommand({ Namespace: 'Concurrency', MetricData: [{ MetricName: n, Value: 1 }] }));
      await new Promise((r) => setTimeout(r, i % 4));
      await cw.send(new DeleteAlarmsCommand({ AlarmNames: [n] }));
      await put;
    }
    await new Promise((r) => setTimeout(r, 300));
    const listed = async () => ((await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'race-delete-' }))).MetricAlarms ?? []).map((a) => a.AlarmName);
    assert.deepEqual(await listed(), []);
    await server.restart();
    assert.deepEqual(await listed(), []);
  });

  test('TagResource and DisableAlarmActions sent with a PutMetricAlarm update do not undo it', async () => {
    const n = 'race-update';
    await cw.send(new PutMetricAlarmCommand(alarm(n, 1)));
    for (let i = 2; i < 12; i++) {
      await Promise.all([
        cw.send(new PutMetricAlarmCommand({ ...alarm(n, i), ActionsEnabled: true })),
        cw.send(new TagResourceCommand({ ResourceARN: alarmArn(n), Tags: [{ Key: `k${i}`, Value: 'v' }] })),
        cw.send(new DisableAlarmActionsCommand({ AlarmNames: [n] })),
      ]);
      const a = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [n] }))).MetricAlarms![0];
      assert.equal(a.Threshold, i, `round ${i}: the update was undone`);
      assert.equal(a.ActionsEnabled, false);
    }
    const tags = (await cw.send(new ListTagsForResourceCommand({ ResourceARN: alarmArn(n) }))).Tags!;
    assert.equal(tags.length, 10);
  });
});
