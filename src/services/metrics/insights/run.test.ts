/**
 * Running Metrics Insights queries over statistic sets: SCHEMA and WHERE filtering, grouping
 * (with AWS's "Other" group), per-period aggregation from statistic sets, ORDER BY / LIMIT
 * (the top-N query), and the range and period rules.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isServiceError } from '../../../core/errors.js';
import { parseInsightsQuery } from './parser.js';
import { runInsightsQuery } from './run.js';
import type { InsightsPoint, InsightsSource } from './types.js';

/** One observation per point unless told otherwise. */
const obs = (t: number, v: number): InsightsPoint => ({ t, sampleCount: 1, sum: v, min: v, max: v });

const EC2: Array<{ dimensions: Record<string, string>; points: InsightsPoint[] }> = [
  { dimensions: { InstanceId: 'i-a' }, points: [obs(0, 10), obs(60, 20), obs(120, 30)] },
  { dimensions: { InstanceId: 'i-b' }, points: [obs(0, 50), obs(60, 70)] },
  { dimensions: { InstanceId: 'i-c' }, points: [obs(0, 5)] },
  // a statistic set of two observations (40 and 60)
  { dimensions: { InstanceId: 'i-a', InstanceType: 'c5.large' }, points: [{ t: 0, sampleCount: 2, sum: 100, min: 40, max: 60 }] },
  { dimensions: {}, points: [obs(0, 1)] },
];

const calls: string[] = [];
const source: InsightsSource = {
  series(namespace, metricName) {
    calls.push(`${namespace}/${metricName}`);
    return namespace === 'AWS/EC2' && metricName === 'CPUUtilization' ? EC2 : [];
  },
};

const OPTS = { start: 0, end: 180, period: 60 };

function query(sql: string, opts = OPTS) {
  return runInsightsQuery(parseInsightsQuery(sql), source, opts);
}

/** label → values, in result order */
function table(sql: string, opts = OPTS): [string, number[]][] {
  return query(sql, opts).map((s) => [s.label, s.values]);
}

describe('Metrics Insights: the top-N example', () => {
  it('SELECT AVG(CPUUtilization) FROM SCHEMA("AWS/EC2", InstanceId) GROUP BY InstanceId ORDER BY AVG() DESC LIMIT 2', () => {
    const out = query('SELECT AVG(CPUUtilization) FROM SCHEMA("AWS/EC2", InstanceId) GROUP BY InstanceId ORDER BY AVG() DESC LIMIT 2');
    // averages over the range: i-b 60, i-a 20, i-c 5; the c5.large series has two dimensions
    assert.deepEqual(out, [
      { label: 'i-b', timestamps: [0, 60], values: [50, 70], period: 60, groupValues: ['i-b'] },
      { label: 'i-a', timestamps: [0, 60, 120], values: [10, 20, 30], period: 60, groupValues: ['i-a'] },
    ]);
    assert.equal(calls.at(-1), 'AWS/EC2/CPUUtilization');
  });
});

