/**
 * Statistic names as CloudWatch accepts them, and every statistic computed from aggregates
 * against a brute-force reference over the sorted samples: exact while distributions are exact,
 * within 1% of each value's magnitude once bucketed.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isServiceError } from '../../../core/errors.js';
import { aggregateOfStatisticSet, aggregateOfValues, emptyAggregate, sumAggregates, type Aggregate } from './aggregate.js';
import { RELATIVE_ACCURACY } from './distribution.js';
import { computeStatistic, isPercentileLike, lowSampleThreshold, parseStatistic, type Statistic } from './statistics.js';

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// --- parsing -----------------------------------------------------------------------------------

const pct = (lower: number, upper: number) => ({ kind: 'percent', lower, upper });
const ACCEPTED: [string, object][] = [
  ['SampleCount', { kind: 'simple', stat: 'SampleCount' }],
  ['Average', { kind: 'simple', stat: 'Average' }],
  ['Sum', { kind: 'simple', stat: 'Sum' }],
  ['Minimum', { kind: 'simple', stat: 'Minimum' }],
  ['Maximum', { kind: 'simple', stat: 'Maximum' }],
  ['p0', { kind: 'percentile', q: 0 }],
  ['p0.0', { kind: 'percentile', q: 0 }],
  ['p0.01', { kind: 'percentile', q: 0.0001 }],
  ['p50', { kind: 'percentile', q: 0.5 }],
  ['p99', { kind: 'percentile', q: 0.99 }],
  ['p99.9', { kind: 'percentile', q: 0.999 }],
  ['p99.99', { kind: 'percentile', q: 0.9999 }],
  ['p100', { kind: 'percentile', q: 1 }],
  ['p100.00', { kind: 'percentile', q: 1 }],
  ['tm99', { kind: 'trimmed', fn: 'TM', bounds: pct(0, 0.99) }],
  ['tc90', { kind: 'trimmed', fn: 'TC', bounds: pct(0, 0.9) }],
  ['ts90', { kind: 'trimmed', fn: 'TS', bounds: pct(0, 0.9) }],
  ['wm98', { kind: 'trimmed', fn: 'WM', bounds: pct(0, 0.98) }],
  ['tm0', { kind: 'trimmed', fn: 'TM', bounds: pct(0, 0) }],
  ['tm100', { kind: 'trimmed', fn: 'TM', bounds: pct(0, 1) }],
  ['tm99.5', { kind: 'trimmed', fn: 'TM', bounds: pct(0, 0.995) }],
  ['tm12.3456789012', { kind: 'trimmed', fn: 'TM', bounds: pct(0, 0.123456789012) }],
  ['IQM', { kind: 'trimmed', fn: 'TM', bounds: pct(0.25, 0.75) }],
  ['TM(10%:90%)', { kind: 'trimmed', fn: 'TM', bounds: pct(0.1, 0.9) }],
  ['TM(:95%)', { kind: 'trimmed', fn: 'TM', bounds: pct(0, 0.95) }],
  ['TM(5%:)', { kind: 'trimmed', fn: 'TM', bounds: pct(0.05, 1) }],
  ['TM(0%:100%)', { kind: 'trimmed', fn: 'TM', bounds: pct(0, 1) }],
  ['TC(2%:98%)', { kind: 'trimmed', fn: 'TC', bounds: pct(0.02, 0.98) }],
  ['TS(80%:)', { kind: 'trimmed', fn: 'TS', bounds: pct(0.8, 1) }],
  ['WM(10%:90%)', { kind: 'trimmed', fn: 'WM', bounds: pct(0.1, 0.9) }],
  ['TM(150:1000)', { kind: 'trimmed', fn: 'TM', bounds: { kind: 'value', lower: 150, upper: 1000 } }],
  ['TC(0.005:0.030)', { kind: 'trimmed', fn: 'TC', bounds: { kind: 'value', lower: 0.005, upper: 0.03 } }],
  ['TC(:0.5)', { kind: 'trimmed', fn: 'TC', bounds: { kind: 'value', lower: undefined, upper: 0.5 } }],
  ['TS(80:)', { kind: 'trimmed', fn: 'TS', bounds: { kind: 'value', lower: 80, upper: undefined } }],
  ['WM(100:2000)', { kind: 'trimmed', fn: 'WM', bounds: { kind: 'value', lower: 100, upper: 2000 } }],
  ['PR(:300)', { kind: 'percentileRank', lower: undefined, upper: 300 }],
  ['PR(100:2000)', { kind: 'percentileRank', lower: 100, upper: 2000 }],
  ['PR(100:)', { kind: 'percentileRank', lower: 100, upper: undefined }],
  ['PR(-5:5)', { kind: 'percentileRank', lower: -5, upper: 5 }],
];

const REJECTED = [
  '', 'average', 'AVERAGE', 'Avg', 'iqm', 'P99', 'p', 'p101', 'p100.1', 'p99.999', 'p-1', 'p.5', 'p99.', 'p 99',
  'p100.5', 'TM99', 'Tm99', 'tm(10%:90%)', 'pr(:300)', 'tm101', 'tm', 'tm-5', 'tm99.12345678901', 'TM()', 'TM(:)',
  'TM(10%)', 'TM(10%:90)', 'TM(10:90%)', 'TM(90%:10%)', 'TM(101%:)', 'TM(a:b)', 'TM(1e3:)', 'TM(10%:90%:)',
  'TM( 10%:90%)', 'TM(10.12345678901%:)', 'TM(2000:100)', 'PR(10%:90%)', 'PR(:)', 'PR(5:1)', 'PR(:50%)',
  'IQM(25%:75%)', 'XX(1:2)', 'TM(10%:90%) ', 'p99 ',
];

describe('parseStatistic', () => {
  for (const [name, expected] of ACCEPTED) {
    it(`accepts ${name}`, () => {
      const { name: echoed, ...rest } = parseStatistic(name);
      assert.equal(echoed, name);
      assert.deepEqual(rest, expected);
    });
  }
  it('rejects every malformed name with InvalidParameterValue', () => {
    for (const name of REJECTED) {
      assert.throws(
        () => parseStatistic(name, 'ExtendedStatistics.member.1'),
        (e: unknown) => isServiceError(e) && e.code === 'InvalidParameterValue' && e.message.includes(`The value ${name} for parameter ExtendedStatistics.member.1`),
        `should reject ${JSON.stringify(name)}`,
      );
    }
  });

  it('classifies and gives low-sample thresholds', () => {
    assert.equal(isPercentileLike(parseStatistic('Average')), false);
    for (const s of ['p50', 'tm90', 'IQM', 'PR(:1)', 'WM(1:2)']) assert.equal(isPercentileLike(parseStatistic(s)), true, s);
    const cases: [string, number][] = [['p99', 1000], ['p50', 20], ['p90', 100], ['p10', 100], ['p1', 1000], ['p0', 0], ['p100', 0], ['tm99', 0], ['Sum', 0]];
    for (const [s, n] of cases) assert.ok(Math.abs(lowSampleThreshold(parseStatistic(s)) - n) < 1e-6, s);
  });
});

// --- brute-force reference ---------------------------------------------------------------------

/** The statistic over the samples spelled out one by one, and the scale its error is judged by. */
function reference(sorted: number[], stat: Statistic): { value: number | undefined; scale: number } {
  const n = sorted.length;
  const rank = (q: number) => Math.min(n, Math.max(0, Math.ceil(q * n - 1e-9)));
  const sumOf = (xs: number[]) => xs.reduce((s, v) => s + v, 0);
  const absSum = (xs: number[]) => xs.reduce((s, v) => s + Math.abs(v), 0);
  switch (stat.kind) {
    case 'simple': {
      const sum = sumOf(sorted);
      const value = { SampleCount: n, Sum: sum, Average: sum / n, Minimum: sorted[0], Maximum: sorted[n - 1] }[stat.stat];
      return { value, scale: absSum(sorted) };
    }
    case 'percentile': {
      const v = sorted[Math.max(1, rank(stat.q)) - 1];
      return { value: v, scale: Math.abs(v) };
    }
    case 'percentileRank': {
      const inside = sorted.filter((v) => (stat.lower === undefined || v > stat.lower) && (stat.upper === undefined || v <= stat.upper));
      return { value: (100 * inside.length) / n, scale: 0 };
    }
    case 'trimmed': {
      const b = stat.bounds;
      let kept: number[];
      let winsorized: number[];
      if (b.kind === 'percent') {
        const lo = rank(b.lower);
        const hi = rank(b.upper);
        kept = sorted.slice(lo, hi);
        winsorized = sorted.map((v, i) => (i < lo ? sorted[lo - 1] : i >= hi ? sorted[Math.max(hi, 1) - 1] : v));
      } else {
        const lower = b.lower ?? -Infinity;
        const upper = b.upper ?? Infinity;
        kept = sorted.filter((v) => v > lower && v <= upper);
        winsorized = sorted.map((v) => Math.min(Math.max(v, lower), upper));
      }
      switch (stat.fn) {
        case 'TC':
          return { value: kept.length, scale: 0 };
        case 'TS':
          return { value: sumOf(kept), scale: absSum(kept) };
        case 'TM':
          return { value: kept.length ? sumOf(kept) / kept.length : undefined, scale: kept.length ? absSum(kept) / kept.length : 0 };
        case 'WM':
          return { value: sumOf(winsorized) / n, scale: absSum(winsorized) / n };
      }
    }
  }
}

