/**
 * Aggregates: built from Values/Counts and StatisticValues the way PutMetricData sends them,
 * merged without touching their inputs, and encoded compactly.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isServiceError } from '../../../core/errors.js';
import {
  aggregateOfStatisticSet,
  aggregateOfValue,
  aggregateOfValues,
  decodeAggregate,
  emptyAggregate,
  encodeAggregate,
  mergeAggregates,
  sumAggregates,
  type Aggregate,
} from './aggregate.js';

const invalidParameter = (e: unknown) => isServiceError(e) && e.code === 'InvalidParameterValue';

function plain(a: Aggregate) {
  return { ...a, dist: a.dist ? a.dist.entries().map(([v, c]) => [v, c]) : null };
}

describe('aggregate', () => {
  it('builds from one value', () => {
    assert.deepEqual(plain(aggregateOfValue(3.5)), { sampleCount: 1, sum: 3.5, min: 3.5, max: 3.5, dist: [[3.5, 1]] });
    assert.deepEqual(plain(aggregateOfValue(-2, 4)), { sampleCount: 4, sum: -8, min: -2, max: -2, dist: [[-2, 4]] });
  });

  it('builds from Values and Counts, skipping zero counts', () => {
    const a = aggregateOfValues([10, 20, 30, 20], [1, 2, 0, 3]);
    assert.deepEqual(plain(a), { sampleCount: 6, sum: 110, min: 10, max: 20, dist: [[10, 1], [20, 5]] });
    assert.deepEqual(plain(aggregateOfValues([1, 2])), { sampleCount: 2, sum: 3, min: 1, max: 2, dist: [[1, 1], [2, 1]] });
  });

  it('refuses what PutMetricData would refuse', () => {
    assert.throws(() => aggregateOfValues([1, 2], [1]), invalidParameter);
    assert.throws(() => aggregateOfValues([NaN]), invalidParameter);
    assert.throws(() => aggregateOfValues([1], [Infinity]), invalidParameter);
    assert.throws(() => aggregateOfValues([1], [-1]), invalidParameter);
    assert.throws(() => aggregateOfStatisticSet({ SampleCount: 2, Sum: Infinity, Minimum: 1, Maximum: 2 }), invalidParameter);
  });

  it('has no distribution for a statistic set, except one that pins every value', () => {
    const set = aggregateOfStatisticSet({ SampleCount: 4, Sum: 10, Minimum: 1, Maximum: 4 });
    assert.deepEqual(plain(set), { sampleCount: 4, sum: 10, min: 1, max: 4, dist: null });
    // CloudWatch's two documented exceptions: SampleCount 1 with Min = Max = Sum, and Min = Max with Sum = Min × SampleCount
    assert.deepEqual(plain(aggregateOfStatisticSet({ SampleCount: 1, Sum: 7, Minimum: 7, Maximum: 7 })).dist, [[7, 1]]);
    assert.deepEqual(plain(aggregateOfStatisticSet({ SampleCount: 3, Sum: 0.3, Minimum: 0.1, Maximum: 0.1 })).dist, [[0.1, 3]]);
    assert.equal(aggregateOfStatisticSet({ SampleCount: 3, Sum: 5, Minimum: 2, Maximum: 2 }).dist, null);
  });

  it('merges into a new aggregate, and a statistic set removes the distribution', () => {
    const a = aggregateOfValues([1, 2, 3]);
    const b = aggregateOfValues([-5, 2]);
    const ab = mergeAggregates(a, b);
    assert.deepEqual(plain(ab), { sampleCount: 5, sum: 3, min: -5, max: 3, dist: [[-5, 1], [1, 1], [2, 2], [3, 1]] });
    assert.deepEqual(plain(a), plain(aggregateOfValues([1, 2, 3])), 'inputs untouched');
    const withSet = mergeAggregates(ab, aggregateOfStatisticSet({ SampleCount: 2, Sum: 10, Minimum: 4, Maximum: 6 }));
    assert.deepEqual(plain(withSet), { sampleCount: 7, sum: 13, min: -5, max: 6, dist: null });
    assert.equal(mergeAggregates(withSet, a).dist, null);
  });

  it('treats an empty aggregate as the identity', () => {
    const set = aggregateOfStatisticSet({ SampleCount: 2, Sum: 3, Minimum: 1, Maximum: 2 });
    assert.deepEqual(plain(mergeAggregates(emptyAggregate(), set)), plain(set));
    assert.deepEqual(plain(mergeAggregates(aggregateOfValues([1], [0]), aggregateOfValue(4))), plain(aggregateOfValue(4)));
    assert.deepEqual(plain(sumAggregates([])), plain(emptyAggregate()));
  });

  it('rolls many seconds into one minute equal to aggregating every value at once', () => {
    const values = Array.from({ length: 600 }, (_, i) => ((i * 37) % 101) - 20);
    const seconds = Array.from({ length: 60 }, (_, s) => aggregateOfValues(values.slice(s * 10, s * 10 + 10)));
    const minute = sumAggregates(seconds);
    const direct = aggregateOfValues(values);
    assert.deepEqual(plain(minute), plain(direct));
    assert.deepEqual(encodeAggregate(minute), encodeAggregate(direct));
  });

  describe('encoding', () => {
    const cases: [string, Aggregate, number][] = [
      ['one integer value', aggregateOfValue(42), 3],
      ['one double value', aggregateOfValue(0.123), 10],
      ['one value many times', aggregateOfValue(250, 1e9), 8],
      ['a statistic set', aggregateOfStatisticSet({ SampleCount: 10, Sum: 55.5, Minimum: 0.5, Maximum: 9.5 }), 26],
      ['an integer statistic set', aggregateOfStatisticSet({ SampleCount: 10, Sum: 550, Minimum: 1, Maximum: 100 }), 7],
      ['a pinned statistic set', aggregateOfStatisticSet({ SampleCount: 5, Sum: 5, Minimum: 1, Maximum: 1 }), 3],
      ['a few values', aggregateOfValues([1, 5, 5, 9]), 14],
      ['fractional counts', aggregateOfValues([1.5, 2.5], [0.5, 0.25]), 67],
      ['empty', emptyAggregate(), 30],
      ['bucketed', aggregateOfValues(Array.from({ length: 1000 }, (_, i) => Math.sqrt(i + 1) * 10)), 1000],
    ];
    for (const [name, agg, maxBytes] of cases) {
      it(`round-trips ${name} in at most ${maxBytes} bytes`, () => {
        const bytes = encodeAggregate(agg);
        assert.ok(bytes.length <= maxBytes, `${bytes.length} bytes`);
        const back = decodeAggregate(bytes);
        assert.deepEqual(plain(back), plain(agg));
        assert.deepEqual(encodeAggregate(back), bytes);
      });
    }

    it('refuses corrupt input', () => {
      const good = encodeAggregate(aggregateOfValues([1, 2, 3]));
      assert.throws(() => decodeAggregate(good.subarray(0, good.length - 1)), RangeError);
      assert.throws(() => decodeAggregate(Buffer.concat([encodeAggregate(aggregateOfValue(1)), Buffer.from([1])])), RangeError);
      assert.throws(() => decodeAggregate(Buffer.from([0x00, 0x01])), RangeError);
    });
  });
});
