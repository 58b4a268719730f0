/**
 * StateReason and StateReasonData, character for character. The "observed" cases rebuild real
 * CloudWatch evaluations (alarm configuration, datapoints and query time as published alongside
 * them) and expect exactly the strings AWS wrote.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cloudWatchTimestamp, evaluateAlarm, javaDouble, reasonDate } from './index.js';
import type { PeriodSlot } from './types.js';
import { config, NOW } from './helpers.test.js';

const at = (iso: string): number => Date.parse(iso) / 1000;
const slot = (iso: string, value?: number, sampleCount = 1): PeriodSlot =>
  (value === undefined ? { timestamp: at(iso), value } : { timestamp: at(iso), value, sampleCount });

describe('numbers and dates', () => {
  it('prints doubles as Java does', () => {
    assert.equal(javaDouble(1), '1.0');
    assert.equal(javaDouble(0), '0.0');
    assert.equal(javaDouble(-2.5), '-2.5');
    assert.equal(javaDouble(99.50160229693434), '99.50160229693434');
    assert.equal(javaDouble(0.001), '0.001');
    assert.equal(javaDouble(9999999), '9999999.0');
    assert.equal(javaDouble(1e7), '1.0E7');
    assert.equal(javaDouble(12345678.9), '1.23456789E7');
    assert.equal(javaDouble(0.0001), '1.0E-4');
    assert.equal(javaDouble(-1.5e-5), '-1.5E-5');
  });

  it('prints reason dates as dd/MM/yy HH:mm:ss and data dates with millis and +0000', () => {
    assert.equal(reasonDate(at('2026-11-22T10:00:00Z')), '22/11/26 10:00:00');
    assert.equal(reasonDate(at('2009-01-05T03:04:05Z')), '05/01/09 03:04:05');
    assert.equal(cloudWatchTimestamp(NOW), '2026-11-22T10:01:02.345+0000');
  });
});

describe('threshold crossed, M out of N wording', () => {
  const one = config({ evaluationPeriods: 1, datapointsToAlarm: 1 });
  const range = (value: number, sampleCount: number) => [
    slot('2026-11-22T09:58:00Z'), slot('2026-11-22T09:59:00Z'), slot('2026-11-22T10:00:00Z', value, sampleCount),
  ];

  it('OK -> ALARM', () => {
    const result = evaluateAlarm(one, range(5, 6), 'OK', NOW);
    assert.equal(result.reason,
      'Threshold Crossed: 1 out of the last 1 datapoints [5.0 (22/11/26 10:00:00)] was greater than or equal to the '
      + 'threshold (1.0) (minimum 1 datapoint for OK -> ALARM transition).');
    assert.equal(result.reasonDataJson,
      '{"version":"1.0","queryDate":"2026-11-22T10:01:02.345+0000","startDate":"2026-11-22T10:00:00.000+0000",'
      + '"statistic":"Sum","period":60,"recentDatapoints":[5.0],"threshold":1.0,'
      + '"evaluatedDatapoints":[{"timestamp":"2026-11-22T10:00:00.000+0000","sampleCount":6.0,"value":5.0}]}');
    assert.deepEqual(JSON.parse(result.reasonDataJson), result.reasonData);
  });

  it('ALARM -> OK', () => {
    const result = evaluateAlarm(one, range(0, 6), 'ALARM', NOW);
    assert.equal(result.reason,
      'Threshold Crossed: 1 out of the last 1 datapoints [0.0 (22/11/26 10:00:00)] was not greater than or equal to '
      + 'the threshold (1.0) (minimum 1 datapoint for ALARM -> OK transition).');
  });

  it('observed: 1 of 1, Average, 300 s period (describe-alarms, 2024-09-19)', () => {
    const cfg = config({
      period: 300, evaluationPeriods: 1, datapointsToAlarm: 1, threshold: 90, statistic: 'Average',
    });
    const slots = [slot('2024-09-19T05:46:00Z'), slot('2024-09-19T05:51:00Z'), slot('2024-09-19T05:56:00Z', 1.0166666666666666)];
    const result = evaluateAlarm(cfg, slots, 'ALARM', Date.parse('2024-09-19T06:01:18.043Z'));
    assert.equal(result.reason,
      'Threshold Crossed: 1 out of the last 1 datapoints [1.0166666666666666 (19/09/24 05:56:00)] was not greater '
      + 'than or equal to the threshold (90.0) (minimum 1 datapoint for ALARM -> OK transition).');
    assert.equal(result.reasonDataJson,
      '{"version":"1.0","queryDate":"2024-09-19T06:01:18.043+0000","startDate":"2024-09-19T05:56:00.000+0000",'
      + '"statistic":"Average","period":300,"recentDatapoints":[1.0166666666666666],"threshold":90.0,'
      + '"evaluatedDatapoints":[{"timestamp":"2024-09-19T05:56:00.000+0000","sampleCount":1.0,"value":1.0166666666666666}]}');
  });

  it('observed: 2 of 2 below the threshold, the newest period still empty (EventBridge, 2021-04-13)', () => {
    const cfg = config({
      evaluationPeriods: 2, datapointsToAlarm: 2, threshold: 40, comparisonOperator: 'LessThanThreshold', statistic: 'Average',
    });
    const slots = [
      slot('2021-04-13T15:42:00Z'), slot('2021-04-13T15:43:00Z', 0.017077552154660225),
      slot('2021-04-13T15:44:00Z', 0.017910949885845184), slot('2021-04-13T15:45:00Z'),
    ];
    const result = evaluateAlarm(cfg, slots, 'OK', Date.parse('2021-04-13T15:46:16.506Z'));
    assert.equal(result.reason,
      'Threshold Crossed: 2 out of the last 2 datapoints [0.017910949885845184 (13/04/21 15:44:00), '
      + '0.017077552154660225 (13/04/21 15:43:00)] were less than the threshold (40.0) '
      + '(minimum 2 datapoints for OK -> ALARM transition).');
    assert.equal(result.reasonDataJson,
      '{"version":"1.0","queryDate":"2021-04-13T15:46:16.506+0000","startDate":"2021-04-13T15:43:00.000+0000",'
      + '"statistic":"Average","period":60,"recentDatapoints":[0.017077552154660225,0.017910949885845184],'
      + '"threshold":40.0,"evaluatedDatapoints":[{"timestamp":"2021-04-13T15:44:00.000+0000","sampleCount":1.0,'
      + '"value":0.017910949885845184},{"timestamp":"2021-04-13T15:43:00.000+0000","sampleCount":1.0,'
      + '"value":0.017077552154660225}]}');
  });

  it('observed: 3 of 3, newest first (SNS notification, 2020-10-09)', () => {
    const cfg = config({ period: 300, evaluationPeriods: 3, datapointsToAlarm: 3, threshold: 30 });
    const slots = [
      slot('2020-10-09T21:04:00Z'), slot('2020-10-09T21:09:00Z'), slot('2020-10-09T21:14:00Z', 1390),
      slot('2020-10-09T21:19:00Z', 1226), slot('2020-10-09T21:24:00Z', 1141),
    ];
    const result = evaluateAlarm(cfg, slots, 'OK', Date.parse('2020-10-09T21:32:10.617Z'));
    assert.equal(result.reason,
      'Threshold Crossed: 3 out of the last 3 datapoints [1141.0 (09/10/20 21:24:00), 1226.0 (09/10/20 21:19:00), '
      + '1390.0 (09/10/20 21:14:00)] were greater than or equal to the threshold (30.0) '
      + '(minimum 3 datapoints for OK -> ALARM transition).');
  });

  it('observed: filled periods get their own clause (SNS notification, 2024-03-16)', () => {
    const cfg = config({ evaluationPeriods: 20, datapointsToAlarm: 1, treatMissingData: 'notBreaching' });
    const newest = at('2024-03-16T12:15:00Z');
    const slots: PeriodSlot[] = Array.from({ length: 22 }, (_, i) => ({ timestamp: newest - (21 - i) * 60, value: undefined }));
    slots[21] = { timestamp: newest, value: 613, sampleCount: 613 };
    const result = evaluateAlarm(cfg, slots, 'OK', Date.parse('2024-03-16T12:16:45.770Z'));
    assert.equal(result.reason,
      'Threshold Crossed: 1 out of the last 20 datapoints [613.0 (16/03/24 12:15:00)] was greater than or equal to '
      + 'the threshold (1.0) and 19 missing datapoints were treated as [NonBreaching] '
      + '(minimum 1 datapoint for OK -> ALARM transition).');
  });
});

describe('threshold crossed, wording of alarms without DatapointsToAlarm', () => {
  it('observed: 2 datapoints, not greater (describe-alarms, 2023-01-09)', () => {
    const cfg = config({ evaluationPeriods: 2, datapointsToAlarm: undefined, threshold: 42, comparisonOperator: 'GreaterThanThreshold' });
    const slots = [
      slot('2023-01-09T14:01:00Z', 1), slot('2023-01-09T14:02:00Z', 0),
      slot('2023-01-09T14:03:00Z'), slot('2023-01-09T14:04:00Z'),
    ];
    const result = evaluateAlarm(cfg, slots, 'INSUFFICIENT_DATA', Date.parse('2023-01-09T14:07:25.504Z'));
    assert.equal(result.reason,
      'Threshold Crossed: 2 datapoints [0.0 (09/01/23 14:02:00), 1.0 (09/01/23 14:01:00)] were not greater than the threshold (42.0).');
    assert.equal(result.reasonDataJson,
      '{"version":"1.0","queryDate":"2023-01-09T14:07:25.504+0000","startDate":"2023-01-09T14:01:00.000+0000",'
      + '"statistic":"Sum","period":60,"recentDatapoints":[1.0,0.0],"threshold":42.0,'
      + '"evaluatedDatapoints":[{"timestamp":"2023-01-09T14:02:00.000+0000","sampleCount":1.0,"value":0.0}]}');
  });

  it('observed: unit in reasonData (describe-alarms, 2023-04-07)', () => {
    const cfg = config({ evaluationPeriods: 1, datapointsToAlarm: undefined, statistic: 'Minimum', unit: 'Count' });
    const slots = [slot('2023-04-07T09:06:00Z', 0), slot('2023-04-07T09:07:00Z', 0), slot('2023-04-07T09:08:00Z', 0)];
    const result = evaluateAlarm(cfg, slots, 'INSUFFICIENT_DATA', Date.parse('2023-04-07T09:09:15.917Z'));
    assert.equal(result.reason,
      'Threshold Crossed: 1 datapoint [0.0 (07/04/23 09:08:00)] was not greater than or equal to the threshold (1.0).');
    assert.equal(result.reasonDataJson,
      '{"version":"1.0","queryDate":"2023-04-07T09:09:15.917+0000","startDate":"2023-04-07T09:08:00.000+0000",'
      + '"unit":"Count","statistic":"Minimum","period":60,"recentDatapoints":[0.0],"threshold":1.0,'
      + '"evaluatedDatapoints":[{"timestamp":"2023-04-07T09:08:00.000+0000","sampleCount":1.0,"value":0.0}]}');
  });

  it('observed: a real datapoint plus a filled one (alarm history, 2026-09-25)', () => {
    const cfg = config({
      period: 900, evaluationPeriods: 2, datapointsToAlarm: undefined, comparisonOperator: 'LessThanThreshold',
      treatMissingData: 'breaching',
    });
    const newest = at('2026-09-25T21:51:00Z');
    const slots: PeriodSlot[] = [newest - 2700, newest - 1800, newest - 900]
      .map((timestamp) => ({ timestamp, value: undefined }));
    slots.push({ timestamp: newest, value: 1, sampleCount: 1 });
    const result = evaluateAlarm(cfg, slots, 'ALARM', Date.parse('2026-09-25T22:06:48Z'));
    assert.equal(result.state, 'OK');
    assert.equal(result.reason,
      'Threshold Crossed: 1 datapoint [1.0 (25/09/26 21:51:00)] was not less than the threshold (1.0) '
      + 'and 1 missing datapoint was treated as [Breaching].');
  });
});

describe('no data', () => {
  it('observed: Insufficient Data, one period (EventBridge, 2024-10-26)', () => {
    const cfg = config({ evaluationPeriods: 1, datapointsToAlarm: 1 });
    const slots = [slot('2024-10-26T18:35:00Z'), slot('2024-10-26T18:36:00Z'), slot('2024-10-26T18:37:00Z')];
    const result = evaluateAlarm(cfg, slots, 'OK', Date.parse('2024-10-26T18:38:52.499Z'));
    assert.equal(result.reason, 'Insufficient Data: 1 datapoint was unknown.');
    assert.equal(result.reasonDataJson,
      '{"version":"1.0","queryDate":"2024-10-26T18:38:52.499+0000","statistic":"Sum","period":60,'
      + '"recentDatapoints":[],"threshold":1.0,"evaluatedDatapoints":[{"timestamp":"2024-10-26T18:37:00.000+0000"}]}');
  });

  it('observed: Insufficient Data, five periods, newest first (Lambda alarm action sample, 2023-08-04)', () => {
    const cfg = config({ evaluationPeriods: 5, datapointsToAlarm: 5, threshold: 5, statistic: 'Average' });
    const newest = at('2023-08-04T12:30:00Z');
    const slots = Array.from({ length: 7 }, (_, i) => ({ timestamp: newest - (6 - i) * 60, value: undefined }));
    const result = evaluateAlarm(cfg, slots, 'ALARM', Date.parse('2023-08-04T12:31:29.591Z'));
    assert.equal(result.reason, 'Insufficient Data: 5 datapoints were unknown.');
    assert.equal(result.reasonDataJson,
      '{"version":"1.0","queryDate":"2023-08-04T12:31:29.591+0000","statistic":"Average","period":60,'
      + '"recentDatapoints":[],"threshold":5.0,"evaluatedDatapoints":[{"timestamp":"2023-08-04T12:30:00.000+0000"},'
      + '{"timestamp":"2023-08-04T12:29:00.000+0000"},{"timestamp":"2023-08-04T12:28:00.000+0000"},'
      + '{"timestamp":"2023-08-04T12:27:00.000+0000"},{"timestamp":"2023-08-04T12:26:00.000+0000"}]}');
  });

  it('observed: every period filled as breaching, no minimum clause (describe-alarms, 2026-02-27)', () => {
    const cfg = config({ evaluationPeriods: 2, datapointsToAlarm: 2, treatMissingData: 'breaching' });
    const newest = at('2026-02-27T19:52:00Z');
    const slots = Array.from({ length: 4 }, (_, i) => ({ timestamp: newest - (3 - i) * 60, value: undefined }));
    const result = evaluateAlarm(cfg, slots, 'OK', Date.parse('2026-02-27T19:53:39.810Z'));
    assert.equal(result.state, 'ALARM');
    assert.equal(result.reason,
      'Threshold Crossed: no datapoints were received for 2 periods and 2 missing datapoints were treated as [Breaching].');
    assert.deepEqual(result.reasonData.evaluatedDatapoints, [
      { timestamp: '2026-02-27T19:52:00.000+0000' }, { timestamp: '2026-02-27T19:51:00.000+0000' },
    ]);
    assert.equal(result.reasonData.startDate, undefined);
  });

  it('observed: one period filled as not breaching', () => {
    const cfg = config({ evaluationPeriods: 1, datapointsToAlarm: 1, treatMissingData: 'notBreaching' });
    const result = evaluateAlarm(cfg, [], 'ALARM', NOW);
    assert.equal(result.state, 'OK');
    assert.equal(result.reason,
      'Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [NonBreaching].');
  });
});