/**
 * The same definitions over (value, count) pairs, for counts too large to spell out: a pair
 * occupies ranks (seen, seen + count], and a rank range keeps the overlap.
 */
function weightedReference(values: number[], counts: number[], stat: Statistic): { value: number | undefined; scale: number } {
  const pairs = values.map((v, i): [number, number] => [v, counts[i]]).sort((a, b) => a[0] - b[0]);
  const n = counts.reduce((s, c) => s + c, 0);
  const rank = (q: number) => Math.min(n, Math.max(0, Math.ceil(q * n - (1e-9 + q * n * 1e-12))));
  const atRank = (r: number) => {
    let seen = 0;
    for (const [v, c] of pairs) if ((seen += c) >= r) return v;
    return pairs[pairs.length - 1][0];
  };
  // Σ f(v)·weight over ranks (lo, hi], and the same with |f(v)|
  const integrate = (lo: number, hi: number, f: (v: number) => number) => {
    let sum = 0;
    let abs = 0;
    let seen = 0;
    for (const [v, c] of pairs) {
      const w = Math.max(0, Math.min(seen + c, hi) - Math.max(seen, lo));
      sum += f(v) * w;
      abs += Math.abs(f(v)) * w;
      seen += c;
    }
    return { sum, abs, count: hi - lo };
  };
  if (stat.kind === 'simple' || stat.kind === 'percentile') {
    if (stat.kind === 'percentile') {
      const v = atRank(Math.max(1, rank(stat.q)));
      return { value: v, scale: Math.abs(v) };
    }
    const all = integrate(0, n, (v) => v);
    const value = { SampleCount: n, Sum: all.sum, Average: all.sum / n, Minimum: pairs[0][0], Maximum: pairs[pairs.length - 1][0] }[stat.stat];
    return { value, scale: all.abs };
  }
  const lowerOf = (x: number | undefined) => x ?? -Infinity;
  const upperOf = (x: number | undefined) => x ?? Infinity;
  if (stat.kind === 'percentileRank') {
    const inside = pairs.filter(([v]) => v > lowerOf(stat.lower) && v <= upperOf(stat.upper)).reduce((s, [, c]) => s + c, 0);
    return { value: (100 * inside) / n, scale: 0 };
  }
  const b = stat.bounds;
  let kept: { sum: number; abs: number; count: number };
  let wins: { sum: number; abs: number };
  if (b.kind === 'percent') {
    const lo = rank(b.lower);
    const hi = rank(b.upper);
    kept = integrate(lo, hi, (v) => v);
    const low = atRank(Math.max(lo, 1));
    const high = atRank(Math.max(hi, 1));
    // ranks up to lo take the lower percentile's value, ranks above hi the upper one's
    wins = {
      sum: kept.sum + lo * low + (n - hi) * high,
      abs: kept.abs + lo * Math.abs(low) + (n - hi) * Math.abs(high),
    };
  } else {
    const lower = lowerOf(b.lower);
    const upper = upperOf(b.upper);
    let sum = 0;
    let abs = 0;
    let count = 0;
    for (const [v, c] of pairs) {
      if (v > lower && v <= upper) {
        sum += v * c;
        abs += Math.abs(v) * c;
        count += c;
      }
    }
    kept = { sum, abs, count };
    wins = integrate(0, n, (v) => Math.min(Math.max(v, lower), upper));
  }
  switch (stat.fn) {
    case 'TC':
      return { value: kept.count, scale: 0 };
    case 'TS':
      return { value: kept.sum, scale: kept.abs };
    case 'TM':
      return { value: kept.count > 0 ? kept.sum / kept.count : undefined, scale: kept.count > 0 ? kept.abs / kept.count : 0 };
    case 'WM':
      return { value: wins.sum / n, scale: wins.abs / n };
  }
}

