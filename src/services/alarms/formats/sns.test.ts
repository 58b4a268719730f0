/**
 * The SNS alarm notification compared with messages AWS actually sent, captured in public
 * repositories: field order, `null`s, Java doubles, the composite variant, and the subject.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { alarmSnsMessage, alarmSnsSubject, triggeringChildren } from './sns.js';
import type { AlarmSnapshot, StateChange } from './types.js';
import { javaDouble } from './wire.js';

/** Compares two JSON texts member by member, in order, before comparing the strings. */
function assertSameJson(actual: string, expected: string): void {
  const walk = (a: unknown, e: unknown, path: string): void => {
    if (e !== null && typeof e === 'object') {
      assert.equal(typeof a, 'object', path);
      assert.deepEqual(Object.keys(a as object), Object.keys(e), `member order at ${path || '/'}`);
      for (const k of Object.keys(e)) walk((a as Record<string, unknown>)[k], (e as Record<string, unknown>)[k], `${path}/${k}`);
    } else {
      assert.deepEqual(a, e, path);
    }
  };
  walk(JSON.parse(actual), JSON.parse(expected), '');
  assert.equal(actual, expected);
}

const base = { actionsEnabled: true, okActions: [], insufficientDataActions: [] };

describe('metric alarm message', () => {
  // captured 2022-09, ca-central-1 (a Slack bot's test fixture)
  const CAPTURED = '{"AlarmName":"Test alarm","AlarmDescription":null,"AWSAccountId":"017790921725","AlarmConfigurationUpdatedTimestamp":"2022-09-25T18:48:56.505+0000","NewStateValue":"ALARM","NewStateReason":"Threshold Crossed: 1 out of the last 1 datapoints [6.0 (25/09/22 18:49:00)] was greater than the threshold (5.0) (minimum 1 datapoint for OK -> ALARM transition).","StateChangeTime":"2022-09-25T18:50:37.811+0000","Region":"Canada (Central)","AlarmArn":"arn:aws:cloudwatch:ca-central-1:017790921725:alarm:Test alarm","OldStateValue":"INSUFFICIENT_DATA","OKActions":[],"AlarmActions":["arn:aws:sns:ca-central-1:017790921725:test-sre-bot"],"InsufficientDataActions":[],"Trigger":{"MetricName":"ConcurrentExecutions","Namespace":"AWS/Lambda","StatisticType":"Statistic","Statistic":"SUM","Unit":null,"Dimensions":[],"Period":60,"EvaluationPeriods":1,"DatapointsToAlarm":1,"ComparisonOperator":"GreaterThanThreshold","Threshold":5.0,"TreatMissingData":"missing","EvaluateLowSampleCountPercentile":""}}';
  const alarm: AlarmSnapshot = {
    ...base,
    name: 'Test alarm',
    arn: 'arn:aws:cloudwatch:ca-central-1:017790921725:alarm:Test alarm',
    accountId: '017790921725',
    region: 'ca-central-1',
    namespace: 'AWS/Lambda',
    metricName: 'ConcurrentExecutions',
    statistic: 'Sum',
    dimensions: [],
    period: 60,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    comparisonOperator: 'GreaterThanThreshold',
    threshold: 5,
    treatMissingData: 'missing',
    alarmActions: ['arn:aws:sns:ca-central-1:017790921725:test-sre-bot'],
    configurationUpdated: new Date('2022-09-25T18:48:56.505Z'),
  };
  const change: StateChange = {
    oldValue: 'INSUFFICIENT_DATA',
    newValue: 'ALARM',
    reason: 'Threshold Crossed: 1 out of the last 1 datapoints [6.0 (25/09/22 18:49:00)] was greater than the threshold (5.0) (minimum 1 datapoint for OK -> ALARM transition).',
    timestamp: new Date('2022-09-25T18:50:37.811Z'),
  };

  it('matches the captured message field by field and byte for byte', () => {
    assertSameJson(alarmSnsMessage(alarm, change), CAPTURED);
    assert.equal(alarmSnsSubject(alarm.name, 'ALARM', alarm.region), 'ALARM: "Test alarm" in Canada (Central)');
  });

  it('dimensions value-first, a unit, percentiles, optional members left out', () => {
    const m = JSON.parse(alarmSnsMessage({
      ...alarm, description: 'cpu', dimensions: [{ name: 'InstanceId', value: 'i-1' }], unit: 'Percent', statistic: undefined,
      extendedStatistic: 'p99', datapointsToAlarm: undefined, treatMissingData: undefined, evaluateLowSampleCountPercentile: 'ignore',
    }, change));
    assert.equal(m.AlarmDescription, 'cpu');
    assert.deepEqual(Object.keys(m.Trigger.Dimensions[0]), ['value', 'name']);
    assert.equal(m.Trigger.Unit, 'Percent');
    assert.equal(m.Trigger.StatisticType, 'ExtendedStatistic');
    assert.equal(m.Trigger.ExtendedStatistic, 'p99');
    assert.equal('Statistic' in m.Trigger, false);
    assert.equal('DatapointsToAlarm' in m.Trigger, false);
    assert.equal(m.Trigger.TreatMissingData, '');
    assert.equal(m.Trigger.EvaluateLowSampleCountPercentile, 'ignore');
    assert.equal(JSON.parse(alarmSnsMessage({ ...alarm, statistic: 'SampleCount' }, change)).Trigger.Statistic, 'SAMPLE_COUNT');
  });

  it('ActionExecutedAfterMuteWindow only when the change says so, after OldStateValue', () => {
    const m = JSON.parse(alarmSnsMessage(alarm, { ...change, actionExecutedAfterMuteWindow: false }));
    const keys = Object.keys(m);
    assert.equal(keys[keys.indexOf('OldStateValue') + 1], 'ActionExecutedAfterMuteWindow');
    assert.equal('ActionExecutedAfterMuteWindow' in JSON.parse(alarmSnsMessage(alarm, change)), false);
  });
});

