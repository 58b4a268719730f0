/**
 * @module core/patterns/set
 * Many compiled patterns (rules, subscriptions) matched against one event in one pass.
 *
 * How the cost stays sub-linear in the number of patterns:
 *  1. One path trie for the union of all fields: the event is walked once, its leaves at every
 *     needed path collected once (cost ∝ event size along needed paths, not ∝ patterns).
 *  2. Every branch of every pattern (a pattern with `$or` has several) is filed under ONE key
 *     field chosen at `add` time: a field that cannot hold without one of a few known values —
 *     exact values (hash map per path: "source" → "aws.ec2" → [branches]), equals-ignore-case
 *     (hash map of lower-cased values), prefix / suffix (hash maps per affix length,
 *     affix-index.ts), and their ignore-case forms. The most selective such field wins; when it
 *     is an exact field and the branch has another one (`source` and `detail-type`), the branch
 *     is filed under both values (exact-index.ts) and is found only when the event holds both.
 *  3. A branch with no such field is filed under a numeric field when it has one (sorted range
 *     lists per path, numeric-index.ts: only the ranges holding the event's number are visited),
 *     else behind a "gate": one of its conditions, shared by every branch gated on it and tested
 *     once per event (the most selective kind: wildcard, cidr, … before anything-but / exists).
 *     Only branches whose fields all allow absence are looked at for every event.
 *  4. Every field of every branch is an interned condition (conditions.ts), so the rest of a
 *     found branch is checked against answers computed once per event and shared by all the
 *     rules naming the same condition, touching little memory per candidate.
 * The key field (or gate) is a necessary condition of its branch, and a branch holds exactly when
 * all its conditions do — except when a leaf crossed an array of objects, where array consistency
 * matters and the candidate is verified with the very routine a pattern uses alone
 * (`matchBranch`). So the answers are exactly those of matching each pattern alone. Patterns that
 * are not ours (any other `CompiledPattern`) are simply called.
 */
import { AffixIndex } from './affix-index.js';
import { ExactIndex } from './exact-index.js';
import { Compiled, asEventObject, matchBranch } from './compiled.js';
import { type Condition, Conditions } from './conditions.js';
import { LeafStore, PathTrie } from './event.js';
import type { Branch, FieldSpec } from './grammar.js';
import { K, type Leaf, type Matcher } from './matchers.js';
import { NumericIndex } from './numeric-index.js';
import type { CompiledPattern, PatternSet } from './types.js';

/** What a match collects: the pattern's add order and its value (entries and branches both carry them). */
interface Hit<T> { seq: number; value: T }

interface Entry<T> extends Hit<T> { id: string; pattern: CompiledPattern; mark: number; refs: Ref<T>[]; paths: string[] }

/** Where a branch is filed: under an index of its key field (or of two exact fields), behind a gate condition, or nowhere (always checked). */
const enum Place { None, Bucket, Pair, Numeric, Gate, Always }

/**
 * One branch of a pattern. It carries its entry's seq and value, and whether the entry has other
 * branches, so that finding it touches this object alone: a match against thousands of rules
 * mostly waits for memory, and every other object read per candidate is another wait.
 */
interface Ref<T> extends Hit<T> {
  entry: Entry<T>;
  /** the entry has other branches: dedupe on the entry too */
  shared: boolean;
  fields: Branch;
  slots: Int32Array;
  /** the interned condition of each field */
  conds: Condition[];
  /** condition ids still to check once the branch was found through its key field */
  rest: Int32Array;
  /** rest.length, read without touching the array */
  restCount: number;
  mark: number;
  place: Place;
  /** the field it is filed under (-1 for Always) */
  key: number;
  /** Place.Pair: the second exact field it is filed under */
  partner: number;
}

interface Bucket<T> {
  slot: number;
  exact: ExactIndex<Ref<T>> | null;
  lower: Map<string, Ref<T>[]> | null;
  prefix: AffixIndex<Ref<T>> | null;
  suffix: AffixIndex<Ref<T>> | null;
  prefixLower: AffixIndex<Ref<T>> | null;
  suffixLower: AffixIndex<Ref<T>> | null;
}

const INDEXABLE = new Set([K.Exact, K.EqIgnoreCase, K.Prefix, K.Suffix, K.PrefixIgnoreCase, K.SuffixIgnoreCase]);

