/**
 * @module services/metrics/stats/distribution
 * A mergeable value distribution: what the metrics store keeps per series per second or minute
 * so that percentiles and the other extended statistics can be answered for any period later.
 *
 * Why two modes: most series carry few distinct values (status codes, small integer latencies,
 * `Values`/`Counts` batches of at most 150), and for those exact answers are cheap, so up to
 * `EXACT_LIMIT` distinct values are kept as exact (value → count) pairs. Past that, memory and
 * row size must stay bounded whatever the traffic, so the distribution switches for good to
 * logarithmic buckets with relative accuracy `RELATIVE_ACCURACY` (the DDSketch scheme): bucket i
 * holds magnitudes in (γ^(i-1), γ^i] with γ = (1+α)/(1-α), and its representative value is within
 * α of every value in it. Positive and negative values have their own bucket stores (the negative
 * one indexed by magnitude) and exact zeros their own count, since log(0) has no bucket. Each
 * store keeps at most `MAX_BUCKETS` indexes: when the span grows beyond that, the lowest
 * magnitudes are folded into the lowest kept bucket, which only blurs values many orders of
 * magnitude below the largest ones (γ^2048 ≈ 6·10^17).
 *
 * Merging is order-independent (counts add; exact→bucket switching and folding depend only on
 * the union of values), so rolling seconds up into minutes gives the same bytes whatever order
 * the inputs come in.
 */
import { countsAreIntegers, MAX_ZIGZAG, readCount, Reader, writeCount, Writer } from './codec.js';

/** Distinct values kept exactly before switching to buckets. */
export const EXACT_LIMIT = 256;
/** Relative error of a bucket's representative value (1%). */
export const RELATIVE_ACCURACY = 0.01;
/** Most bucket indexes kept per sign before the lowest magnitudes are folded together. */
export const MAX_BUCKETS = 2048;

const GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
const LOG_GAMMA = Math.log(GAMMA);
// log(2/(γ+1)) turns γ^i into the representative 2γ^i/(γ+1) without overflowing γ^i first
const LOG_REPRESENTATIVE_SHIFT = Math.log(2 / (GAMMA + 1));

function bucketIndex(magnitude: number): number {
  return Math.ceil(Math.log(magnitude) / LOG_GAMMA);
}

function bucketValue(index: number): number {
  return Math.min(Math.exp(index * LOG_GAMMA + LOG_REPRESENTATIVE_SHIFT), Number.MAX_VALUE);
}

/**
 * The 1-based rank of the nearest-rank q-quantile among `total` samples: ceil(q·total), with a
 * tolerance so that 0.07 × 100 (which is 7.000000000000001 in binary) still means rank 7.
 * Shared with `statistics.ts` so percentiles and trimmed ranges cut at the same places.
 */
export function nearestRank(q: number, total: number): number {
  const x = q * total;
  const r = Math.ceil(x - (1e-9 + x * 1e-12));
  return Math.min(Math.max(r, 0), total);
}

// encoding header: high nibble = format version, low nibble = flags
const VERSION = 1;
const FLAG_BUCKETS = 0b0001;
const FLAG_FLOAT_COUNTS = 0b0010;
// exact mode only, bits 2-3: how the sorted distinct values are written
const VALUES_F64 = 0;
const VALUES_F32 = 1;
const VALUES_INT = 2;

/** Bucket counts of one sign, indexed by log-magnitude, bounded to MAX_BUCKETS indexes. */
class Store {
  bins = new Map<number, number>();
  private minIndex = Infinity;
  private maxIndex = -Infinity;
  private sorted: number[] | null = null;

  add(index: number, count: number): void {
    if (index > this.maxIndex) {
      this.maxIndex = index;
      this.foldBelow(index - MAX_BUCKETS + 1);
    }
    // a magnitude too small for the window goes to the lowest kept bucket
    index = Math.max(index, this.maxIndex - MAX_BUCKETS + 1);
    const had = this.bins.get(index);
    if (had === undefined) this.sorted = null;
    this.bins.set(index, (had ?? 0) + count);
    if (index < this.minIndex) this.minIndex = index;
  }

  private foldBelow(floor: number): void {
    if (this.minIndex >= floor) return;
    let folded = 0;
    for (const [i, c] of this.bins) {
      if (i < floor) {
        folded += c;
        this.bins.delete(i);
      }
    }
    this.bins.set(floor, (this.bins.get(floor) ?? 0) + folded);
    this.minIndex = floor;
    this.sorted = null;
  }