/** Absolute bounds used below; generated data keeps 3% away from them (see `awayFromBounds`). */
const BOUNDS = [150, 1000, -50, 200, 300, 100, 2000, 0.005, 0.03, -5, 5];
const STATS = [
  'SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum',
  'p0', 'p0.01', 'p1', 'p10', 'p25', 'p50', 'p75', 'p90', 'p99', 'p99.9', 'p99.99', 'p100',
  'tm99', 'tm90', 'tm50', 'tm0', 'tm100', 'tc90', 'tc99', 'ts90', 'ts99', 'wm90', 'wm98', 'IQM',
  'TM(10%:90%)', 'TM(:95%)', 'TM(5%:)', 'TM(33.3%:66.7%)', 'TC(2%:98%)', 'TC(10%:)', 'TS(80%:)', 'TS(1%:99%)',
  'WM(10%:90%)', 'WM(:99%)', 'WM(5%:)',
  'TM(150:1000)', 'TM(-50:200)', 'TM(5:)', 'TC(-50:200)', 'TC(0.005:0.03)', 'TS(:300)', 'TS(100:2000)',
  'WM(100:2000)', 'WM(-5:5)', 'WM(:300)', 'PR(:300)', 'PR(100:2000)', 'PR(-5:5)', 'PR(5:)', 'PR(-50:)',
].map((s) => parseStatistic(s));