export function createPatternSet<T>(): PatternSet<T> {
  return new IndexedPatternSet<T>();
}

class IndexedPatternSet<T> implements PatternSet<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly foreign = new Set<Entry<T>>();
  private readonly slotOf = new Map<string, { slot: number; users: number }>();
  private readonly freeSlots: number[] = [];
  private buckets: Bucket<T>[] = [];
  /** numeric indexes by slot */
  private numeric = new Map<number, NumericIndex<Ref<T>>>();
  /** gated branches by gate condition id */
  private gates = new Map<number, Ref<T>[]>();
  private always = new Set<Ref<T>>();
  private readonly conds = new Conditions();
  private readonly store = new LeafStore();
  private trie: PathTrie | null = null;
  private seq = 0;
  private epoch = 0;
  /** at this many patterns every branch is filed again, with what the set now knows (doubles each time) */
  private refileAt = 64;
  // per match: the event's leaves are chained through arrays of objects; the patterns found
  private chained = false;
  private found: Hit<T>[] = [];
  private keys = new Float64Array(64);
  private readonly visit = (ref: Ref<T>): void => this.check(ref);

  get size(): number {
    return this.entries.size;
  }

  add(id: string, pattern: CompiledPattern, value: T): void {
    this.remove(id);
    const entry: Entry<T> = { id, seq: this.seq++, pattern, value, mark: 0, refs: [], paths: [] };
    this.entries.set(id, entry);
    if (!(pattern instanceof Compiled) || pattern.matchAll) {
      this.foreign.add(entry);
      return;
    }
    entry.paths = pattern.paths;
    for (const p of pattern.paths) this.useSlot(p);
    for (const fields of pattern.branches) {
      const slots = Int32Array.from(fields, (f) => this.slotOf.get(f.path)!.slot);
      const conds = fields.map((f, i) => this.conds.intern(f, slots[i]));
      const ref: Ref<T> = {
        entry, seq: entry.seq, value, shared: pattern.branches.length > 1, fields, slots, conds,
        rest: new Int32Array(0), restCount: 0, mark: 0, place: Place.None, key: -1, partner: -1,
      };
      entry.refs.push(ref);
      this.place(ref);
    }
    if (this.entries.size >= this.refileAt) {
      this.refileAt *= 2;
      this.refile();
    }
  }

  /**
   * Files every branch again. A key field is chosen with the statistics of the moment: the first
   * rules of a set see every bucket empty, and a rule naming `source` and `detail-type` may be
   * filed under one of five detail types before the set knows that sources are many and rare.
   * Refiling at each doubling costs O(n) amortised per add and lets the choice use the whole set.
   */
  private refile(): void {
    this.buckets = [];
    this.numeric = new Map();
    this.gates = new Map();
    this.always = new Set();
    for (const e of this.entries.values()) for (const ref of e.refs) ref.place = Place.None;
    for (const e of this.entries.values()) for (const ref of e.refs) this.place(ref);
  }

  /** Distinct values filed at `slot` (exact and ignore-case): many distinct values make each one rare in events. */
  distinct(slot: number): number {
    const b = this.buckets[slot];
    return b ? (b.exact?.size ?? 0) + (b.lower?.size ?? 0) : 0;
  }

  remove(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    this.foreign.delete(entry);
    for (const ref of entry.refs) {
      this.unplace(ref);
      for (const c of ref.conds) this.conds.release(c);
    }
    for (const p of entry.paths) this.releaseSlot(p);
  }

  match(event: unknown): T[] {
    const obj = asEventObject(event);
    const found: Hit<T>[] = [];
    this.found = found;
    if (obj !== null && this.slotOf.size > 0) {
      this.trie ??= new PathTrie([...this.slotOf].map(([p, s]) => [p, s.slot] as [string, number]));
      const st = this.store;
      this.trie.collect(obj, st);
      const epoch = ++this.epoch;
      this.chained = st.anyChain;
      try {
        const visit = this.visit;
        for (const b of this.buckets) {
          if (b === undefined) continue;
          const n = st.count[b.slot];
          const vals = st.vals[b.slot];
          for (let j = 0; j < n; j++) {
            const v = vals[j];
            if (b.exact) b.exact.visit(v, st, visit);
            if (typeof v !== 'string') continue;
            if (b.prefix) b.prefix.visit(v, visit);
            if (b.suffix) b.suffix.visit(v, visit);
            if (b.lower || b.prefixLower || b.suffixLower) {
              const lower = v.toLowerCase();
              if (b.lower) visitList(b.lower.get(lower), visit);
              if (b.prefixLower) b.prefixLower.visit(lower, visit);
              if (b.suffixLower) b.suffixLower.visit(lower, visit);
            }
          }
        }
        for (const [slot, index] of this.numeric) {
          const n = st.count[slot];
          const vals = st.vals[slot];
          for (let j = 0; j < n; j++) {
            const v = vals[j];
            if (typeof v === 'number') index.query(v, visit);
          }
        }
        for (const [cond, refs] of this.gates) {
          if (this.conds.holds(cond, st, epoch)) for (let i = 0; i < refs.length; i++) this.check(refs[i]);
        }
        for (const ref of this.always) this.check(ref);
      } finally {
        st.reset();
      }
    }
    for (const entry of this.foreign) if (entry.pattern.matches(event)) found.push(entry);
    this.found = [];
    return this.inAddOrder(found);
  }

  /**
   * The values in the order of `add`, like a loop over the patterns would give. A comparator
   * sort calls back into JS per comparison (it was most of the cost of an event matching forty
   * rules); small lists are insertion-sorted inline, larger ones as numbers in a typed array,
   * each key packing (seq, position).
   */
  private inAddOrder(found: Hit<T>[]): T[] {
    const n = found.length;
    const out = new Array<T>(n);
    if (n <= 16 || this.seq * n >= 2 ** 53) {
      for (let i = 1; i < n; i++) {
        const e = found[i];
        let j = i - 1;
        for (; j >= 0 && found[j].seq > e.seq; j--) found[j + 1] = found[j];
        found[j + 1] = e;
      }
      for (let i = 0; i < n; i++) out[i] = found[i].value;
      return out;
    }
    if (this.keys.length < n) this.keys = new Float64Array(Math.max(n, this.keys.length * 2));
    const keys = this.keys.subarray(0, n);
    for (let i = 0; i < n; i++) keys[i] = found[i].seq * n + i;
    keys.sort();
    for (let i = 0; i < n; i++) out[i] = found[keys[i] % n].value;
    return out;
  }

  /** A branch found through its key field (or gate): does all of it hold? */
  private check(ref: Ref<T>): void {
    const epoch = this.epoch;
    if (ref.mark === epoch || (ref.shared && ref.entry.mark === epoch)) return;
    ref.mark = epoch;
    // a branch found through all its fields (two exact ones, mostly) needs no test at all
    const ok = this.chained ? matchBranch(ref.fields, ref.slots, this.store) : ref.restCount === 0 || this.conds.all(ref.rest, this.store, epoch);
    if (ok) {
      if (ref.shared) ref.entry.mark = epoch;
      this.found.push(ref);
    }
  }

  private useSlot(path: string): void {
    const known = this.slotOf.get(path);
    if (known) { known.users++; return; }
    const slot = this.freeSlots.pop() ?? this.slotOf.size;
    this.slotOf.set(path, { slot, users: 1 });
    this.store.ensure(slot + 1);
    this.trie = null;
  }

  private releaseSlot(path: string): void {
    const known = this.slotOf.get(path)!;
    if (--known.users > 0) return;
    this.slotOf.delete(path);
    this.freeSlots.push(known.slot);
    this.trie = null;
  }

  /** How many branches are filed under `m`'s value(s) at `slot` now. */
  crowd(slot: number, m: Matcher): number {
    const b = this.buckets[slot];
    if (!b) return 0;
    switch (m.k) {
      case K.Exact: return b.exact?.count(m.v) ?? 0;
      case K.EqIgnoreCase: return b.lower?.get(m.s)?.length ?? 0;
      case K.Prefix: return b.prefix?.count(m.s) ?? 0;
      case K.Suffix: return b.suffix?.count(m.s) ?? 0;
      case K.PrefixIgnoreCase: return b.prefixLower?.count(m.s) ?? 0;
      case K.SuffixIgnoreCase: return b.suffixLower?.count(m.s) ?? 0;
      default: return 0;
    }
  }

  /** Files a branch: an index of its best key field, else a numeric field, else a gate, else Always. */
  private place(ref: Ref<T>): void {
    const { fields, slots, conds } = ref;
    let key = pickKeyField(fields, slots, this);
    const partner = key >= 0 ? pickPartner(fields, key) : -1;
    ref.partner = partner;
    if (partner >= 0) {
      ref.place = Place.Pair;
      ref.key = key;
      this.filePair(ref, true);
    } else if (key >= 0) {
      ref.place = Place.Bucket;
      this.file(ref, fields[key], slots[key]);
    } else if ((key = fields.findIndex(isNumericField)) >= 0) {
      ref.place = Place.Numeric;
      let index = this.numeric.get(slots[key]);
      if (!index) this.numeric.set(slots[key], (index = new NumericIndex()));
      for (const m of fields[key].matchers) if (m.k === K.Numeric) index.add(m, ref);
    } else if ((key = this.pickGate(ref)) >= 0) {
      ref.place = Place.Gate;
      const list = this.gates.get(conds[key].id);
      if (list) list.push(ref);
      else this.gates.set(conds[key].id, [ref]);
    } else {
      ref.place = Place.Always;
      this.always.add(ref);
    }
    ref.key = key;
    // the key field (and partner) hold whenever the branch is found through them (indexes answer them exactly)
    const rest = conds.filter((_, i) => i !== key && i !== partner).sort((a, b) => a.weight - b.weight);
    ref.rest = Int32Array.from(rest, (c) => c.id);
    ref.restCount = rest.length;
  }

  /** The gate of a branch: its most selective field that cannot hold when absent; -1 if none. */
  private pickGate(ref: Ref<T>): number {
    let best = -1;
    for (let i = 0; i < ref.fields.length; i++) {
      const f = ref.fields[i];
      if (f.allowAbsent || f.matchers.length === 0) continue;
      const c = ref.conds[i];
      if (best < 0) { best = i; continue; }
      const b = ref.conds[best];
      // equally selective: the gate more branches share costs fewer tests per event
      if (c.weight < b.weight || (c.weight === b.weight && (this.gates.get(c.id)?.length ?? 0) > (this.gates.get(b.id)?.length ?? 0))) best = i;
    }
    return best;
  }

  private unplace(ref: Ref<T>): void {
    switch (ref.place) {
      case Place.Bucket: this.unfile(ref); break;
      case Place.Pair: this.filePair(ref, false); break;
      case Place.Numeric: this.numeric.get(ref.slots[ref.key])?.remove(ref); break;
      case Place.Gate: {
        const id = ref.conds[ref.key].id;
        const list = this.gates.get(id);
        if (list) {
          const i = list.indexOf(ref);
          if (i >= 0) list.splice(i, 1);
          if (list.length === 0) this.gates.delete(id);
        }
        break;
      }
      case Place.Always: this.always.delete(ref); break;
      default: break;
    }
    ref.place = Place.None;
  }

  private bucket(slot: number): Bucket<T> {
    return (this.buckets[slot] ??= { slot, exact: null, lower: null, prefix: null, suffix: null, prefixLower: null, suffixLower: null });
  }

  private file(ref: Ref<T>, field: FieldSpec, slot: number): void {
    const b = this.bucket(slot);
    for (const m of field.matchers) {
      switch (m.k) {
        case K.Exact: (b.exact ??= new ExactIndex()).add(m.v, ref); break;
        case K.EqIgnoreCase: addTo(b.lower ??= new Map(), m.s, ref); break;
        case K.Prefix: (b.prefix ??= new AffixIndex(false)).add(m.s, ref); break;
        case K.Suffix: (b.suffix ??= new AffixIndex(true)).add(m.s, ref); break;
        case K.PrefixIgnoreCase: (b.prefixLower ??= new AffixIndex(false)).add(m.s, ref); break;
        case K.SuffixIgnoreCase: (b.suffixLower ??= new AffixIndex(true)).add(m.s, ref); break;
        default: break;
      }
    }
  }

  /** Files (or unfiles) a branch under every combination of its key and partner values. */
  private filePair(ref: Ref<T>, add: boolean): void {
    const b = this.bucket(ref.slots[ref.key]);
    const index = (b.exact ??= new ExactIndex());
    const slot = ref.slots[ref.partner];
    for (const mk of ref.fields[ref.key].matchers) {
      for (const mp of ref.fields[ref.partner].matchers) {
        const v = (mk as { v: Leaf }).v;
        const w = (mp as { v: Leaf }).v;
        if (add) index.addPair(v, slot, w, ref);
        else index.removePair(v, slot, w, ref);
      }
    }
  }

  private unfile(ref: Ref<T>): void {
    const b = this.buckets[ref.slots[ref.key]];
    if (!b) return;
    const drop = (list: Ref<T>[] | null | undefined): void => {
      if (!list) return;
      for (let i = list.length - 1; i >= 0; i--) if (list[i] === ref) list.splice(i, 1);
    };
    for (const m of ref.fields[ref.key].matchers) {
      switch (m.k) {
        case K.Exact: b.exact?.remove(m.v, ref); break;
        case K.EqIgnoreCase: drop(b.lower?.get(m.s)); if (b.lower?.get(m.s)?.length === 0) b.lower.delete(m.s); break;
        case K.Prefix: b.prefix?.remove(m.s, ref); break;
        case K.Suffix: b.suffix?.remove(m.s, ref); break;
        case K.PrefixIgnoreCase: b.prefixLower?.remove(m.s, ref); break;
        case K.SuffixIgnoreCase: b.suffixLower?.remove(m.s, ref); break;
        default: break;
      }
    }
  }
}

