/**
 * M out of N in both directions, the premature-alarm rule, low-sample percentiles, comparisons
 * and early decisions on an open period.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  breaches, canDecideEarly, evaluateAlarm, isLowSample, lowSampleThreshold,
} from './index.js';
import { config, NOW, pattern, series } from './helpers.test.js';

describe('M out of N', () => {
  const cfg = config({ evaluationPeriods: 5, datapointsToAlarm: 3 });

  it('goes OK -> ALARM once 3 of the last 5 datapoints breach, not consecutively', () => {
    const before = evaluateAlarm(cfg, pattern('0 0 X 0 X 0 0'), 'OK', NOW);
    assert.equal(before.state, 'OK');
    assert.equal(before.changed, false);
    const after = evaluateAlarm(cfg, pattern('0 0 X 0 X 0 X'), 'OK', NOW);
    assert.equal(after.state, 'ALARM');
    assert.equal(after.changed, true);
    assert.match(after.reason, /^Threshold Crossed: 3 out of the last 5 datapoints \[/);
    assert.match(after.reason, /\(minimum 3 datapoints for OK -> ALARM transition\)\.$/);
  });

  it('goes ALARM -> OK once fewer than 3 of the last 5 breach, needing N-M+1 = 3 good ones', () => {
    const still = evaluateAlarm(cfg, pattern('X X X X 0 X 0'), 'ALARM', NOW);
    assert.equal(still.state, 'ALARM');
    assert.equal(still.changed, false);
    const ok = evaluateAlarm(cfg, pattern('X X X 0 0 X 0'), 'ALARM', NOW);
    assert.equal(ok.state, 'OK');
    assert.equal(ok.changed, true);
    assert.match(ok.reason, /^Threshold Crossed: 3 out of the last 5 datapoints \[0\.0 /);
    assert.match(ok.reason, /were not greater than or equal to the threshold \(1\.0\) \(minimum 3 datapoints for ALARM -> OK transition\)\.$/);
    assert.equal(ok.reasonData.evaluatedDatapoints.length, 3);
  });

  it('evaluates the N most recent real datapoints across gaps (rule 2)', () => {
    // 6 real points in a range of 7: the oldest X falls outside the 5 most recent real ones,
    // and the missing period is not filled, whatever TreatMissingData says.
    for (const treatMissingData of ['missing', 'breaching'] as const) {
      const result = evaluateAlarm({ ...cfg, treatMissingData }, pattern('X X 0 - X 0 0'), 'ALARM', NOW);
      assert.equal(result.state, 'OK');
      assert.deepEqual(result.reasonData.recentDatapoints, [5, 0, 5, 0, 0]);
      assert.doesNotMatch(result.reason, /treated as/);
    }
  });
});

describe('premature transitions to ALARM (missing data treated as missing, M=3)', () => {
  const cfg = config({ evaluationPeriods: 3, datapointsToAlarm: 3, treatMissingData: 'missing' });

  it('- - - - X does not alarm: the next datapoint may be non-breaching', () => {
    const result = evaluateAlarm(cfg, pattern('- - - - X'), 'OK', NOW);
    assert.notEqual(result.state, 'ALARM');
    assert.equal(result.state, 'INSUFFICIENT_DATA');
    assert.equal(result.reason, 'Insufficient Data: 2 datapoints were unknown.');
  });

  it('- - - X - does not alarm either', () => {
    const result = evaluateAlarm(cfg, pattern('- - - X -'), 'OK', NOW);
    assert.notEqual(result.state, 'ALARM');
  });

  it('- - X - - alarms: the breach is M periods old and nothing newer contradicts it', () => {
    const result = evaluateAlarm(cfg, pattern('- - X - -'), 'OK', NOW);
    assert.equal(result.state, 'ALARM');
    assert.equal(result.reason,
      'Threshold Crossed: 1 out of the last 3 datapoints [5.0 (22/11/26 09:58:00)] was greater than or equal to '
      + 'the threshold (1.0) (minimum 3 datapoints for OK -> ALARM transition).');
  });

  it('X - - - - (older guide) alarms as well', () => {
    assert.equal(evaluateAlarm(cfg, pattern('X - - - -'), 'OK', NOW).state, 'ALARM');
  });

  it('applies to M out of N: - - - X - alarms with M=2', () => {
    const m2 = config({ evaluationPeriods: 3, datapointsToAlarm: 2 });
    assert.equal(evaluateAlarm(m2, pattern('- - - X -'), 'OK', NOW).state, 'ALARM');
    assert.equal(evaluateAlarm(m2, pattern('- - - - X'), 'OK', NOW).state, 'INSUFFICIENT_DATA');
  });

  it('does not apply once a non-breaching datapoint is in the range', () => {
    const m2 = config({ evaluationPeriods: 3, datapointsToAlarm: 2 });
    assert.equal(evaluateAlarm(m2, pattern('0 - X - -'), 'ALARM', NOW).state, 'OK');
  });
});

describe('low-sample percentiles', () => {
  it('needs 10/(1-p) samples above the median and 10/p below it', () => {
    assert.equal(lowSampleThreshold(0.99), 1000);
    assert.equal(lowSampleThreshold(0.5), 20);
    assert.equal(lowSampleThreshold(0.9), 100);
    assert.equal(lowSampleThreshold(0.1), 100);
    assert.equal(lowSampleThreshold(0.25), 40);
    assert.equal(lowSampleThreshold(1), 0);
    assert.equal(isLowSample(999, 0.99), true);
    assert.equal(isLowSample(1000, 0.99), false);
    assert.equal(isLowSample(undefined, 0.99), false);
  });

  const p99 = config({
    evaluationPeriods: 1, datapointsToAlarm: 1, statistic: 'p99', percentile: 0.99,
    evaluateLowSampleCountPercentile: 'ignore',
  });
  const slot = (value: number, sampleCount: number) => [{ timestamp: 1_700_000_000, value, sampleCount }];

  it('with ignore, leaves the state alone while the period has too few samples', () => {
    const ok = evaluateAlarm(p99, slot(50, 999), 'OK', NOW);
    assert.deepEqual([ok.state, ok.changed, ok.retained, ok.reason], ['OK', false, true, '']);
    const alarm = evaluateAlarm(p99, slot(0, 10), 'ALARM', NOW);
    assert.deepEqual([alarm.state, alarm.retained], ['ALARM', true]);
  });

  it('with ignore, evaluates as soon as the sample count is significant', () => {
    const result = evaluateAlarm(p99, slot(50, 1000), 'OK', NOW);
    assert.deepEqual([result.state, result.changed], ['ALARM', true]);
    assert.equal(result.reasonData.statistic, 'p99');
  });

  it('with evaluate (or unset), evaluates low-sample periods anyway', () => {
    for (const setting of ['evaluate', undefined] as const) {
      const result = evaluateAlarm({ ...p99, evaluateLowSampleCountPercentile: setting }, slot(50, 3), 'OK', NOW);
      assert.equal(result.state, 'ALARM');
    }
  });
});

describe('comparisons', () => {
  it('compares with each static operator', () => {
    assert.equal(breaches(1, 'GreaterThanOrEqualToThreshold', 1), true);
    assert.equal(breaches(1, 'GreaterThanThreshold', 1), false);
    assert.equal(breaches(1, 'LessThanThreshold', 1), false);
    assert.equal(breaches(1, 'LessThanOrEqualToThreshold', 1), true);
    assert.equal(breaches(0.5, 'LessThanThreshold', 1), true);
  });

  it('refuses anomaly-band operators, which have no static threshold', () => {
    assert.throws(() => breaches(1, 'LessThanLowerOrGreaterThanUpperThreshold', 1), /no static threshold/);
  });

  it('uses LessThan operators end to end', () => {
    const cfg = config({ evaluationPeriods: 2, datapointsToAlarm: 2, comparisonOperator: 'LessThanThreshold', threshold: 40 });
    const result = evaluateAlarm(cfg, series([undefined, undefined, 3, 4]), 'OK', NOW);
    assert.equal(result.state, 'ALARM');
    assert.match(result.reason, / were less than the threshold \(40\.0\) /);
  });
});

describe('deciding on an open period', () => {
  it('is allowed where more samples can only push further across the threshold', () => {
    for (const stat of ['Sum', 'SampleCount', 'Maximum', 'SAMPLE_COUNT']) {
      assert.equal(canDecideEarly(stat, 'GreaterThanThreshold'), true, stat);
      assert.equal(canDecideEarly(stat, 'GreaterThanOrEqualToThreshold'), true, stat);
      assert.equal(canDecideEarly(stat, 'LessThanThreshold'), false, stat);
    }
    assert.equal(canDecideEarly('Minimum', 'LessThanThreshold'), true);
    assert.equal(canDecideEarly('Minimum', 'LessThanOrEqualToThreshold'), true);
    assert.equal(canDecideEarly('Minimum', 'GreaterThanThreshold'), false);
  });

  it('is refused for statistics that can move either way', () => {
    for (const stat of ['Average', 'p99', 'tm90', 'IQM']) {
      assert.equal(canDecideEarly(stat, 'GreaterThanThreshold'), false, stat);
      assert.equal(canDecideEarly(stat, 'LessThanThreshold'), false, stat);
    }
    assert.equal(canDecideEarly('Maximum', 'LessThanLowerOrGreaterThanUpperThreshold'), false);
  });
});

describe('input handling', () => {
  it('accepts slots in any order and fewer slots than N', () => {
    const cfg = config({ evaluationPeriods: 3, datapointsToAlarm: 3, treatMissingData: 'breaching' });
    const shuffled = pattern('X X X').reverse();
    assert.equal(evaluateAlarm(cfg, shuffled, 'OK', NOW).state, 'ALARM');
    // One real breaching point and nothing else: the two missing periods before it are breaching.
    assert.equal(evaluateAlarm(cfg, pattern('X'), 'OK', NOW).state, 'ALARM');
    assert.equal(evaluateAlarm(cfg, [], 'OK', NOW).state, 'ALARM');
  });

  it('treats NaN as a missing period', () => {
    const cfg = config({ evaluationPeriods: 1, datapointsToAlarm: 1 });
    assert.equal(evaluateAlarm(cfg, series([NaN, NaN, NaN]), 'OK', NOW).state, 'INSUFFICIENT_DATA');
  });

  it('rejects configurations PutMetricAlarm would have refused', () => {
    assert.throws(() => evaluateAlarm(config({ datapointsToAlarm: 4 }), [], 'OK', NOW), /datapointsToAlarm/);
    assert.throws(() => evaluateAlarm(config({ evaluationPeriods: 0 }), [], 'OK', NOW), /evaluationPeriods/);
  });
});
