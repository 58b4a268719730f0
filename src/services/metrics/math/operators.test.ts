/**
 * Metric math operators: arithmetic, comparison and logic over scalars, series (aligned by
 * timestamp, a missing point counting as 0) and arrays of series; dropped non-numeric points and
 * AWS's ArithmeticError message; errors that only data reveals; the final-result rule.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asResult } from './evaluate.js';
import { ARITHMETIC_MESSAGE, MetricMathError, type Series } from './types.js';
import { run, series, slots, value } from './harness.test.js';

// AWS's own example: metric2 has no value at the 2nd and 4th timestamps
const metric1 = series('metric1', [30, 20, 0, 0]);
const metric2 = series('metric2', [20, null, 20, null]);
const aws = { metric1, metric2 };

describe('metric math: scalar arithmetic and precedence', () => {
  const cases: [string, number][] = [
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 - 4 - 3', 3],
    ['10 / 2 / 5', 1],
    ['2 ^ 3 ^ 2', 512],
    ['-2 ^ 2', -4],
    ['2 ^ -1', 0.5],
    ['-(3 - 5)', 2],
    ['3 > 2', 1],
    ['2 >= 3', 0],
    ['2 == 2', 1],
    ['2 != 2', 0],
    ['1 + 1 == 2', 1],
    ['1 AND 0', 0],
    ['-1 && 2', 1],
    ['0 OR 2', 1],
    ['0 || 0', 0],
    ['NOT 0', 1],
    ['NOT 5', 0],
    ['NOT 1 > 2', 1],
    ['1 < 2 AND 3 < 2 OR 1', 1],
  ];
  for (const [text, expected] of cases) {
    it(`${text} = ${expected}`, () => assert.equal(value(text), expected));
  }
});

describe('metric math: AWS comparison and logical examples', () => {
  it('(metric1 < metric2) is 0, 0, 1, 0', () => {
    assert.deepEqual(slots(value('metric1 < metric2', aws), 4), [0, 0, 1, 0]);
  });
  it('(metric1 >= 30) is 1, 0, 0, 0', () => {
    assert.deepEqual(slots(value('metric1 >= 30', aws), 4), [1, 0, 0, 0]);
  });
  it('(metric1 > 15 AND metric2 > 15) is 1, 0, 0, 0', () => {
    assert.deepEqual(slots(value('metric1 > 15 AND metric2 > 15', aws), 4), [1, 0, 0, 0]);
  });
  it('OR and NOT follow the same alignment', () => {
    assert.deepEqual(slots(value('metric1 > 25 || metric2 > 15', aws), 4), [1, 0, 1, 0]);
    assert.deepEqual(slots(value('NOT metric1', aws), 4), [0, 0, 1, 1]);
  });
});

describe('metric math: series arithmetic', () => {
  const m1 = series('m1', [1, 2, null, 4]);
  const m2 = series('m2', [10, null, 30, 40]);

  it('aligns two series on the union of their timestamps, a missing point counting as 0', () => {
    assert.deepEqual(slots(value('m1 + m2', { m1, m2 })), [11, 2, 30, 44, null]);
    assert.deepEqual(slots(value('m2 - m1', { m1, m2 })), [9, -2, 30, 36, null]);
  });

  it('applies a scalar to every point, on either side', () => {
    assert.deepEqual(slots(value('2 * m1 + 1', { m1 })), [3, 5, null, 9, null]);
    assert.deepEqual(slots(value('8 / m1', { m1 })), [8, 4, null, 2, null]);
    assert.deepEqual(slots(value('m1 ^ 2', { m1 })), [1, 4, null, 16, null]);
    assert.deepEqual(slots(value('-m1', { m1 })), [-1, -2, null, -4, null]);
  });

  it('keeps the identity of the left-hand series', () => {
    const out = value('m1 * 2', { m1 }) as Series;
    assert.equal(out.id, 'm1');
    assert.equal(out.label, 'M1');
  });

  it('uses the value of an earlier expression, scalar or series', () => {
    assert.deepEqual(slots(value('m1 - e1', { m1, e1: 1 })), [0, 1, null, 3, null]);
    assert.deepEqual(slots(value('e2 * 10', { e2: m1 })), [10, 20, null, 40, null]);
  });
});

describe('metric math: non-numeric points are dropped with ArithmeticError', () => {
  const m1 = series('m1', [1, 2, null, 4]);
  const zeroes = series('z', [1, 0, 5, 0]);

  it('drops every point divided by a zero scalar', () => {
    const r = run('m1 / 0', { m1 });
    assert.deepEqual(slots(r.value), [null, null, null, null, null]);
    assert.deepEqual(r.messages, [ARITHMETIC_MESSAGE]);
  });

  it('drops only the points whose divisor is 0 (including a missing divisor, which counts as 0)', () => {
    const r = run('m1 / z', { m1, z: zeroes });
    assert.deepEqual(slots(r.value), [1, null, 0, null, null]);
    assert.equal(r.messages.length, 1);
    assert.equal(r.messages[0].Code, 'ArithmeticError');
    assert.equal(r.messages[0].Value, 'One or more data-points have been dropped due to non-numeric values (NaN, -Infinite, +Infinite)');
  });

  it('says nothing when no point was dropped', () => {
    assert.deepEqual(run('m1 / 2', { m1 }).messages, []);
  });
});

describe('metric math: arrays of series', () => {
  const m1 = series('m1', [1, 2]);
  const m2 = series('m2', [10, 20]);
  const m3 = series('m3', [2, 2]);

  it('METRICS()*100 scales every member and keeps each label', () => {
    const out = value('METRICS() * 100', { m1, m2 }) as Series[];
    assert.equal(out.length, 2);
    assert.deepEqual(out.map((s) => s.label), ['M1', 'M2']);
    assert.deepEqual(slots(out[0]), [100, 200, null, null, null]);
    assert.deepEqual(slots(out[1]), [1000, 2000, null, null, null]);
  });

  it('divides an array by a series and a scalar by an array', () => {
    const byM3 = value('[m1, m2] / m3', { m1, m2, m3 }) as Series[];
    assert.deepEqual(byM3.map((s) => slots(s)), [
      [0.5, 1, null, null, null],
      [5, 10, null, null, null],
    ]);
    assert.deepEqual(slots(value('SUM(100 / [m1, m2])', { m1, m2 })), [110, 55, null, null, null]);
  });

  it('negates every member', () => {
    assert.deepEqual(slots(value('SUM(-[m1, m2])', { m1, m2 })), [-11, -22, null, null, null]);
  });

  it('pairs two arrays of the same length member by member', () => {
    const out = value('[m1, m2] + [m2, m1]', { m1, m2 }) as Series[];
    assert.deepEqual(out.map((s) => slots(s)), [
      [11, 22, null, null, null],
      [11, 22, null, null, null],
    ]);
  });

  it('refuses to pair arrays of different lengths', () => {
    assert.throws(() => value('[m1, m2] + [m3]', { m1, m2, m3 }), MetricMathError);
  });

  it('flattens nested arrays and refuses scalars inside one', () => {
    assert.equal((value('[METRICS(), m3]', { m1, m2, m3 }) as Series[]).length, 4);
    assert.throws(() => value('[m1, 5]', { m1 }), /only hold time series/);
  });
});

describe('metric math: errors that only data reveals', () => {
  it('an unknown id is a MetricMathError the caller can turn into a message or a ValidationError', () => {
    assert.throws(
      () => value('m1 + m9', { m1: series('m1', [1]) }),
      (e: unknown) => {
        assert.ok(e instanceof MetricMathError);
        assert.deepEqual(e.toMessage(), { Code: 'ValidationError', Value: 'Unknown metric or expression id "m9".' });
        const se = e.toServiceError('e1');
        assert.equal(se.code, 'ValidationError');
        assert.equal(se.status, 400);
        assert.equal(se.message, 'Error in expression e1: Unknown metric or expression id "m9".');
        return true;
      },
    );
  });
});

describe('metric math: the final result must be series', () => {
  const m1 = series('m1', [1, 2]);

  it('rejects a scalar', () => {
    assert.throws(() => asResult(value('AVG(m1)', { m1 })), /not a scalar/);
  });

  it('accepts a series or an array', () => {
    assert.equal(asResult(m1), m1);
    assert.deepEqual(asResult([m1, m1]), [m1, m1]);
  });

  it('for alarms, wants exactly one series', () => {
    assert.equal(asResult([m1], true), m1);
    assert.throws(() => asResult([m1, m1], true), /single time series, not 2/);
  });
});