/** Only numeric ranges, and the field must be present: the numeric index answers it exactly. */
function isNumericField(f: FieldSpec): boolean {
  return !f.allowAbsent && f.matchers.length > 0 && f.matchers.every((m) => m.k === K.Numeric);
}

/** Exact values only, and the field must be present: a hash look-up answers it exactly. */
function isExactField(f: FieldSpec): boolean {
  return !f.allowAbsent && f.matchers.length > 0 && f.matchers.every((m) => m.k === K.Exact);
}

/** A branch is filed under at most this many (key, partner) value combinations. */
const MAX_PAIRS = 16;

/**
 * A second field to file an exact key field's branch under (exact-index.ts): another field of
 * exact values, the one listing the fewest; -1 when there is none or the combinations are too many.
 */
function pickPartner(fields: Branch, key: number): number {
  if (!isExactField(fields[key])) return -1;
  let best = -1;
  for (let i = 0; i < fields.length; i++) {
    if (i === key || !isExactField(fields[i])) continue;
    if (fields[i].matchers.length * fields[key].matchers.length > MAX_PAIRS) continue;
    if (best < 0 || fields[i].matchers.length < fields[best].matchers.length) best = i;
  }
  return best;
}

/**
 * The field a branch is filed under: one that cannot hold without one of its listed values
 * (every matcher indexable, no `exists: false`). Among those, the one whose index entries are
 * the fewest expected verifications per event — the branches already filed under the value, over
 * the field's distinct values — so that a rule naming `source` and `detail-type` is filed under
 * its rare `source` rather than under one of five detail types shared by thousands of rules.
 * An affix costs more than an exact value (it matches more), an empty affix most. -1 if none.
 */
function pickKeyField(fields: Branch, slots: Int32Array, set: { crowd(slot: number, m: Matcher): number; distinct(slot: number): number }): number {
  let best = -1;
  let bestCost = Infinity;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    if (f.allowAbsent || f.matchers.length === 0) continue;
    let cost = 0;
    for (const m of f.matchers) {
      if (!INDEXABLE.has(m.k)) { cost = Infinity; break; }
      const weight = m.k === K.Exact || m.k === K.EqIgnoreCase ? 1 : 's' in m && m.s.length > 0 ? 4 : 1000;
      // expected verifications per event: the branches under the value, times the chance that an
      // event holds that value (about one over the field's distinct values)
      cost += (weight * (1 + set.crowd(slots[i], m))) / (1 + set.distinct(slots[i]));
    }
    if (cost < bestCost) { best = i; bestCost = cost; }
  }
  return best;
}

function addTo<K2, T>(map: Map<K2, Ref<T>[]>, key: K2, ref: Ref<T>): void {
  const list = map.get(key);
  if (list) list.push(ref);
  else map.set(key, [ref]);
}

function visitList<R>(refs: R[] | undefined, visit: (ref: R) => void): void {
  if (refs) for (let i = 0; i < refs.length; i++) visit(refs[i]);
}
