/**
 * @module core/patterns/numeric-index
 * Numeric conditions of many patterns at one field, answered for one event value by binary search
 * instead of by testing every range: one-sided ranges (`> x`, `<= y`) are kept sorted by their
 * bound, so the ranges holding a value are a prefix of the list and cost nothing when they do not
 * hold it; `= x` is a hash look-up; two-sided ranges are sorted by their low end.
 *
 * The answers are exactly `testMatcher`'s for K.Numeric: numbers only, within ±NUMBER_LIMIT,
 * open and closed ends as written.
 */
import { NUMBER_LIMIT } from './matchers.js';

interface Range<R> { lo: number; loOpen: boolean; hi: number; hiOpen: boolean; ref: R }

export interface NumericRange { lo: number; loOpen: boolean; hi: number; hiOpen: boolean }

export class NumericIndex<R> {
  /** [lo, +∞): ascending lo */
  private lower: Range<R>[] = [];
  /** (-∞, hi]: descending hi */
  private upper: Range<R>[] = [];
  /** two finite ends: ascending lo */
  private bounded: Range<R>[] = [];
  private readonly points = new Map<number, R[]>();
  private dirty = false;
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(m: NumericRange, ref: R): void {
    const r: Range<R> = { lo: m.lo, loOpen: m.loOpen, hi: m.hi, hiOpen: m.hiOpen, ref };
    this.count++;
    if (m.lo === m.hi && !m.loOpen && !m.hiOpen) {
      const list = this.points.get(m.lo);
      if (list) list.push(ref);
      else this.points.set(m.lo, [ref]);
      return;
    }
    if (m.hi === Infinity) this.lower.push(r);
    else if (m.lo === -Infinity) this.upper.push(r);
    else this.bounded.push(r);
    this.dirty = true;
  }

  /** Drops every range filed for `ref`. */
  remove(ref: R): void {
    const keep = (xs: Range<R>[]) => {
      const out = xs.filter((r) => r.ref !== ref);
      this.count -= xs.length - out.length;
      return out;
    };
    this.lower = keep(this.lower);
    this.upper = keep(this.upper);
    this.bounded = keep(this.bounded);
    for (const [k, list] of this.points) {
      const out = list.filter((r) => r !== ref);
      this.count -= list.length - out.length;
      if (out.length === 0) this.points.delete(k);
      else this.points.set(k, out);
    }
  }

  /** Calls `visit` for the ref of every range holding `v` (a ref filed twice may be visited twice). */
  query(v: number, visit: (ref: R) => void): void {
    if (v < -NUMBER_LIMIT || v > NUMBER_LIMIT || v !== v) return;
    if (this.dirty) this.sort();
    const lower = this.lower;
    for (let i = 0; i < lower.length; i++) {
      const r = lower[i];
      if (r.lo > v) break;
      if (r.lo < v || !r.loOpen) visit(r.ref);
    }
    const upper = this.upper;
    for (let i = 0; i < upper.length; i++) {
      const r = upper[i];
      if (r.hi < v) break;
      if (r.hi > v || !r.hiOpen) visit(r.ref);
    }
    const bounded = this.bounded;
    for (let i = 0; i < bounded.length; i++) {
      const r = bounded[i];
      if (r.lo > v) break;
      if ((r.lo < v || !r.loOpen) && (r.hiOpen ? v < r.hi : v <= r.hi)) visit(r.ref);
    }
    if (this.points.size > 0) {
      const list = this.points.get(v);
      if (list) for (let i = 0; i < list.length; i++) visit(list[i]);
    }
  }

  private sort(): void {
    this.lower.sort((a, b) => a.lo - b.lo || 0);
    this.upper.sort((a, b) => b.hi - a.hi || 0);
    this.bounded.sort((a, b) => a.lo - b.lo || 0);
    this.dirty = false;
  }
}
