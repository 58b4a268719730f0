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
 *     (hash map of lower-cased values), prefix / suffix (character tries walked along the value,
 *     forwards or backwards), and their ignore-case forms. The most selective such field wins.
 *  3. Matching looks the event's leaves up in those indexes; only the branches found there
 *     (plus the few branches with no indexable field: only anything-but, numeric, exists, cidr or
 *     wildcard) are verified, with the very routine a pattern uses alone (`matchBranch`).
 * Since the key field is a necessary condition of its branch and verification is the single
 * pattern's own code, the answers are exactly those of matching each pattern alone. Patterns
 * that are not ours (any other `CompiledPattern`) are simply called.
 */
import { Compiled, asEventObject, matchBranch } from './compiled.js';
import { LeafStore, PathTrie } from './event.js';
import type { Branch, FieldSpec } from './grammar.js';
import { K, type Leaf, type Matcher } from './matchers.js';
import type { CompiledPattern, PatternSet } from './types.js';

interface Entry<T> { id: string; seq: number; pattern: CompiledPattern; value: T; mark: number; refs: Ref<T>[]; paths: string[] }
interface Ref<T> { entry: Entry<T>; fields: Branch; slots: Int32Array; mark: number; bucket: Bucket<T> | null; key: number }

interface Trie<T> { refs: Ref<T>[] | null; next: Map<number, Trie<T>> | null }
interface Bucket<T> {
  slot: number;
  exact: Map<Leaf, Ref<T>[]> | null;
  lower: Map<string, Ref<T>[]> | null;
  prefix: Trie<T> | null;
  suffix: Trie<T> | null;
  prefixLower: Trie<T> | null;
  suffixLower: Trie<T> | null;
}

const INDEXABLE = new Set([K.Exact, K.EqIgnoreCase, K.Prefix, K.Suffix, K.PrefixIgnoreCase, K.SuffixIgnoreCase]);

export function createPatternSet<T>(): PatternSet<T> {
  return new IndexedPatternSet<T>();
}