function awayFromBounds(v: number): boolean {
  return BOUNDS.every((b) => Math.abs(v - b) > 0.03 * Math.abs(b));
}

/** Negatives, zeros, duplicates and seven decades, none within 3% of a bound. */
function sample(rand: () => number, n: number, distinct = Infinity): number[] {
  const pool: number[] = [];
  const out: number[] = [];
  while (out.length < n) {
    const r = rand();
    let v: number;
    if (r < 0.05) v = 0;
    else if ((r < 0.3 || pool.length >= distinct) && pool.length > 0) v = pool[Math.floor(rand() * pool.length)];
    else v = (rand() < 0.3 ? -1 : 1) * 10 ** (rand() * 7 - 3);
    if (!awayFromBounds(v)) continue;
    if (!pool.includes(v)) pool.push(v);
    out.push(v);
  }
  return out;
}

function check(agg: Aggregate, samples: number[], tolerance: number): void {
  const sorted = [...samples].sort((a, b) => a - b);
  for (const stat of STATS) {
    const { value: expected, scale } = reference(sorted, stat);
    const actual = computeStatistic(agg, stat);
    if (expected === undefined) {
      assert.equal(actual, undefined, stat.name);
      continue;
    }
    assert.ok(actual !== undefined, `${stat.name}: undefined, expected ${expected}`);
    if (stat.kind === 'percentile') assert.ok(actual >= sorted[0] && actual <= sorted[sorted.length - 1], `${stat.name} outside the data`);
    const allowed = tolerance * scale + 1e-9 * Math.max(scale, Math.abs(expected)) + 1e-12;
    assert.ok(Math.abs(actual - expected) <= allowed, `${stat.name}: ${actual} vs ${expected} (allowed ±${allowed})`);
  }
}

