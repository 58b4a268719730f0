/**
 * The two example tables of the AWS guide ("How alarm state is evaluated when data is missing"),
 * every row under every TreatMissingData setting: N=3 with M=3, then M=2, range of 5 periods.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateAlarm, evaluationRangeSize } from './index.js';
import type { AlarmState, TreatMissingData } from './types.js';
import { config, NOW, pattern } from './helpers.test.js';

type Expected = AlarmState | 'RETAIN';
const TREATMENTS: TreatMissingData[] = ['missing', 'ignore', 'breaching', 'notBreaching'];
const STATES: AlarmState[] = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];

// [data points, MISSING, IGNORE, BREACHING, NOT BREACHING]
const TABLE_M3: [string, Expected, Expected, Expected, Expected][] = [
  ['0 - X - X', 'OK', 'OK', 'OK', 'OK'],
  ['0 - - - -', 'OK', 'OK', 'OK', 'OK'],
  ['- - - - -', 'INSUFFICIENT_DATA', 'RETAIN', 'ALARM', 'OK'],
  ['0 X X - X', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
  ['- - X - -', 'ALARM', 'RETAIN', 'ALARM', 'OK'],
];

const TABLE_M2: [string, Expected, Expected, Expected, Expected][] = [
  ['0 - X - X', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
  ['0 0 X 0 X', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
  ['0 - X - -', 'OK', 'OK', 'ALARM', 'OK'],
  ['- - - - 0', 'OK', 'OK', 'ALARM', 'OK'],
  ['- - - X -', 'ALARM', 'RETAIN', 'ALARM', 'OK'],
];

function checkTable(m: number, rows: typeof TABLE_M3): void {
  for (const [points, ...expected] of rows) {
    TREATMENTS.forEach((treatMissingData, column) => {
      const want = expected[column];
      it(`${points} | ${treatMissingData} → ${want === 'RETAIN' ? 'retain current state' : want}`, () => {
        // Every cell is checked from every starting state: a fixed result must not depend on
        // it, and "retain" must hand back whichever state the alarm was in.
        for (const current of STATES) {
          const result = evaluateAlarm(
            config({ evaluationPeriods: 3, datapointsToAlarm: m, treatMissingData }),
            pattern(points), current, NOW,
          );
          if (want === 'RETAIN') {
            assert.equal(result.state, current);
            assert.equal(result.retained, true);
            assert.equal(result.changed, false);
            assert.equal(result.reason, '');
          } else {
            assert.equal(result.state, want, `from ${current}`);
            assert.equal(result.retained, false);
            assert.equal(result.changed, want !== current);
            assert.notEqual(result.reason, '');
          }
        }
      });
    });
  }
}

describe('evaluation range', () => {
  it('is 5 periods for the guide\'s N=3 alarms, whatever M', () => {
    assert.equal(evaluationRangeSize(3, 3), 5);
    assert.equal(evaluationRangeSize(3, 2), 5);
  });
  it('is N + 2 in general', () => {
    assert.equal(evaluationRangeSize(1, 1), 3);
    assert.equal(evaluationRangeSize(2), 4);
    assert.equal(evaluationRangeSize(20, 1), 22);
  });
});

describe('guide table 1: Datapoints to Alarm 3, Evaluation Periods 3', () => checkTable(3, TABLE_M3));
describe('guide table 2: Datapoints to Alarm 2, Evaluation Periods 3', () => checkTable(2, TABLE_M2));

describe('retain current state', () => {
  it('keeps OK and ALARM alike when everything is missing and missing data is ignored', () => {
    const cfg = config({ treatMissingData: 'ignore' });
    assert.equal(evaluateAlarm(cfg, pattern('- - - - -'), 'OK', NOW).state, 'OK');
    assert.equal(evaluateAlarm(cfg, pattern('- - - - -'), 'ALARM', NOW).state, 'ALARM');
  });
  it('treats AWS/DynamoDB alarms as ignore whatever TreatMissingData says', () => {
    const cfg = config({ treatMissingData: 'breaching', namespace: 'AWS/DynamoDB' });
    const result = evaluateAlarm(cfg, pattern('- - - - -'), 'OK', NOW);
    assert.equal(result.state, 'OK');
    assert.equal(result.retained, true);
  });
});