describe('Metrics Insights: aggregation from statistic sets', () => {
  const all = (fn: string) => table(`SELECT ${fn}(CPUUtilization) FROM "AWS/EC2"`);

  it('one series for the whole namespace, labelled with the function', () => {
    const out = query('SELECT SUM(CPUUtilization) FROM "AWS/EC2"');
    assert.equal(out.length, 1);
    assert.equal(out[0].label, 'SUM(CPUUtilization)');
    assert.deepEqual(out[0].timestamps, [0, 60, 120]);
    assert.deepEqual(out[0].groupValues, []);
  });

  it('AVG is total sum over total sample count, not an average of averages', () => {
    // t=0: (10 + 50 + 5 + 100 + 1) / (1 + 1 + 1 + 2 + 1)
    assert.deepEqual(all('AVG'), [['AVG(CPUUtilization)', [166 / 6, 45, 30]]]);
  });

  it('SUM, COUNT, MIN and MAX', () => {
    assert.deepEqual(all('SUM'), [['SUM(CPUUtilization)', [166, 90, 30]]]);
    assert.deepEqual(all('COUNT'), [['COUNT(CPUUtilization)', [6, 2, 1]]]);
    assert.deepEqual(all('MIN'), [['MIN(CPUUtilization)', [1, 20, 30]]]);
    assert.deepEqual(all('MAX'), [['MAX(CPUUtilization)', [60, 70, 30]]]);
  });

  it('buckets by the period from the start time', () => {
    assert.deepEqual(table('SELECT AVG(CPUUtilization) FROM SCHEMA("AWS/EC2", InstanceId) GROUP BY InstanceId', { start: 0, end: 240, period: 120 }), [
      ['i-a', [15, 30]],
      ['i-b', [60]],
      ['i-c', [5]],
    ]);
  });

  it('reads only [start, end) and drops groups with nothing there', () => {
    assert.deepEqual(table('SELECT SUM(CPUUtilization) FROM SCHEMA("AWS/EC2", InstanceId) GROUP BY InstanceId', { start: 60, end: 120, period: 60 }), [
      ['i-a', [20]],
      ['i-b', [70]],
    ]);
  });

  it('returns nothing for a metric without data', () => {
    assert.deepEqual(query('SELECT AVG(Nothing) FROM "AWS/EC2"'), []);
  });
});

describe('Metrics Insights: SCHEMA and WHERE', () => {
  const sums = (from: string, where = '') => table(`SELECT SUM(CPUUtilization) FROM ${from} ${where}`)[0]?.[1];

  it('SCHEMA(ns) keeps only series without dimensions', () => {
    assert.deepEqual(sums('SCHEMA("AWS/EC2")'), [1]);
  });

  it('SCHEMA(ns, keys…) keeps only series with exactly those keys, in any order', () => {
    assert.deepEqual(sums('SCHEMA("AWS/EC2", InstanceType, InstanceId)'), [100]);
    assert.deepEqual(sums('SCHEMA("AWS/EC2", InstanceId)'), [65, 90, 30]);
  });

  const cases: [string, number[] | undefined][] = [
    ["WHERE InstanceId = 'i-b'", [50, 70]],
    ["WHERE InstanceType = 'c5.large'", [100]],
    // a series without the key is kept by != (it does not have that value)
    ["WHERE InstanceType != 'c5.large'", [66, 90, 30]],
    ["WHERE InstanceType LIKE 'c5%'", [100]],
    ["WHERE InstanceType LIKE '%.large'", [100]],
    ["WHERE InstanceId LIKE 'i-_'", undefined],
    ["WHERE InstanceId NOT LIKE 'i-a%'", [56, 70]],
    ["WHERE InstanceId IN ('i-a', 'i-c')", [115, 20, 30]],
    ["WHERE InstanceId NOT IN ('i-a', 'i-c')", [51, 70]],
    ["WHERE InstanceId = 'i-a' AND InstanceType = 'c5.large'", [100]],
    ["WHERE InstanceId = 'i-b' OR InstanceId = 'i-c'", [55, 70]],
    ["WHERE InstanceId = 'i-b' OR InstanceId = 'i-a' AND InstanceType = 'c5.large'", [150, 70]],
    ["WHERE (InstanceId = 'i-b' OR InstanceId = 'i-a') AND InstanceType = 'c5.large'", [100]],
    ["WHERE InstanceId = 'I-A'", undefined],
  ];
  for (const [where, expected] of cases) {
    it(where, () => assert.deepEqual(sums('"AWS/EC2"', where), expected));
  }
});