describe('computeStatistic', () => {
  it('matches the documented examples on 1..100', () => {
    const agg = aggregateOfValues(Array.from({ length: 100 }, (_, i) => 100 - i));
    const expect: [string, number][] = [
      ['p99', 99], ['p50', 50], ['p0', 1], ['tm99', 50], ['tc99', 99], ['ts90', 4095], ['TM(10%:90%)', 50.5],
      ['IQM', 50.5], ['WM(10%:90%)', 50.4], ['wm98', (98 * 99) / 2 / 100 + (2 * 98) / 100],
      ['PR(:30)', 30], ['PR(10:20)', 10], ['TC(10:20)', 10], ['TM(90:)', 95.5], ['TS(:3)', 6],
      ['WM(10:20)', (10 * 10 + 155 + 80 * 20) / 100], ['TC(0.5:1)', 1],
    ];
    for (const [s, v] of expect) assert.equal(computeStatistic(agg, parseStatistic(s)), v, s);
  });

  it('cuts percent ranges at nearest ranks when q·N is not whole (N = 15)', () => {
    const agg = aggregateOfValues(Array.from({ length: 15 }, (_, i) => i + 1));
    // 90% of 15 = 13.5: p90 is the 14th value and tm90 keeps the lowest 14; 10% = 1.5 drops the lowest 2
    const expect: [string, number][] = [
      ['p90', 14], ['p10', 2], ['tc90', 14], ['tm90', 7.5], ['TC(10%:90%)', 12], ['TS(10%:90%)', 102],
      ['WM(10%:90%)', (2 * 2 + 102 + 14) / 15], ['IQM', 8.5], ['TC(25%:75%)', 8],
    ];
    for (const [s, v] of expect) assert.equal(computeStatistic(agg, parseStatistic(s)), v, s);
  });

  it('answers only what a statistic set allows', () => {
    const set = aggregateOfStatisticSet({ SampleCount: 4, Sum: 10, Minimum: 1, Maximum: 4 });
    assert.equal(computeStatistic(set, parseStatistic('Average')), 2.5);
    assert.equal(computeStatistic(set, parseStatistic('Maximum')), 4);
    for (const s of ['p50', 'tm90', 'PR(:3)', 'IQM', 'TC(1:2)']) assert.equal(computeStatistic(set, parseStatistic(s)), undefined, s);
    const pinned = aggregateOfStatisticSet({ SampleCount: 4, Sum: 8, Minimum: 2, Maximum: 2 });
    assert.equal(computeStatistic(pinned, parseStatistic('p90')), 2);
  });

  it('answers nothing but SampleCount and Sum without samples, and empty ranges sensibly', () => {
    const empty = emptyAggregate();
    assert.equal(computeStatistic(empty, parseStatistic('SampleCount')), 0);
    assert.equal(computeStatistic(empty, parseStatistic('Sum')), 0);
    for (const s of ['Average', 'Minimum', 'Maximum', 'p50', 'TM(1:2)']) assert.equal(computeStatistic(empty, parseStatistic(s)), undefined, s);
    const agg = aggregateOfValues([1, 2, 3]);
    assert.equal(computeStatistic(agg, parseStatistic('TM(1000:2000)')), undefined);
    assert.equal(computeStatistic(agg, parseStatistic('TC(1000:2000)')), 0);
    assert.equal(computeStatistic(agg, parseStatistic('TS(1000:2000)')), 0);
    assert.equal(computeStatistic(agg, parseStatistic('tm0')), undefined);
    assert.equal(computeStatistic(agg, parseStatistic('wm0')), 1);
  });

  it('can refuse percentile-type statistics over negative values, as CloudWatch documents', () => {
    const agg = aggregateOfValues([-1, 2, 3]);
    const strict = { negativeValuesUnavailable: true };
    assert.equal(computeStatistic(agg, parseStatistic('p50'), strict), undefined);
    assert.equal(computeStatistic(agg, parseStatistic('Average'), strict), 4 / 3);
    assert.equal(computeStatistic(agg, parseStatistic('p50')), 2);
  });

  for (const seed of [1, 2, 3]) {
    it(`is exact with at most 256 distinct values (seed ${seed})`, () => {
      const samples = sample(prng(seed), 2999, 200);
      const agg = aggregateOfValues(samples);
      assert.equal(agg.dist?.isExact, true);
      check(agg, samples, 0);
    });

    it(`is within 1% of magnitude once bucketed (seed ${seed})`, () => {
      const samples = sample(prng(seed + 100), 5987);
      const agg = aggregateOfValues(samples);
      assert.equal(agg.dist?.isExact, false);
      check(agg, samples, RELATIVE_ACCURACY);
    });
  }

  it('gives the same answers from merged per-second aggregates', () => {
    const samples = sample(prng(7), 6007);
    const seconds: Aggregate[] = [];
    for (let i = 0; i < samples.length; i += 100) seconds.push(aggregateOfValues(samples.slice(i, i + 100)));
    check(sumAggregates(seconds), samples, RELATIVE_ACCURACY);
  });

  it('has a weighted reference that agrees with the sample-by-sample one', () => {
    const rand = prng(8);
    const values = [...new Set(sample(rand, 300))];
    const counts = values.map(() => 1 + Math.floor(rand() * 5));
    const expanded = values.flatMap((v, i) => Array<number>(counts[i]).fill(v)).sort((a, b) => a - b);
    for (const stat of STATS) {
      const a = reference(expanded, stat);
      const b = weightedReference(values, counts, stat);
      if (a.value === undefined) assert.equal(b.value, undefined, stat.name);
      else assert.ok(b.value !== undefined && Math.abs(a.value - b.value) <= 1e-9 * Math.max(1, a.scale), `${stat.name}: ${b.value} vs ${a.value}`);
    }
  });

  for (const distinct of [100, 1000]) {
    it(`handles huge counts (${distinct} distinct values)`, () => {
      const rand = prng(9 + distinct);
      const values = [...new Set(sample(rand, distinct * 2))].slice(0, distinct);
      const counts = values.map(() => 1 + Math.floor(rand() * 1e12));
      const agg = aggregateOfValues(values, counts);
      assert.equal(agg.dist?.isExact, distinct <= 256);
      const tolerance = distinct <= 256 ? 0 : RELATIVE_ACCURACY;
      for (const stat of STATS) {
        const { value: expected, scale } = weightedReference(values, counts, stat);
        const actual = computeStatistic(agg, stat);
        if (expected === undefined) {
          assert.equal(actual, undefined, stat.name);
          continue;
        }
        const allowed = tolerance * scale + 1e-9 * Math.max(scale, Math.abs(expected)) + 1e-12;
        assert.ok(actual !== undefined && Math.abs(actual - expected) <= allowed, `${stat.name}: ${actual} vs ${expected}`);
      }
    });
  }
});