  /** Indexes ascending; cached because statistics walk them repeatedly. */
  indexes(): number[] {
    this.sorted ??= [...this.bins.keys()].sort((a, b) => a - b);
    return this.sorted;
  }

  clone(): Store {
    const s = new Store();
    s.bins = new Map(this.bins);
    s.minIndex = this.minIndex;
    s.maxIndex = this.maxIndex;
    s.sorted = this.sorted;
    return s;
  }
}

export class Distribution {
  /** exact (value → count) pairs, or null once the distribution has switched to buckets */
  private exact: Map<number, number> | null = new Map();
  private positive = new Store();
  private negative = new Store();
  private zeros = 0;
  private total = 0;
  private cache: ReadonlyArray<readonly [number, number]> | null = null;

  static empty(): Distribution {
    return new Distribution();
  }

  /** Convenience for tests and callers holding plain arrays. */
  static of(values: readonly number[], counts?: readonly number[]): Distribution {
    const d = new Distribution();
    values.forEach((v, i) => d.add(v, counts ? counts[i] : 1));
    return d;
  }

  /** Number of samples (sum of counts). */
  get count(): number {
    return this.total;
  }

  /** True while answers are exact (at most EXACT_LIMIT distinct values seen). */
  get isExact(): boolean {
    return this.exact !== null;
  }

  add(value: number, count = 1): void {
    if (!Number.isFinite(value)) throw new RangeError(`distribution value must be finite: ${value}`);
    if (!Number.isFinite(count) || count < 0) throw new RangeError(`distribution count must be finite and >= 0: ${count}`);
    if (count === 0) return;
    if (value === 0) value = 0; // -0 and 0 are one value
    this.cache = null;
    this.total += count;
    if (this.exact) {
      const had = this.exact.get(value);
      if (had !== undefined || this.exact.size < EXACT_LIMIT) {
        this.exact.set(value, (had ?? 0) + count);
        return;
      }
      this.toBuckets();
    }
    this.addToBuckets(value, count);
  }

  merge(other: Distribution): void {
    if (other.total === 0) return;
    this.cache = null;
    if (this.exact && other.exact) {
      let fresh = 0;
      for (const v of other.exact.keys()) if (!this.exact.has(v)) fresh++;
      if (this.exact.size + fresh <= EXACT_LIMIT) {
        for (const [v, c] of other.exact) this.exact.set(v, (this.exact.get(v) ?? 0) + c);
        this.total += other.total;
        return;
      }
    }
    if (this.exact) this.toBuckets();
    this.total += other.total;
    if (other.exact) {
      for (const [v, c] of other.exact) this.addToBuckets(v, c);
      return;
    }
    this.zeros += other.zeros;
    for (const [i, c] of other.positive.bins) this.positive.add(i, c);
    for (const [i, c] of other.negative.bins) this.negative.add(i, c);
  }

  clone(): Distribution {
    const d = new Distribution();
    d.exact = this.exact ? new Map(this.exact) : null;
    d.positive = this.positive.clone();
    d.negative = this.negative.clone();
    d.zeros = this.zeros;
    d.total = this.total;
    d.cache = this.cache;
    return d;
  }

  private toBuckets(): void {
    const pairs = this.exact ?? new Map<number, number>();
    this.exact = null;
    for (const [v, c] of pairs) this.addToBuckets(v, c);
  }

  private addToBuckets(value: number, count: number): void {
    if (value > 0) this.positive.add(bucketIndex(value), count);
    else if (value < 0) this.negative.add(bucketIndex(-value), count);
    else this.zeros += count;
  }

  /**
   * (value, count) pairs in ascending value order; bucketed values are their representatives
   * (within RELATIVE_ACCURACY of every value they stand for). The array is shared: do not mutate.
   */
  entries(): ReadonlyArray<readonly [number, number]> {
    if (this.cache) return this.cache;
    const out: [number, number][] = [];
    if (this.exact) {
      for (const [v, c] of this.exact) out.push([v, c]);
      out.sort((a, b) => a[0] - b[0]);
    } else {
      const neg = this.negative.indexes();
      for (let k = neg.length - 1; k >= 0; k--) out.push([-bucketValue(neg[k]), this.negative.bins.get(neg[k]) ?? 0]);
      if (this.zeros > 0) out.push([0, this.zeros]);
      for (const i of this.positive.indexes()) out.push([bucketValue(i), this.positive.bins.get(i) ?? 0]);
    }
    this.cache = out;
    return out;
  }