class IndexedPatternSet<T> implements PatternSet<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly unindexed = new Set<Ref<T>>();
  private readonly foreign = new Set<Entry<T>>();
  private readonly slotOf = new Map<string, { slot: number; users: number }>();
  private readonly freeSlots: number[] = [];
  private readonly buckets: Bucket<T>[] = [];
  private readonly store = new LeafStore();
  private trie: PathTrie | null = null;
  private seq = 0;
  private epoch = 0;
  /** at this many patterns every branch is filed again, with what the set now knows (doubles each time) */
  private refileAt = 64;

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
      const key = pickKeyField(fields, slots, this);
      const ref: Ref<T> = { entry, fields, slots, mark: 0, bucket: null, key };
      entry.refs.push(ref);
      if (key < 0) this.unindexed.add(ref);
      else this.file(ref, fields[key], slots[key]);
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
    const refs: Ref<T>[] = [];
    for (const e of this.entries.values()) for (const ref of e.refs) refs.push(ref);
    for (const ref of refs) {
      if (ref.bucket) this.unfile(ref);
      else this.unindexed.delete(ref);
    }
    for (const ref of refs) {
      ref.key = pickKeyField(ref.fields, ref.slots, this);
      if (ref.key < 0) this.unindexed.add(ref);
      else this.file(ref, ref.fields[ref.key], ref.slots[ref.key]);
    }
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
      if (ref.bucket) this.unfile(ref);
      else this.unindexed.delete(ref);
    }
    for (const p of entry.paths) this.releaseSlot(p);
  }

  match(event: unknown): T[] {
    const obj = asEventObject(event);
    const epoch = ++this.epoch;
    const found: Entry<T>[] = [];
    if (obj !== null && this.slotOf.size > 0) {
      this.trie ??= new PathTrie([...this.slotOf].map(([p, s]) => [p, s.slot] as [string, number]));
      this.trie.collect(obj, this.store);
      try {
        const st = this.store;
        const verify = (refs: Ref<T>[] | null | undefined): void => {
          if (!refs) return;
          for (const ref of refs) {
            if (ref.mark === epoch || ref.entry.mark === epoch) continue;
            ref.mark = epoch;
            if (matchBranch(ref.fields, ref.slots, st)) {
              ref.entry.mark = epoch;
              found.push(ref.entry);
            }
          }
        };
        for (const b of this.buckets) {
          if (b === undefined) continue;
          const n = st.count[b.slot];
          const vals = st.vals[b.slot];
          for (let j = 0; j < n; j++) {
            const v = vals[j];
            if (b.exact) verify(b.exact.get(v));
            if (typeof v !== 'string') continue;
            if (b.prefix) walk(b.prefix, v, false, verify);
            if (b.suffix) walk(b.suffix, v, true, verify);
            if (b.lower || b.prefixLower || b.suffixLower) {
              const lower = v.toLowerCase();
              if (b.lower) verify(b.lower.get(lower));
              if (b.prefixLower) walk(b.prefixLower, lower, false, verify);
              if (b.suffixLower) walk(b.suffixLower, lower, true, verify);
            }
          }
        }
        for (const ref of this.unindexed) {
          if (ref.entry.mark === epoch) continue;
          if (matchBranch(ref.fields, ref.slots, st)) {
            ref.entry.mark = epoch;
            found.push(ref.entry);
          }
        }
      } finally {
        this.store.reset();
      }
    }
    for (const entry of this.foreign) if (entry.pattern.matches(event)) found.push(entry);
    // the order of `add`, like a loop over the patterns would give
    found.sort((a, b) => a.seq - b.seq);
    return found.map((e) => e.value);
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
      case K.Exact: return b.exact?.get(m.v)?.length ?? 0;
      case K.EqIgnoreCase: return b.lower?.get(m.s)?.length ?? 0;
      case K.Prefix: return findNode(b.prefix, m.s, false)?.refs?.length ?? 0;
      case K.Suffix: return findNode(b.suffix, m.s, true)?.refs?.length ?? 0;
      case K.PrefixIgnoreCase: return findNode(b.prefixLower, m.s, false)?.refs?.length ?? 0;
      case K.SuffixIgnoreCase: return findNode(b.suffixLower, m.s, true)?.refs?.length ?? 0;
      default: return 0;
    }
  }

  private bucket(slot: number): Bucket<T> {
    return (this.buckets[slot] ??= { slot, exact: null, lower: null, prefix: null, suffix: null, prefixLower: null, suffixLower: null });
  }

  private file(ref: Ref<T>, field: FieldSpec, slot: number): void {
    const b = this.bucket(slot);
    ref.bucket = b;
    for (const m of field.matchers) {
      switch (m.k) {
        case K.Exact: addTo(b.exact ??= new Map(), m.v, ref); break;
        case K.EqIgnoreCase: addTo(b.lower ??= new Map(), m.s, ref); break;
        case K.Prefix: addToTrie(b.prefix ??= newTrie(), m.s, false, ref); break;
        case K.Suffix: addToTrie(b.suffix ??= newTrie(), m.s, true, ref); break;
        case K.PrefixIgnoreCase: addToTrie(b.prefixLower ??= newTrie(), m.s, false, ref); break;
        case K.SuffixIgnoreCase: addToTrie(b.suffixLower ??= newTrie(), m.s, true, ref); break;
        default: break;
      }
    }
  }

  private unfile(ref: Ref<T>): void {
    const b = ref.bucket!;
    const drop = (list: Ref<T>[] | null | undefined): void => {
      if (!list) return;
      for (let i = list.length - 1; i >= 0; i--) if (list[i] === ref) list.splice(i, 1);
    };
    for (const m of ref.fields[ref.key].matchers) {
      switch (m.k) {
        case K.Exact: drop(b.exact?.get(m.v)); if (b.exact?.get(m.v)?.length === 0) b.exact.delete(m.v); break;
        case K.EqIgnoreCase: drop(b.lower?.get(m.s)); if (b.lower?.get(m.s)?.length === 0) b.lower.delete(m.s); break;
        case K.Prefix: if (b.prefix) drop(trieNode(b.prefix, m.s, false).refs); break;
        case K.Suffix: if (b.suffix) drop(trieNode(b.suffix, m.s, true).refs); break;
        case K.PrefixIgnoreCase: if (b.prefixLower) drop(trieNode(b.prefixLower, m.s, false).refs); break;
        case K.SuffixIgnoreCase: if (b.suffixLower) drop(trieNode(b.suffixLower, m.s, true).refs); break;
        default: break;
      }
    }
    ref.bucket = null;
  }
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

function addToTrie<T>(root: Trie<T>, s: string, backwards: boolean, ref: Ref<T>): void {
  const node = trieNode(root, s, backwards);
  (node.refs ??= []).push(ref);
}

function newTrie<T>(): Trie<T> {
  return { refs: null, next: null };
}

/** The trie node for `s` (read backwards for suffixes), created on the way. */
function trieNode<T>(root: Trie<T>, s: string, backwards: boolean): Trie<T> {
  let node = root;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(backwards ? s.length - 1 - i : i);
    node.next ??= new Map();
    let child = node.next.get(c);
    if (!child) { child = newTrie(); node.next.set(c, child); }
    node = child;
  }
  return node;
}

/** The trie node for `s`, if it exists (probing must not grow the trie). */
function findNode<T>(root: Trie<T> | null, s: string, backwards: boolean): Trie<T> | undefined {
  let node: Trie<T> | undefined = root ?? undefined;
  for (let i = 0; node && i < s.length; i++) node = node.next?.get(s.charCodeAt(backwards ? s.length - 1 - i : i));
  return node;
}

/** Visits every filed affix that `v` starts (or ends) with. */
function walk<T>(root: Trie<T>, v: string, backwards: boolean, visit: (refs: Ref<T>[] | null) => void): void {
  let node: Trie<T> | undefined = root;
  visit(node.refs);
  for (let i = 0; i < v.length && node.next; i++) {
    node = node.next.get(v.charCodeAt(backwards ? v.length - 1 - i : i));
    if (!node) return;
    visit(node.refs);
  }
}
