/**
 * Distribution: exact while small, within 1% once bucketed, bounded in size, order-independent
 * merging, and an encoding that round-trips byte for byte and refuses corrupt input.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Distribution, EXACT_LIMIT, MAX_BUCKETS, RELATIVE_ACCURACY } from './distribution.js';

/** mulberry32: a tiny seeded PRNG so failures reproduce */
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

/** Values with negatives, zeros, duplicates and six decades of magnitude. */
function sample(rand: () => number, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (r < 0.05) out.push(0);
    else if (r < 0.25 && out.length > 0) out.push(out[Math.floor(rand() * out.length)]);
    else out.push((rand() < 0.3 ? -1 : 1) * 10 ** (rand() * 6 - 2));
  }
  return out;
}

/** Nearest-rank quantile over weighted pairs, computed the slow obvious way. */
function referenceQuantile(pairs: [number, number][], q: number): number {
  const sorted = [...pairs].sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((s, [, c]) => s + c, 0);
  const rank = Math.max(1, Math.ceil(q * total - 1e-9));
  let seen = 0;
  for (const [v, c] of sorted) {
    seen += c;
    if (seen >= rank) return v;
  }
  return sorted[sorted.length - 1][0];
}

const QS = [0, 0.0001, 0.01, 0.1, 0.25, 0.333, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1];

function assertClose(actual: number | undefined, expected: number, rel: number, what: string): void {
  assert.ok(actual !== undefined, `${what}: undefined`);
  assert.ok(Math.abs(actual - expected) <= rel * Math.abs(expected) + 1e-300, `${what}: ${actual} vs ${expected}`);
}