describe('Metrics Insights: GROUP BY, ORDER BY, LIMIT', () => {
  it('series without a GROUP BY key form the "Other" group; default order is by group values', () => {
    assert.deepEqual(table('SELECT SUM(CPUUtilization) FROM "AWS/EC2" GROUP BY InstanceType'), [
      ['Other', [66, 90, 30]],
      ['c5.large', [100]],
    ]);
  });

  it('several keys: label is the values joined by a space, ordered key by key', () => {
    assert.deepEqual(
      query('SELECT COUNT(CPUUtilization) FROM "AWS/EC2" GROUP BY InstanceId, InstanceType').map((s) => [s.label, s.groupValues]),
      [
        ['Other Other', ['Other', 'Other']],
        ['i-a Other', ['i-a', 'Other']],
        ['i-a c5.large', ['i-a', 'c5.large']],
        ['i-b Other', ['i-b', 'Other']],
        ['i-c Other', ['i-c', 'Other']],
      ],
    );
  });

  const grouped = 'SELECT SUM(CPUUtilization) FROM SCHEMA("AWS/EC2", InstanceId) GROUP BY InstanceId';
  const order = (clause: string) => table(`${grouped} ${clause}`).map(([label]) => label);

  it('ORDER BY applies its function to each output series', () => {
    // per-period sums: i-a [10, 20, 30], i-b [50, 70], i-c [5]
    assert.deepEqual(order('ORDER BY MAX()'), ['i-c', 'i-a', 'i-b']);
    assert.deepEqual(order('ORDER BY MAX() ASC'), ['i-c', 'i-a', 'i-b']);
    assert.deepEqual(order('ORDER BY SUM() DESC'), ['i-b', 'i-a', 'i-c']);
    assert.deepEqual(order('ORDER BY MIN() DESC'), ['i-b', 'i-a', 'i-c']);
    assert.deepEqual(order('ORDER BY COUNT() DESC'), ['i-a', 'i-b', 'i-c']);
    assert.deepEqual(order('ORDER BY AVG() DESC LIMIT 1'), ['i-b']);
  });

  it('breaks ties by group values', () => {
    const tied = table('SELECT COUNT(CPUUtilization) FROM SCHEMA("AWS/EC2", InstanceId) WHERE InstanceId != \'i-a\' GROUP BY InstanceId ORDER BY MAX() DESC');
    assert.deepEqual(tied, [
      ['i-b', [1, 1]],
      ['i-c', [1]],
    ]);
  });

  it('LIMIT without ORDER BY keeps the first groups in default order', () => {
    assert.deepEqual(order('LIMIT 2'), ['i-a', 'i-b']);
  });

  it('never returns more than 500 series', () => {
    const many = Array.from({ length: 600 }, (_, i) => ({ dimensions: { Id: `s${String(i).padStart(3, '0')}` }, points: [obs(0, i)] }));
    const out = runInsightsQuery(parseInsightsQuery('SELECT MAX(x) FROM ns GROUP BY Id'), { series: () => many }, OPTS);
    assert.equal(out.length, 500);
    assert.equal(out[0].label, 's000');
    assert.equal(out[499].label, 's499');
    const top = runInsightsQuery(parseInsightsQuery('SELECT MAX(x) FROM ns GROUP BY Id ORDER BY MAX() DESC'), { series: () => many }, OPTS);
    assert.equal(top[0].label, 's599');
    assert.equal(top.length, 500);
  });
});

describe('Metrics Insights: options', () => {
  const q = parseInsightsQuery('SELECT AVG(CPUUtilization) FROM "AWS/EC2"');
  for (const [name, opts] of [
    ['a zero period', { start: 0, end: 60, period: 0 }],
    ['a negative period', { start: 0, end: 60, period: -60 }],
    ['an empty range', { start: 60, end: 60, period: 60 }],
    ['a NaN start', { start: NaN, end: 60, period: 60 }],
  ] as const) {
    it(`rejects ${name}`, () =>
      assert.throws(
        () => runInsightsQuery(q, source, opts),
        (e: unknown) => isServiceError(e) && e.code === 'ValidationError',
      ));
  }
});