describe('metric-math alarm message', () => {
  // captured 2025-11, us-east-1, anomaly-detection alarm (a CDK project's README; the author's
  // line breaks removed)
  const CAPTURED = '{"AlarmName":"# Error Api  |  Verificarseg  |  Inicio de Sesión","AlarmDescription":"Se ha generado una alarma en el endpoint de inicio de sesión del API de Banca Móvil, debido a la detección de un patrón de comportamiento anómalo que podría indicar un incidente o actividad no habitual.","AWSAccountId":"471112847654","AlarmConfigurationUpdatedTimestamp":"2025-11-14T17:27:42.228+0000","NewStateValue":"ALARM","NewStateReason":"Thresholds Crossed: 1 out of the last 4 datapoints [537.0 (14/11/25 18:39:00)] was less than the lower thresholds [193.33593366980995] or greater than the upper thresholds [531.4406901351432] (minimum 1 datapoint for OK -> ALARM transition).","StateChangeTime":"2025-11-14T18:40:26.838+0000","Region":"US East (N. Virginia)","AlarmArn":"arn:aws:cloudwatch:us-east-1:471112847654:alarm:# Error Api  |  Verificarseg  |  Inicio de Sesión","OldStateValue":"OK","OKActions":[],"AlarmActions":["arn:aws:sns:us-east-1:471112847654:grafana-topic-notify"],"InsufficientDataActions":[],"Trigger":{"Period":60,"EvaluationPeriods":4,"DatapointsToAlarm":1,"ComparisonOperator":"LessThanLowerOrGreaterThanUpperThreshold","ThresholdMetricId":"ad1","TreatMissingData":"missing","EvaluateLowSampleCountPercentile":"","Metrics":[{"Id":"m1","MetricStat":{"Metric":{"Dimensions":[{"value":"bmp-msp-verificarseg-pro","name":"ApiName"},{"value":"/iniciarsesion","name":"Resource"},{"value":"pro","name":"Stage"},{"value":"POST","name":"Method"}],"MetricName":"Count","Namespace":"AWS/ApiGateway"},"Period":60,"Stat":"Sum"},"ReturnData":true,"AccountId":"775096123702"},{"Expression":"ANOMALY_DETECTION_BAND(m1, 1.5)","Id":"ad1","Label":"Count (expected)","ReturnData":true}]}}';
  const name = '# Error Api  |  Verificarseg  |  Inicio de Sesión';
  const alarm: AlarmSnapshot = {
    ...base,
    name,
    arn: `arn:aws:cloudwatch:us-east-1:471112847654:alarm:${name}`,
    description: 'Se ha generado una alarma en el endpoint de inicio de sesión del API de Banca Móvil, debido a la detección de un patrón de comportamiento anómalo que podría indicar un incidente o actividad no habitual.',
    accountId: '471112847654',
    region: 'us-east-1',
    evaluationPeriods: 4,
    datapointsToAlarm: 1,
    comparisonOperator: 'LessThanLowerOrGreaterThanUpperThreshold',
    thresholdMetricId: 'ad1',
    treatMissingData: 'missing',
    metrics: [
      {
        id: 'm1',
        metricStat: {
          metric: {
            namespace: 'AWS/ApiGateway', metricName: 'Count',
            dimensions: [{ name: 'ApiName', value: 'bmp-msp-verificarseg-pro' }, { name: 'Resource', value: '/iniciarsesion' }, { name: 'Stage', value: 'pro' }, { name: 'Method', value: 'POST' }],
          },
          period: 60,
          stat: 'Sum',
        },
        returnData: true,
        accountId: '775096123702',
      },
      { id: 'ad1', expression: 'ANOMALY_DETECTION_BAND(m1, 1.5)', label: 'Count (expected)', returnData: true },
    ],
    alarmActions: ['arn:aws:sns:us-east-1:471112847654:grafana-topic-notify'],
    configurationUpdated: new Date('2025-11-14T17:27:42.228Z'),
  };
  const change: StateChange = {
    oldValue: 'OK',
    newValue: 'ALARM',
    reason: 'Thresholds Crossed: 1 out of the last 4 datapoints [537.0 (14/11/25 18:39:00)] was less than the lower thresholds [193.33593366980995] or greater than the upper thresholds [531.4406901351432] (minimum 1 datapoint for OK -> ALARM transition).',
    timestamp: new Date('2025-11-14T18:40:26.838Z'),
  };

  it('matches the captured message, non-ASCII kept, Metrics in the model casing', () => {
    assertSameJson(alarmSnsMessage(alarm, change), CAPTURED);
  });

  it('the subject replaces non-ASCII characters with _ (captured)', () => {
    assert.equal(alarmSnsSubject(name, 'ALARM', 'us-east-1'), 'ALARM: "# Error Api  |  Verificarseg  |  Inicio de Sesi_n" in US East (N. Virginia)');
  });

  it('a plain threshold sits between ComparisonOperator and TreatMissingData (captured 2020)', () => {
    // the 2020 capture: Trigger of a math alarm over two ELB/ASG metrics
    const math: AlarmSnapshot = {
      ...alarm, thresholdMetricId: undefined, threshold: 65, comparisonOperator: 'LessThanThreshold', evaluationPeriods: 5, datapointsToAlarm: undefined,
      metrics: [
        { id: 'expr_1', expression: '100*(healthyHostCount/fleetCapacity)', returnData: true },
        { id: 'healthyHostCount', label: 'HealthyHostCount', returnData: false, metricStat: { metric: { namespace: 'AWS/NetworkELB', metricName: 'HealthyHostCount', dimensions: [{ name: 'TargetGroup', value: 'testTargetGroup' }, { name: 'LoadBalancer', value: 'testLoadBalancer' }] }, period: 60, stat: 'Average' } },
        { id: 'fleetCapacity', label: 'GroupDesiredCapacity', returnData: false, metricStat: { metric: { namespace: 'AWS/AutoScaling', metricName: 'GroupDesiredCapacity', dimensions: [{ name: 'AutoScalingGroupName', value: 'testFleetId' }] }, period: 60, stat: 'Average' } },
      ],
    };
    const text = alarmSnsMessage(math, change);
    assert.ok(text.includes('"Trigger":{"Period":60,"EvaluationPeriods":5,"ComparisonOperator":"LessThanThreshold","Threshold":65.0,"TreatMissingData":"missing"'));
    assert.ok(text.endsWith('"Metrics":[{"Expression":"100*(healthyHostCount/fleetCapacity)","Id":"expr_1","ReturnData":true},{"Id":"healthyHostCount","Label":"HealthyHostCount","MetricStat":{"Metric":{"Dimensions":[{"value":"testTargetGroup","name":"TargetGroup"},{"value":"testLoadBalancer","name":"LoadBalancer"}],"MetricName":"HealthyHostCount","Namespace":"AWS/NetworkELB"},"Period":60,"Stat":"Average"},"ReturnData":false},{"Id":"fleetCapacity","Label":"GroupDesiredCapacity","MetricStat":{"Metric":{"Dimensions":[{"value":"testFleetId","name":"AutoScalingGroupName"}],"MetricName":"GroupDesiredCapacity","Namespace":"AWS/AutoScaling"},"Period":60,"Stat":"Average"},"ReturnData":false}]}}'));
  });
});

