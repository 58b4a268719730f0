/**
 * @module core/patterns/conditions
 * One field of one branch — a path, its matchers (OR) and whether absence is allowed — interned
 * across every pattern of a PatternSet, so that a condition thousands of rules share
 * (`"detail-type": ["Order Placed"]`, `"state": [{"anything-but": "initializing"}]`) is tested
 * once per event and its answer reused by every rule that names it.
 *
 * The answer is the field's test when no leaf crossed an array of objects (the plain loop of
 * `matchBranch`). With array-consistency in play a branch is not the AND of its fields, so the
 * set then verifies with `matchBranch` itself; a condition without `exists: false` is still a
 * necessary condition there (some leaf must match), which is all the set relies on.
 */
import type { LeafStore } from './event.js';
import type { FieldSpec } from './grammar.js';
import { K, type Matcher, testMatcher } from './matchers.js';

export interface Condition {
  readonly id: number;
  readonly key: string;
  readonly slot: number;
  readonly matchers: Matcher[];
  readonly allowAbsent: boolean;
  /** rough share of events it lets through (lower is more selective), for choosing gates */
  readonly weight: number;
  users: number;
}

export function evalCondition(c: Condition, st: LeafStore): boolean {
  const n = st.count[c.slot];
  if (n === 0) return c.allowAbsent;
  const vals = st.vals[c.slot];
  const ms = c.matchers;
  for (let j = 0; j < n; j++) {
    const v = vals[j];
    for (let i = 0; i < ms.length; i++) if (testMatcher(ms[i], v)) return true;
  }
  return false;
}

/** Interned conditions with a per-event memo (epoch-stamped, so nothing is cleared between events). */
export class Conditions {
  private readonly byKey = new Map<string, Condition>();
  private readonly byId: (Condition | undefined)[] = [];
  private readonly free: number[] = [];
  private at = new Float64Array(16);
  private val = new Uint8Array(16);

  intern(f: FieldSpec, slot: number): Condition {
    const key = conditionKey(f);
    let c = this.byKey.get(key);
    if (!c) {
      const id = this.free.pop() ?? this.byId.length;
      c = { id, key, slot, matchers: f.matchers, allowAbsent: f.allowAbsent, weight: fieldWeight(f), users: 0 };
      this.byKey.set(key, c);
      this.byId[id] = c;
      if (id >= this.at.length) {
        const at = new Float64Array(this.at.length * 2); at.set(this.at); this.at = at;
        const val = new Uint8Array(this.val.length * 2); val.set(this.val); this.val = val;
      }
      this.at[id] = 0;
    }
    c.users++;
    return c;
  }

  release(c: Condition): void {
    if (--c.users > 0) return;
    this.byKey.delete(c.key);
    this.byId[c.id] = undefined;
    this.at[c.id] = 0;
    this.free.push(c.id);
  }

  /** Whether condition `id` holds for the event in `st`; tested at most once per `epoch`. */
  holds(id: number, st: LeafStore, epoch: number): boolean {
    if (this.at[id] === epoch) return this.val[id] === 1;
    const r = evalCondition(this.byId[id]!, st);
    this.at[id] = epoch;
    this.val[id] = r ? 1 : 0;
    return r;
  }

  /** All of `ids` hold (the non-key fields of a branch). */
  all(ids: Int32Array, st: LeafStore, epoch: number): boolean {
    for (let i = 0; i < ids.length; i++) if (!this.holds(ids[i], st, epoch)) return false;
    return true;
  }
}

/** Selective kinds first: a wildcard or CIDR lets few events through, anything-but and exists most. */
function matcherWeight(m: Matcher): number {
  switch (m.k) {
    case K.Exact: case K.EqIgnoreCase: case K.Cidr: return 1;
    case K.Prefix: case K.Suffix: case K.PrefixIgnoreCase: case K.SuffixIgnoreCase: case K.Wildcard: return 2;
    case K.Numeric: return 4;
    default: return 8;
  }
}

function fieldWeight(f: FieldSpec): number {
  let w = f.allowAbsent ? 16 : 0;
  for (const m of f.matchers) w = Math.max(w, matcherWeight(m));
  return w * (1 + (f.matchers.length - 1) * 0.25);
}

/** A text equal for equal conditions (only computed when a pattern is added). */
function conditionKey(f: FieldSpec): string {
  return JSON.stringify([f.path, f.allowAbsent, f.matchers.map(matcherKey)]);
}

function matcherKey(m: Matcher): unknown[] {
  switch (m.k) {
    case K.Exact: return [m.k, m.v === null ? 'null' : typeof m.v, m.v];
    case K.Prefix: case K.Suffix: case K.EqIgnoreCase: case K.PrefixIgnoreCase: case K.SuffixIgnoreCase: return [m.k, m.s];
    case K.Wildcard: return [m.k, m.src];
    case K.Numeric: return [m.k, String(m.lo), m.loOpen, String(m.hi), m.hiOpen];
    case K.Cidr: return [m.k, m.range.family, [...m.range.lo], [...m.range.hi]];
    case K.Exists: return [m.k];
    case K.NotValues: return [m.k, [...m.strings].sort(), [...m.numbers].map(String).sort()];
    case K.NotPrefix: case K.NotSuffix: return [m.k, m.list];
    case K.NotIgnoreCase: return [m.k, [...m.lower].sort()];
    case K.NotWildcard: return [m.k, m.res.map((r) => r.source)];
  }
}
