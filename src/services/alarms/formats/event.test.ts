/**
 * The "CloudWatch Alarm State Change" event compared with the samples in the CloudWatch user
 * guide ("Alarm events and EventBridge"): single metric, metric math, composite with a
 * suppressor.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { alarmStateChangeEvent, syntheticQueryId } from './event.js';
import type { AlarmSnapshot } from './types.js';

const base = { actionsEnabled: true, okActions: [], alarmActions: [], insufficientDataActions: [], configurationUpdated: new Date('2019-01-01T00:00:00Z') };

describe('alarm state change event', () => {
  it('single-metric alarm: the documented sample, with a stable synthetic query id', () => {
    const alarm: AlarmSnapshot = {
      ...base,
      name: 'ServerCpuTooHigh',
      arn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh',
      description: 'Goes into alarm when server CPU utilization is too high!',
      accountId: '123456789012',
      region: 'us-east-1',
      namespace: 'AWS/EC2',
      metricName: 'CPUUtilization',
      dimensions: [{ name: 'InstanceId', value: 'i-12345678901234567' }],
      statistic: 'Average',
      period: 300,
      threshold: 50,
      comparisonOperator: 'GreaterThanThreshold',
      evaluationPeriods: 1,
    };
    const previousData = '{"version":"1.0","queryDate":"2019-10-01T13:56:40.985+0000","startDate":"2019-10-01T13:46:00.000+0000","statistic":"Average","period":300,"recentDatapoints":[0.0666851903306472],"threshold":50.0}';
    const data = '{"version":"1.0","queryDate":"2019-10-02T17:04:40.985+0000","startDate":"2019-10-02T16:59:00.000+0000","statistic":"Average","period":300,"recentDatapoints":[99.50160229693434],"threshold":50.0}';
    const event = alarmStateChangeEvent(alarm, {
      oldValue: 'OK',
      oldReason: 'Threshold Crossed: 1 out of the last 1 datapoints [0.0666851903306472 (01/10/19 13:46:00)] was not greater than the threshold (50.0) (minimum 1 datapoint for ALARM -> OK transition).',
      oldReasonData: previousData,
      oldTimestamp: new Date('2019-10-01T13:56:40.987Z'),
      newValue: 'ALARM',
      reason: 'Threshold Crossed: 1 out of the last 1 datapoints [99.50160229693434 (02/10/19 16:59:00)] was greater than the threshold (50.0) (minimum 1 datapoint for OK -> ALARM transition).',
      reasonData: data,
      timestamp: new Date('2019-10-02T17:04:40.989Z'),
    }, { id: 'c4c1c1c9-6542-e61b-6ef0-8c4d36933a92' });

    const queryId = syntheticQueryId(alarm.arn);
    assert.match(queryId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.deepEqual(event, {
      version: '0',
      id: 'c4c1c1c9-6542-e61b-6ef0-8c4d36933a92',
      'detail-type': 'CloudWatch Alarm State Change',
      source: 'aws.cloudwatch',
      account: '123456789012',
      time: '2019-10-02T17:04:40Z',
      region: 'us-east-1',
      resources: ['arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh'],
      detail: {
        alarmName: 'ServerCpuTooHigh',
        state: {
          value: 'ALARM',
          reason: 'Threshold Crossed: 1 out of the last 1 datapoints [99.50160229693434 (02/10/19 16:59:00)] was greater than the threshold (50.0) (minimum 1 datapoint for OK -> ALARM transition).',
          reasonData: data,
          timestamp: '2019-10-02T17:04:40.989+0000',
        },
        previousState: {
          value: 'OK',
          reason: 'Threshold Crossed: 1 out of the last 1 datapoints [0.0666851903306472 (01/10/19 13:46:00)] was not greater than the threshold (50.0) (minimum 1 datapoint for ALARM -> OK transition).',
          reasonData: previousData,
          timestamp: '2019-10-01T13:56:40.987+0000',
        },
        configuration: {
          description: 'Goes into alarm when server CPU utilization is too high!',
          metrics: [{
            id: queryId,
            metricStat: { metric: { dimensions: { InstanceId: 'i-12345678901234567' }, name: 'CPUUtilization', namespace: 'AWS/EC2' }, period: 300, stat: 'Average' },
            returnData: true,
          }],
        },
      },
    });
    assert.deepEqual(Object.keys(event.detail), ['alarmName', 'state', 'previousState', 'configuration']);
    assert.equal(syntheticQueryId(alarm.arn), queryId, 'the same alarm keeps its query id');
  });

  it('metric-math alarm: expression and metricStat queries; no previous reasonData after creation', () => {
    const alarm: AlarmSnapshot = {
      ...base,
      name: 'TotalNetworkTrafficTooHigh',
      arn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:TotalNetworkTrafficTooHigh',
      description: 'Goes into alarm if total network traffic exceeds 10Kb',
      accountId: '123456789012',
      region: 'us-east-1',
      threshold: 10000,
      metrics: [
        { id: 'e1', expression: 'SUM(METRICS())', label: 'Total Network Traffic', returnData: true },
        { id: 'm1', returnData: false, metricStat: { metric: { namespace: 'AWS/EC2', metricName: 'NetworkIn', dimensions: [{ name: 'InstanceId', value: 'i-12345678901234567' }] }, period: 300, stat: 'Maximum' } },
        { id: 'm2', returnData: false, metricStat: { metric: { namespace: 'AWS/EC2', metricName: 'NetworkOut', dimensions: [{ name: 'InstanceId', value: 'i-12345678901234567' }] }, period: 300, stat: 'Maximum' } },
      ],
    };
    const data = '{"version":"1.0","queryDate":"2019-10-02T17:20:48.551+0000","startDate":"2019-10-02T17:10:00.000+0000","period":300,"recentDatapoints":[45628.0],"threshold":10000.0}';
    const event = alarmStateChangeEvent(alarm, {
      oldValue: 'INSUFFICIENT_DATA',
      oldReason: 'Unchecked: Initial alarm creation',
      oldTimestamp: new Date('2019-10-02T17:20:03.642Z'),
      newValue: 'ALARM',
      reason: 'Threshold Crossed: 1 out of the last 1 datapoints [45628.0 (02/10/19 17:10:00)] was greater than the threshold (10000.0) (minimum 1 datapoint for OK -> ALARM transition).',
      reasonData: data,
      timestamp: new Date('2019-10-02T17:20:48.554Z'),
    }, { id: '2dde0eb1-528b-d2d5-9ca6-6d590caf2329' });
    assert.equal(event.time, '2019-10-02T17:20:48Z');
    assert.deepEqual(event.detail.previousState, { value: 'INSUFFICIENT_DATA', reason: 'Unchecked: Initial alarm creation', timestamp: '2019-10-02T17:20:03.642+0000' });
    assert.deepEqual(event.detail.configuration, {
      description: 'Goes into alarm if total network traffic exceeds 10Kb',
      metrics: [
        { expression: 'SUM(METRICS())', id: 'e1', label: 'Total Network Traffic', returnData: true },
        { id: 'm1', metricStat: { metric: { dimensions: { InstanceId: 'i-12345678901234567' }, name: 'NetworkIn', namespace: 'AWS/EC2' }, period: 300, stat: 'Maximum' }, returnData: false },
        { id: 'm2', metricStat: { metric: { dimensions: { InstanceId: 'i-12345678901234567' }, name: 'NetworkOut', namespace: 'AWS/EC2' }, period: 300, stat: 'Maximum' }, returnData: false },
      ],
    });
  });

  it('composite alarm with a suppressor: the documented sample', () => {
    const alarm: AlarmSnapshot = {
      ...base,
      name: 'ServiceAggregatedAlarm',
      arn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServiceAggregatedAlarm',
      accountId: '123456789012',
      region: 'us-east-1',
      alarmRule: 'ALARM(ServerCpuTooHigh) OR ALARM(TotalNetworkTrafficTooHigh)',
      actionsSuppressor: 'ServiceMaintenanceAlarm',
      actionsSuppressorWaitPeriod: 120,
      actionsSuppressorExtensionPeriod: 180,
    };
    const data = '{"triggeringAlarms":[{"arn":"arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh","state":{"value":"ALARM","timestamp":"2022-07-22T15:57:45.394+0000"}}]}';
    const previousData = '{"triggeringAlarms":[{"arn":"arn:aws:cloudwatch:us-east-1:123456789012:alarm:TotalNetworkTrafficTooHigh","state":{"value":"OK","timestamp":"2022-07-14T16:28:57.770+0000"}},{"arn":"arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh","state":{"value":"OK","timestamp":"2022-07-14T16:28:54.191+0000"}}]}';
    const event = alarmStateChangeEvent(alarm, {
      oldValue: 'OK',
      oldReason: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:SuppressionDemo.EventBridge.Main was created and its alarm rule evaluates to OK',
      oldReasonData: previousData,
      oldTimestamp: new Date('2022-07-22T15:56:14.552Z'),
      newValue: 'ALARM',
      reason: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:SuppressionDemo.EventBridge.FirstChild transitioned to ALARM at Friday 22 July, 2022 15:57:45 UTC',
      reasonData: data,
      timestamp: new Date('2022-07-22T15:57:45.394Z'),
      actionsSuppressedBy: 'WaitPeriod',
      actionsSuppressedReason: 'Actions suppressed by WaitPeriod',
    }, { id: 'd3dfc86d-384d-24c8-0345-9f7986db0b80' });
    assert.equal(event.time, '2022-07-22T15:57:45Z');
    assert.deepEqual(event.detail, {
      alarmName: 'ServiceAggregatedAlarm',
      state: {
        actionsSuppressedBy: 'WaitPeriod',
        actionsSuppressedReason: 'Actions suppressed by WaitPeriod',
        value: 'ALARM',
        reason: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:SuppressionDemo.EventBridge.FirstChild transitioned to ALARM at Friday 22 July, 2022 15:57:45 UTC',
        reasonData: data,
        timestamp: '2022-07-22T15:57:45.394+0000',
      },
      previousState: {
        value: 'OK',
        reason: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:SuppressionDemo.EventBridge.Main was created and its alarm rule evaluates to OK',
        reasonData: previousData,
        timestamp: '2022-07-22T15:56:14.552+0000',
      },
      configuration: {
        alarmRule: 'ALARM(ServerCpuTooHigh) OR ALARM(TotalNetworkTrafficTooHigh)',
        actionsSuppressor: 'ServiceMaintenanceAlarm',
        actionsSuppressorWaitPeriod: 120,
        actionsSuppressorExtensionPeriod: 180,
      },
    });
    assert.deepEqual(Object.keys(event.detail.state).slice(0, 2), ['actionsSuppressedBy', 'actionsSuppressedReason']);
  });

  it('a random id by default, and a description on composites when set', () => {
    const alarm: AlarmSnapshot = {
      ...base, name: 'c', arn: 'arn:aws:cloudwatch:us-east-1:1:alarm:c', accountId: '1', region: 'us-east-1', alarmRule: 'TRUE', description: 'd',
    };
    const e = alarmStateChangeEvent(alarm, { oldValue: 'INSUFFICIENT_DATA', newValue: 'ALARM', reason: 'r', timestamp: new Date(0) });
    assert.match(e.id, /^[0-9a-f-]{36}$/);
    assert.deepEqual(e.detail.configuration, { alarmRule: 'TRUE', description: 'd' });
    assert.deepEqual(e.detail.previousState, { value: 'INSUFFICIENT_DATA' });
  });
});
