/**
 * Every metric math function on small hand-computed series, including AWS's IF tables, the
 * scalar-vs-series results of the statistics, and the errors for a value of the wrong kind.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ARITHMETIC_MESSAGE, MetricMathError, type Series } from './types.js';
import { run, series, slots, value } from './harness.test.js';

const ids = (v: unknown) => (v as Series[]).map((s) => s.id);

describe('metric math functions: point-wise', () => {
  const m = series('m', [-1, 2.5, null, -4.2]);

  it('ABS, CEIL, FLOOR', () => {
    assert.deepEqual(slots(value('ABS(m)', { m })), [1, 2.5, null, 4.2, null]);
    assert.deepEqual(slots(value('CEIL(m)', { m })), [-1, 3, null, -4, null]);
    assert.deepEqual(slots(value('FLOOR(m)', { m })), [-1, 2, null, -5, null]);
    assert.equal(value('ABS(-3)'), 3);
  });

  it('LOG and LOG10, dropping the log of 0 with ArithmeticError', () => {
    const p = series('p', [1, Math.E, 100, 0]);
    assert.deepEqual(slots(value('LOG(p)', { p })).slice(0, 2), [0, 1]);
    const r = run('LOG10(p)', { p });
    assert.deepEqual(slots(r.value), [0, Math.log10(Math.E), 2, null, null]);
    assert.deepEqual(r.messages, [ARITHMETIC_MESSAGE]);
  });

  it('map over every member of an array', () => {
    const out = value('ABS(METRICS())', { a: series('a', [-1]), b: series('b', [-2]) }) as Series[];
    assert.deepEqual(out.map((s) => s.values), [[1], [2]]);
  });
});

describe('metric math functions: statistics', () => {
  const m1 = series('m1', [2, 4, null, 6]);
  const a = series('a', [10, 20, null]);
  const b = series('b', [30, null, null]);

  it('of one series give a scalar', () => {
    assert.equal(value('AVG(m1)', { m1 }), 4);
    assert.equal(value('SUM(m1)', { m1 }), 12);
    assert.equal(value('MIN(m1)', { m1 }), 2);
    assert.equal(value('MAX(m1)', { m1 }), 6);
    assert.equal(value('DATAPOINT_COUNT(m1)', { m1 }), 3);
    assert.equal(value('STDDEV(m1)', { m1 }), Math.sqrt(8 / 3));
  });

  it('of one series combine with it: m1 - AVG(m1), MAX(m1)/m1, SUM(m1)/DATAPOINT_COUNT(m1)', () => {
    assert.deepEqual(slots(value('m1 - AVG(m1)', { m1 })), [-2, 0, null, 2, null]);
    assert.deepEqual(slots(value('MAX(m1) / m1', { m1 })), [3, 1.5, null, 1, null]);
    assert.equal(value('SUM(m1) / DATAPOINT_COUNT(m1)', { m1 }), 4);
  });

  it('of an array give one series per timestamp; AVG counts a missing point as 0', () => {
    const vars = { a, b };
    assert.deepEqual(slots(value('AVG([a, b])', vars)), [20, 10, null, null, null]);
    assert.deepEqual(slots(value('SUM(METRICS())', vars)), [40, 20, null, null, null]);
    assert.deepEqual(slots(value('MIN([a, b])', vars)), [10, 20, null, null, null]);
    assert.deepEqual(slots(value('MAX([a, b])', vars)), [30, 20, null, null, null]);
    assert.deepEqual(slots(value('STDDEV([a, b])', vars)), [10, 0, null, null, null]);
    assert.deepEqual(slots(value('DATAPOINT_COUNT(METRICS())', vars)), [2, 1, null, null, null]);
  });

  it('of an empty series have no value, so points built from them are dropped', () => {
    const empty = series('e', []);
    const r = run('m1 - AVG(e)', { m1, e: empty });
    assert.deepEqual(slots(r.value), [null, null, null, null, null]);
    assert.deepEqual(r.messages, [ARITHMETIC_MESSAGE]);
    assert.equal(value('SUM(e)', { e: empty }), 0);
  });

  it('of a scalar are an error', () => {
    assert.throws(() => value('AVG(5)'), MetricMathError);
    assert.throws(() => value('MAX(AVG(m1))', { m1 }), /MAX expects a time series/);
  });
});

describe('metric math functions: consecutive points', () => {
  const m = series('m', [1, 4, null, 10]);

  it('DIFF, DIFF_TIME and RATE drop the first point', () => {
    assert.deepEqual(slots(value('DIFF(m)', { m })), [null, 3, null, 6, null]);
    assert.deepEqual(slots(value('DIFF_TIME(m)', { m })), [null, 60, null, 120, null]);
    assert.deepEqual(slots(value('RATE(m)', { m })), [null, 0.05, null, 0.05, null]);
  });

  it('RUNNING_SUM accumulates, per member of an array', () => {
    assert.deepEqual(slots(value('RUNNING_SUM(m)', { m })), [1, 5, null, 15, null]);
    const out = value('RUNNING_SUM([m, m * 2])', { m }) as Series[];
    assert.deepEqual(slots(out[1]), [2, 10, null, 30, null]);
  });

  it('reject a scalar', () => {
    assert.throws(() => value('DIFF(3)'), /DIFF expects a time series or an array/);
  });
});

describe('metric math functions: FILL', () => {
  const m = series('m', [null, 1, null, null, 4]);

  it('with a scalar fills every empty period of the range', () => {
    assert.deepEqual(slots(value('FILL(m, 0)', { m })), [0, 1, 0, 0, 4]);
  });

  it('with a scalar from another function', () => {
    assert.deepEqual(slots(value('FILL(m, MIN(m))', { m })), [1, 1, 1, 1, 4]);
  });

  it('with REPEAT carries the last value forward, nothing before the first', () => {
    assert.deepEqual(slots(value('FILL(m, REPEAT)', { m })), [null, 1, 1, 1, 4]);
  });

  it('with LINEAR interpolates inside gaps only', () => {
    assert.deepEqual(slots(value('FILL(m, LINEAR)', { m })), [null, 1, 2, 3, 4]);
    const tail = series('t', [1, null, 3, null, null]);
    assert.deepEqual(slots(value('FILL(t, LINEAR)', { t: tail })), [1, 2, 3, null, null]);
  });

  it('with a series takes its value where it has one', () => {
    const other = series('o', [7, null, 8, null, null]);
    assert.deepEqual(slots(value('FILL(m, o)', { m, o: other })), [7, 1, 8, null, 4]);
  });

  it('fills every member of an array', () => {
    const out = value('FILL(METRICS(), 0)', { m, n: series('n', [5]) }) as Series[];
    assert.deepEqual(out.map((s) => slots(s)), [
      [0, 1, 0, 0, 4],
      [5, 0, 0, 0, 0],
    ]);
  });

  it('rejects a scalar to fill or an array to fill with', () => {
    assert.throws(() => value('FILL(1, 0)'), /FILL expects a time series/);
    assert.throws(() => value('FILL(m, METRICS())', { m }), /cannot fill with an array/);
  });
});

describe('metric math functions: IF (AWS tables)', () => {
  const metric1 = series('metric1', [1, 1, 0, 0, null]);
  const metric2 = series('metric2', [30, null, 0, 0, 30]);
  const metric3 = series('metric3', [0, 0, 20, null, 20]);
  const vars = { metric1, metric2, metric3 };

  it('IF(metric1, metric2, metric3) is 30, 0, 20, -, -', () => {
    assert.deepEqual(slots(value('IF(metric1, metric2, metric3)', vars)), [30, 0, 20, null, null]);
  });

  it('IF(metric1, 5, metric3) is 5, 5, 20, -, -', () => {
    assert.deepEqual(slots(value('IF(metric1, 5, metric3)', vars)), [5, 5, 20, null, null]);
  });

  it('IF(metric1, metric2, 5) is 30, 0, 5, 5, -', () => {
    assert.deepEqual(slots(value('IF(metric1, metric2, 5)', vars)), [30, 0, 5, 5, null]);
  });

  it('without a false value drops the false points', () => {
    const m = series('m', [100, 500, 300]);
    assert.deepEqual(slots(value('IF(m < 400, m)', { m })), [100, null, 300, null, null]);
    assert.deepEqual(slots(value('IF(m < 400, 10, 2)', { m })), [10, 2, 10, null, null]);
  });

  it('with a scalar condition picks a whole operand', () => {
    assert.equal(value('IF(1, metric2, metric3)', vars), metric2);
    assert.equal(value('IF(0, metric2, metric3)', vars), metric3);
    assert.deepEqual(slots(value('IF(0, metric2)', vars)), [null, null, null, null, null]);
    assert.equal(value('IF(2 > 1, 7, 8)'), 7);
  });

  it('with an array condition works member by member', () => {
    const out = value('IF(METRICS() > 10, 1, 0)', { a: series('a', [5, 20]), b: series('b', [30]) }) as Series[];
    assert.deepEqual(out.map((s) => s.values), [[0, 1], [1]]);
  });
});

describe('metric math functions: arrays', () => {
  const errors4xx = series('errors4xx', [1, 1]);
  const errors5xx = series('errors5xx', [2, 2]);
  const requests = series('requests', [10, 20]);
  const e1 = series('e1', [100]);
  const vars = { errors4xx, errors5xx, requests, e1 };
  const opts = { expressions: ['e1'] };

  it('METRICS() returns the metric queries, not expressions', () => {
    assert.deepEqual(ids(value('METRICS()', vars, opts)), ['errors4xx', 'errors5xx', 'requests']);
  });

  it('METRICS("text") keeps the metrics whose Id contains the text', () => {
    assert.deepEqual(ids(value('METRICS("errors")', vars, opts)), ['errors4xx', 'errors5xx']);
    assert.deepEqual(slots(value('SUM(METRICS("errors")) / SUM(METRICS("requests")) * 100', vars, opts)), [30, 15, null, null, null]);
    assert.deepEqual(ids(value('[METRICS("4xx"), METRICS("5xx")]', vars, opts)), ['errors4xx', 'errors5xx']);
  });

  it('METRIC_COUNT counts the members', () => {
    assert.equal(value('METRIC_COUNT(METRICS())', vars, opts), 3);
    assert.deepEqual(slots(value('requests / METRIC_COUNT(METRICS())', vars, opts)), [10 / 3, 20 / 3, null, null, null]);
  });

  it('CONCAT joins series and arrays', () => {
    assert.deepEqual(ids(value('CONCAT(METRICS("4xx"), requests, [e1])', vars, opts)), ['errors4xx', 'requests', 'e1']);
  });

  it('REMOVE_EMPTY drops members without points', () => {
    assert.deepEqual(ids(value('REMOVE_EMPTY(METRICS())', { a: series('a', []), b: series('b', [1]) })), ['b']);
  });

  const ranked = {
    a: series('a', [1, 1]), // avg 1, sum 2, max 1
    b: series('b', [5, 1]), // avg 3, sum 6, max 5
    c: series('c', [2, 2, 2, 2]), // avg 2, sum 8, max 2
    d: series('d', []), // no statistic: always last
  };

  it('SORT orders by a statistic, either way, with an optional limit', () => {
    assert.deepEqual(ids(value('SORT(METRICS(), AVG, DESC)', ranked)), ['b', 'c', 'a', 'd']);
    assert.deepEqual(ids(value('SORT(METRICS(), AVG, ASC)', ranked)), ['a', 'c', 'b', 'd']);
    assert.deepEqual(ids(value('SORT(METRICS(), SUM, DESC, 2)', ranked)), ['c', 'b']);
    assert.deepEqual(ids(value('SORT(METRICS(), MAX, ASC)', ranked)), ['a', 'c', 'b', 'd']);
    assert.deepEqual(ids(value('SORT(METRICS(), MIN, DESC)', ranked)), ['c', 'a', 'b', 'd']);
  });

  it('SLICE takes [start, end) or everything from start', () => {
    assert.deepEqual(ids(value('SLICE(SORT(METRICS(), SUM, DESC), 0, 2)', ranked)), ['c', 'b']);
    assert.deepEqual(ids(value('SLICE(SORT(METRICS(), AVG, ASC), 1)', ranked)), ['c', 'b', 'd']);
  });

  it('FIRST and LAST pick an end of the array', () => {
    assert.equal((value('FIRST(SORT(METRICS(), AVG, DESC))', ranked) as Series).id, 'b');
    assert.equal((value('LAST(SORT(METRICS(), AVG, DESC))', ranked) as Series).id, 'd');
    assert.deepEqual(slots(value('IF(FIRST(SORT(METRICS(), AVG, DESC)) > 2, 1, 0)', ranked)), [1, 0, null, null, null]);
    assert.deepEqual(slots(value('FIRST(METRICS("none"))', ranked)), [null, null, null, null, null]);
  });

  it('reject a value of the wrong kind', () => {
    assert.throws(() => value('SLICE(a, 0)', ranked), /SLICE expects an array/);
    assert.throws(() => value('SORT(METRICS(), AVG, ASC, a)', ranked), /SORT expects a scalar/);
    assert.throws(() => value('FIRST(3)'), /FIRST expects an array/);
  });
});

describe('metric math functions: PERIOD and TIME_SERIES', () => {
  const m1 = series('m1', [60, 120]);

  it('PERIOD is the series period, else the request period', () => {
    assert.equal(value('PERIOD(m1)', { m1 }), 60);
    assert.equal(value('PERIOD(m1)', { m1: { ...m1, period: 300 } }), 300);
    assert.deepEqual(slots(value('m1 / PERIOD(m1)', { m1 })), [1, 2, null, null, null]);
    assert.throws(() => value('PERIOD(5)'), /PERIOD expects a time series/);
  });

  it('TIME_SERIES fills the range with a scalar', () => {
    assert.deepEqual(slots(value('TIME_SERIES(10)')), [10, 10, 10, 10, 10]);
    assert.deepEqual(slots(value('TIME_SERIES(5 * AVG(m1))', { m1 })), [450, 450, 450, 450, 450]);
    assert.throws(() => value('TIME_SERIES(m1)', { m1 }), /TIME_SERIES expects a scalar/);
  });
});

describe('metric math functions: calendar (UTC)', () => {
  // Monday 2024-03-04 23:58 UTC, three one-minute periods: 23:58, 23:59, then Tuesday 00:00
  const start = Date.UTC(2024, 2, 4, 23, 58) / 1000;
  const opts = { start, end: start + 180 };
  const m = { id: 'm', label: 'm', timestamps: [start + 60], values: [7] };
  const of = (fn: string) => (value(`${fn}(m)`, { m }, opts) as Series).values;

  it('MINUTE, HOUR, DAY (Monday = 1), DATE, MONTH, YEAR, EPOCH at every period of the range', () => {
    assert.deepEqual(of('MINUTE'), [58, 59, 0]);
    assert.deepEqual(of('HOUR'), [23, 23, 0]);
    assert.deepEqual(of('DAY'), [1, 1, 2]);
    assert.deepEqual(of('DATE'), [4, 4, 5]);
    assert.deepEqual(of('MONTH'), [3, 3, 3]);
    assert.deepEqual(of('YEAR'), [2024, 2024, 2024]);
    assert.deepEqual(of('EPOCH'), [start, start + 60, start + 120]);
  });

  it('Sunday is 7, and the year turns at midnight UTC', () => {
    const sunday = Date.UTC(2023, 11, 31, 23, 59) / 1000; // Sunday 31 Dec 2023
    const o = { start: sunday, end: sunday + 120 };
    assert.deepEqual((value('DAY(m)', { m }, o) as Series).values, [7, 1]);
    assert.deepEqual((value('MONTH(m)', { m }, o) as Series).values, [12, 1]);
    assert.deepEqual((value('YEAR(m)', { m }, o) as Series).values, [2023, 2024]);
  });

  it('filter by weekday: IF(DAY(m) < 2, m) keeps Monday only (a true point without data is 0)', () => {
    assert.deepEqual((value('IF(DAY(m) < 2, m)', { m }, opts) as Series).values, [0, 7]);
  });

  it('use the series period', () => {
    const hourly = { ...m, period: 3600 };
    const o = { start: Date.UTC(2024, 0, 1) / 1000, end: Date.UTC(2024, 0, 1, 3) / 1000 };
    assert.deepEqual((value('HOUR(m)', { m: hourly }, o) as Series).values, [0, 1, 2]);
  });
});