describe('Distribution', () => {
  it('is empty at first', () => {
    const d = Distribution.empty();
    assert.equal(d.count, 0);
    assert.equal(d.quantile(0.5), undefined);
    assert.deepEqual([...d.entries()], []);
  });

  it('answers exactly while there are at most 256 distinct values', () => {
    const rand = prng(1);
    const distinct = Array.from({ length: EXACT_LIMIT }, (_, i) => (i % 3 === 0 ? -i - 1 : i * 1.5));
    const pairs: [number, number][] = distinct.map((v) => [v, 1 + Math.floor(rand() * 50)]);
    const d = Distribution.empty();
    for (const [v, c] of pairs) for (let k = 0; k < c; k++) d.add(v);
    assert.equal(d.isExact, true);
    assert.equal(d.count, pairs.reduce((s, [, c]) => s + c, 0));
    for (const q of QS) assert.equal(d.quantile(q), referenceQuantile(pairs, q), `q=${q}`);
    assert.deepEqual(
      d.entries().map(([v, c]) => [v, c]),
      [...pairs].sort((a, b) => a[0] - b[0]),
    );
  });

  it('treats -0 and 0 as one value and ignores zero counts', () => {
    const d = Distribution.of([0, -0, 5], [1, 2, 0]);
    assert.deepEqual(d.entries().map(([v, c]) => [v, c]), [[0, 3]]);
    assert.equal(Object.is(d.entries()[0][0], -0), false);
  });

  it('refuses non-finite values and bad counts', () => {
    const d = Distribution.empty();
    assert.throws(() => d.add(NaN), RangeError);
    assert.throws(() => d.add(Infinity), RangeError);
    assert.throws(() => d.add(1, -1), RangeError);
    assert.throws(() => d.quantile(1.5), RangeError);
  });

  it('switches to buckets at the 257th distinct value and keeps every count', () => {
    const d = Distribution.empty();
    for (let i = 1; i <= EXACT_LIMIT; i++) d.add(i);
    assert.equal(d.isExact, true);
    d.add(EXACT_LIMIT + 1, 7);
    assert.equal(d.isExact, false);
    assert.equal(d.count, EXACT_LIMIT + 7);
    assert.equal(d.entries().reduce((s, [, c]) => s + c, 0), EXACT_LIMIT + 7);
  });

  for (const seed of [2, 3, 4]) {
    it(`bucketed quantiles are within 1% on random data (seed ${seed})`, () => {
      const rand = prng(seed);
      const values = sample(rand, 20_000);
      const d = Distribution.of(values);
      assert.equal(d.isExact, false);
      const pairs = values.map((v): [number, number] => [v, 1]);
      for (const q of QS) {
        assertClose(d.quantile(q), referenceQuantile(pairs, q), RELATIVE_ACCURACY * (1 + 1e-9), `q=${q}`);
      }
      // representatives never change sign, and zeros stay exact
      for (const [v] of d.entries()) assert.ok(v === 0 || Math.abs(v) >= 1e-2 * (1 - RELATIVE_ACCURACY));
    });
  }

  it('handles huge counts', () => {
    const rand = prng(5);
    const pairs: [number, number][] = sample(rand, 600).map((v) => [v, Math.floor(rand() * 1e12) + 1]);
    const d = Distribution.empty();
    for (const [v, c] of pairs) d.add(v, c);
    assert.equal(d.isExact, false);
    for (const q of QS) assertClose(d.quantile(q), referenceQuantile(pairs, q), RELATIVE_ACCURACY * (1 + 1e-9), `q=${q}`);
    assert.deepEqual(Distribution.decode(d.encode()).entries(), d.entries());
  });

  // Folding the lowest magnitudes keeps both tails (the largest positive and the most negative
  // values) within 1%; values near zero are what blurs when the data spans over ~18 decades.
  it('stays bounded across the whole double range, keeping both tails accurate', () => {
    const rand = prng(6);
    const d = Distribution.empty();
    const values: number[] = [];
    for (let i = 0; i < 50_000; i++) {
      const v = (rand() < 0.5 ? -1 : 1) * 10 ** (rand() * 600 - 300);
      values.push(v);
      d.add(v);
    }
    assert.ok(d.entries().length <= 2 * MAX_BUCKETS + 1, `${d.entries().length} entries`);
    assert.ok(d.encode().length < 2 * MAX_BUCKETS * 4 + 64, `${d.encode().length} bytes`);
    assert.equal(d.count, values.length);
    const pairs = values.map((v): [number, number] => [v, 1]);
    for (const q of [0, 0.001, 0.005, 0.995, 0.999, 1]) assertClose(d.quantile(q), referenceQuantile(pairs, q), RELATIVE_ACCURACY * 1.001, `q=${q}`);
  });

  describe('merge', () => {
    const build = (values: number[]) => Distribution.of(values);

    function checkAssociative(parts: number[][]): void {
      const [a, b, c] = parts.map(build);
      const left = a.clone();
      left.merge(b);
      left.merge(c);
      const bc = b.clone();
      bc.merge(c);
      const right = a.clone();
      right.merge(bc);
      const reversed = c.clone();
      reversed.merge(b);
      reversed.merge(a);
      const all = build(parts.flat());
      assert.deepEqual(left.encode(), right.encode());
      assert.deepEqual(left.encode(), reversed.encode());
      assert.deepEqual(left.encode(), all.encode());
      assert.equal(left.count, parts.flat().length);
    }

    it('is associative and order-independent while exact', () => {
      checkAssociative([[1, 2, 3], [3, 4], [-1, 0, 4]]);
    });

    it('is associative when the union crosses the exact limit', () => {
      const rand = prng(7);
      checkAssociative([sample(rand, 120), sample(rand, 100), sample(rand, 150)]);
    });

    it('is associative between bucketed distributions', () => {
      const rand = prng(8);
      checkAssociative([sample(rand, 3000), sample(rand, 40), sample(rand, 5000)]);
    });

    it('is associative when folding the lowest buckets', () => {
      const rand = prng(9);
      const wide = () => Array.from({ length: 2000 }, () => 10 ** (rand() * 300 - 150));
      checkAssociative([wide(), wide(), wide()]);
    });

    it('leaves the merged-in distribution untouched', () => {
      const a = build([1, 2]);
      const b = build(Array.from({ length: 300 }, (_, i) => i));
      const before = b.encode();
      a.merge(b);
      assert.deepEqual(b.encode(), before);
      assert.equal(a.count, 302);
      const c = a.clone();
      c.add(5);
      assert.equal(a.count, 302);
    });
  });

  describe('encoding', () => {
    const cases: [string, Distribution][] = [
      ['empty', Distribution.empty()],
      ['small integers', Distribution.of([1, 1, 2, 200, -3, 0])],
      ['float32-exact values', Distribution.of([0.5, 1.25, -2.75], [3, 1, 2])],
      ['arbitrary doubles', Distribution.of([0.1, Math.PI, -1e-300, 1e300])],
      ['fractional counts', Distribution.of([1, 2], [0.5, 2.25])],
      ['buckets', Distribution.of(sample(prng(10), 5000))],
      ['bucketed fractional counts', Distribution.of(sample(prng(11), 1000), Array.from({ length: 1000 }, (_, i) => i / 7))],
    ];
    for (const [name, d] of cases) {
      it(`round-trips: ${name}`, () => {
        const bytes = d.encode();
        const back = Distribution.decode(bytes);
        assert.equal(back.isExact, d.isExact);
        assert.equal(back.count, d.count);
        assert.deepEqual(back.entries(), d.entries());
        assert.deepEqual(back.encode(), bytes);
      });
    }

    it('is compact', () => {
      assert.equal(Distribution.of([42]).encode().length, 4); // header, length, value, count
      assert.ok(Distribution.of(Array.from({ length: 100 }, (_, i) => i)).encode().length <= 202);
      // 5000 values over six decades of both signs: about 1 300 buckets, ~2 bytes each plus counts
      assert.ok(Distribution.of(sample(prng(12), 5000)).encode().length < 4000);
    });

    it('refuses corrupt input', () => {
      const good = Distribution.of([1, 2, 3]).encode();
      assert.throws(() => Distribution.decode(good.subarray(0, good.length - 1)), RangeError);
      assert.throws(() => Distribution.decode(Buffer.concat([good, Buffer.from([0])])), RangeError);
      assert.throws(() => Distribution.decode(Buffer.from([0x70])), RangeError);
      assert.throws(() => Distribution.decode(Buffer.alloc(0)), RangeError);
      assert.throws(() => Distribution.decode(Buffer.from([0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])), RangeError);
    });
  });
});