describe('composite alarm message', () => {
  // captured 2022-11, eu-west-1: a composite forced with SetAlarmState (no reason data)
  const CAPTURED = '{"AlarmName":"some-alarm-name","AlarmDescription":"Test dummy alarm","AWSAccountId":"123456","NewStateValue":"ALARM","NewStateReason":"forced test reason","StateChangeTime":"2022-11-06T17:43:53.496+0000","Region":"EU (Ireland)","AlarmArn":"arn:aws:cloudwatch:eu-west-1:123456:alarm:some-alarm-name","OKActions":[],"AlarmActions":["arn:aws:sns:eu-west-1:123456:some-topic-name"],"InsufficientDataActions":[],"OldStateValue":"OK","AlarmRule":"ALARM(dummy-function-DummyErrorAlarm-1LWOKJ2U4UZ2U) OR ALARM(dummy-function-DummyErrorPercentageAlarm-PM5CG7X05G4P)","TriggeringChildren":[]}';
  const alarm: AlarmSnapshot = {
    ...base,
    name: 'some-alarm-name',
    arn: 'arn:aws:cloudwatch:eu-west-1:123456:alarm:some-alarm-name',
    description: 'Test dummy alarm',
    accountId: '123456',
    region: 'eu-west-1',
    alarmRule: 'ALARM(dummy-function-DummyErrorAlarm-1LWOKJ2U4UZ2U) OR ALARM(dummy-function-DummyErrorPercentageAlarm-PM5CG7X05G4P)',
    alarmActions: ['arn:aws:sns:eu-west-1:123456:some-topic-name'],
    configurationUpdated: new Date('2022-11-01T00:00:00Z'),
  };
  const change: StateChange = { oldValue: 'OK', newValue: 'ALARM', reason: 'forced test reason', timestamp: new Date('2022-11-06T17:43:53.496Z') };

  it('matches the captured message: actions before OldStateValue, no configuration timestamp', () => {
    assertSameJson(alarmSnsMessage(alarm, change), CAPTURED);
  });

  it('TriggeringChildren come from the reason data (captured 2021)', () => {
    const child = 'arn:aws:cloudwatch:us-east-1:427809481713:alarm:if-sim-app_427809481713_us-east-1-metric_emitting_node_failure';
    const reasonData = JSON.stringify({ triggeringAlarms: [{ arn: child, state: { value: 'ALARM', timestamp: '2021-11-10T02:45:55.640+0000' } }] });
    const text = alarmSnsMessage(alarm, { ...change, reasonData });
    assert.ok(text.endsWith(`"TriggeringChildren":[{"Arn":"${child}","State":{"Value":"ALARM","Timestamp":"2021-11-10T02:45:55.640+0000"}}]}`));
    assert.deepEqual(triggeringChildren('not json'), []);
    assert.deepEqual(triggeringChildren('{"triggeringAlarms":"x"}'), []);
  });
});