  /**
   * The nearest-rank q-quantile (q in [0, 1]): the smallest value with at least q of the samples
   * at or below it, which is what "p95: 95 percent of the data is lower than this value" means.
   * Undefined when empty.
   */
  quantile(q: number): number | undefined {
    if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be within [0, 1]: ${q}`);
    const entries = this.entries();
    if (entries.length === 0) return undefined;
    const rank = nearestRank(q, this.total);
    let seen = 0;
    for (const [v, c] of entries) {
      seen += c;
      if (seen >= rank) return v;
    }
    // fractional counts can leave the running sum a hair below the total
    return entries[entries.length - 1][0];
  }

  encode(): Buffer {
    const w = new Writer();
    if (this.exact) {
      const entries = this.entries();
      const ints = countsAreIntegers(entries.map((e) => e[1]));
      const mode = valuesMode(entries.map((e) => e[0]));
      w.u8((VERSION << 4) | (ints ? 0 : FLAG_FLOAT_COUNTS) | (mode << 2));
      // fractional counts sum differently in another order: keep the total as it was
      if (!ints) w.f64(this.total);
      w.varuint(entries.length);
      let previous = 0;
      entries.forEach(([v], k) => {
        if (mode === VALUES_INT) {
          // sorted and distinct, so every delta after the first is a small positive step
          if (k === 0) w.zigzag(v);
          else w.varuint(v - previous);
          previous = v;
        } else if (mode === VALUES_F32) w.f32(v);
        else w.f64(v);
      });
      for (const [, c] of entries) writeCount(w, c, ints);
      return w.finish();
    }
    const ints = countsAreIntegers([this.zeros, ...this.negative.bins.values(), ...this.positive.bins.values()]);
    w.u8((VERSION << 4) | FLAG_BUCKETS | (ints ? 0 : FLAG_FLOAT_COUNTS));
    if (!ints) w.f64(this.total);
    writeCount(w, this.zeros, ints);
    for (const store of [this.negative, this.positive]) {
      const idx = store.indexes();
      w.varuint(idx.length);
      idx.forEach((i, k) => (k === 0 ? w.zigzag(i) : w.varuint(i - idx[k - 1])));
      for (const i of idx) writeCount(w, store.bins.get(i) ?? 0, ints);
    }
    return w.finish();
  }

  static decode(buf: Buffer): Distribution {
    const r = new Reader(buf);
    const header = r.u8();
    if (header >> 4 !== VERSION) throw new RangeError(`unknown distribution encoding version ${header >> 4}`);
    const ints = (header & FLAG_FLOAT_COUNTS) === 0;
    const d = new Distribution();
    const total = ints ? undefined : readCount(r, false);
    if ((header & FLAG_BUCKETS) === 0) {
      const mode = (header >> 2) & 0b11;
      const n = r.varuint();
      if (n > EXACT_LIMIT) throw new RangeError('too many exact values in distribution encoding');
      const values: number[] = [];
      for (let k = 0; k < n; k++) {
        if (mode === VALUES_INT) values.push(k === 0 ? r.zigzag() : values[k - 1] + r.varuint());
        else if (mode === VALUES_F32) values.push(r.f32());
        else if (mode === VALUES_F64) values.push(r.f64());
        else throw new RangeError('unknown value mode in distribution encoding');
      }
      for (const v of values) d.add(v, readCount(r, ints));
    } else {
      d.exact = null;
      const zeros = readCount(r, ints);
      d.zeros = zeros;
      d.total = zeros;
      for (const store of [d.negative, d.positive]) {
        const n = r.varuint();
        if (n > MAX_BUCKETS) throw new RangeError('too many buckets in distribution encoding');
        const idx: number[] = [];
        for (let k = 0; k < n; k++) idx.push(k === 0 ? r.zigzag() : idx[k - 1] + r.varuint());
        for (const i of idx) {
          const c = readCount(r, ints);
          store.add(i, c);
          d.total += c;
        }
      }
    }
    r.end();
    if (total !== undefined) d.total = total;
    return d;
  }
}

/** The most compact form that represents every value exactly. */
function valuesMode(values: number[]): number {
  if (values.every((v) => Number.isInteger(v) && Math.abs(v) <= MAX_ZIGZAG / 2)) return VALUES_INT;
  if (values.every((v) => Math.fround(v) === v)) return VALUES_F32;
  return VALUES_F64;
}
