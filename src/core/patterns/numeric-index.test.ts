/**
 * The numeric index answers exactly as testMatcher does for every kind of range (one-sided, open
 * and closed ends, `=`, two-sided), at and around every bound, outside ±5e9, and after removals.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { K, type Matcher, testMatcher } from './matchers.js';
import { NumericIndex, type NumericRange } from './numeric-index.js';

const R = (lo: number, loOpen: boolean, hi: number, hiOpen: boolean): NumericRange => ({ lo, loOpen, hi, hiOpen });
const RANGES: NumericRange[] = [
  R(5, true, Infinity, false), R(5, false, Infinity, false), R(-2.5, true, Infinity, false),
  R(-Infinity, false, 5, true), R(-Infinity, false, 5, false), R(-Infinity, false, 0, false),
  R(3, false, 3, false), R(0, false, 0, false), R(1e9, false, 1e9, false),
  R(0, true, 10, false), R(0, false, 10, true), R(5, true, 6, true), R(-5e9, false, 5e9, false),
];
const VALUES = [-6e9, -5e9, -3, -2.5, -0, 0, 0.5, 3, 4.999, 5, 5.5, 6, 10, 10.0001, 1e9, 5e9, 5e9 + 1];

function expected(ranges: (NumericRange | null)[], v: number): number[] {
  const out: number[] = [];
  ranges.forEach((r, i) => {
    if (r && testMatcher({ k: K.Numeric, ...r } as Matcher, v)) out.push(i);
  });
  return out;
}

function got(index: NumericIndex<number>, v: number): number[] {
  const out = new Set<number>();
  index.query(v, (ref) => out.add(ref));
  return [...out].sort((a, b) => a - b);
}

describe('NumericIndex', () => {
  it('finds exactly the ranges holding a value', () => {
    const index = new NumericIndex<number>();
    RANGES.forEach((r, i) => index.add(r, i));
    assert.equal(index.size, RANGES.length);
    for (const v of VALUES) assert.deepEqual(got(index, v), expected(RANGES, v), `value ${v}`);
  });

  it('forgets removed refs, and takes ranges added after a query', () => {
    const index = new NumericIndex<number>();
    const live: (NumericRange | null)[] = [...RANGES];
    RANGES.forEach((r, i) => index.add(r, i));
    got(index, 1); // sorts
    for (const i of [0, 4, 6, 11]) { index.remove(i); live[i] = null; }
    live.push(R(2, false, Infinity, false));
    index.add(live[live.length - 1]!, live.length - 1);
    for (const v of VALUES) assert.deepEqual(got(index, v), expected(live, v), `value ${v}`);
    assert.equal(index.size, RANGES.length - 4 + 1);
  });

  it('random ranges agree with testMatcher', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const ranges: NumericRange[] = [];
    const index = new NumericIndex<number>();
    for (let i = 0; i < 300; i++) {
      const a = Math.round(rnd() * 40 - 20) / 2;
      const b = a + Math.round(rnd() * 10) / 2 + 0.5;
      const kind = Math.floor(rnd() * 4);
      const r = kind === 0 ? R(a, rnd() < 0.5, Infinity, false) : kind === 1 ? R(-Infinity, false, b, rnd() < 0.5) : kind === 2 ? R(a, false, a, false) : R(a, rnd() < 0.5, b, rnd() < 0.5);
      ranges.push(r);
      index.add(r, i);
    }
    for (let v = -12; v <= 18; v += 0.25) assert.deepEqual(got(index, v), expected(ranges, v), `value ${v}`);
  });
});