describe('subject', () => {
  it('states, region names, unknown regions', () => {
    assert.equal(alarmSnsSubject('a', 'OK', 'eu-central-1'), 'OK: "a" in EU (Frankfurt)');
    assert.equal(alarmSnsSubject('a', 'INSUFFICIENT_DATA', 'sa-east-1'), 'INSUFFICIENT_DATA: "a" in South America (Sao Paulo)');
    assert.equal(alarmSnsSubject('a', 'ALARM', 'local-1'), 'ALARM: "a" in local-1');
  });

  it('a long name is cut to a 100-character subject ending in ... (captured)', () => {
    const name = 'HowToTriggerCloudwatchAlarmFromLambdaStack-howtotriggercloudwatchalarmfromlambda1A2B3C4D';
    const s = alarmSnsSubject(name, 'ALARM', 'us-east-1');
    assert.equal(s, 'ALARM: "HowToTriggerCloudwatchAlarmFromLambdaStack-howtotriggercloudwat..." in US East (N. Virginia)');
    assert.equal(s.length, 100);
    const fits = 'x'.repeat(66);
    assert.equal(alarmSnsSubject(fits, 'ALARM', 'us-east-1').length, 100);
    assert.ok(alarmSnsSubject(fits, 'ALARM', 'us-east-1').includes(fits));
    assert.equal(alarmSnsSubject(name, 'INSUFFICIENT_DATA', 'us-east-1').length, 100);
  });
});

describe('Java doubles', () => {
  it('prints like Double.toString', () => {
    const cases: Array<[number, string]> = [
      [5, '5.0'], [0.059, '0.059'], [193.33593366980995, '193.33593366980995'], [-2, '-2.0'], [0, '0.0'],
      [1e7, '1.0E7'], [12345678.9, '1.23456789E7'], [0.0001, '1.0E-4'], [0.001, '0.001'], [9999999, '9999999.0'],
    ];
    for (const [x, s] of cases) assert.equal(javaDouble(x), s, String(x));
  });
});
