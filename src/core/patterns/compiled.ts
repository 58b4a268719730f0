/**
 * @module core/patterns/compiled
 * A compiled pattern, and the one branch-matching routine both it and the PatternSet use.
 *
 * Matching a branch is event-ruler's array-consistent search: fields are visited in sorted path
 * order; each picks a leaf that satisfies one of its matchers and whose array positions agree
 * with the leaves already picked; `exists: false` holds when no leaf at that path agrees with
 * the positions picked so far. When no leaf of the event crossed an array of objects (the usual
 * case) every leaf agrees with every other and the search is a plain loop over fields.
 * Sharing this routine is what makes a PatternSet give exactly the answers of each pattern alone.
 */
import { type Chain, LeafStore, PathTrie } from './event.js';
import type { Branch } from './grammar.js';
import { type Leaf, type Matcher, testMatcher } from './matchers.js';
import type { CompiledPattern } from './types.js';

export type Language = 'EventPattern' | 'FilterPolicy:MessageAttributes' | 'FilterPolicy:MessageBody';

export class Compiled implements CompiledPattern {
  /** distinct field paths, in first-seen order */
  readonly paths: string[];
  private readonly slots: Int32Array[];
  private readonly trie: PathTrie;
  private readonly store: LeafStore;

  /**
   * @param matchAll an SNS policy of `{}`: no filtering at all (every message, JSON or not)
   */
  constructor(
    readonly source: string, readonly language: Language, readonly branches: readonly Branch[], readonly matchAll = false,
  ) {
    const index = new Map<string, number>();
    for (const b of branches) for (const f of b) if (!index.has(f.path)) index.set(f.path, index.size);
    this.paths = [...index.keys()];
    this.slots = branches.map((b) => Int32Array.from(b, (f) => index.get(f.path)!));
    this.trie = new PathTrie(index.entries());
    this.store = new LeafStore(index.size);
  }

  matches(event: unknown): boolean {
    if (this.matchAll) return true;
    const obj = asEventObject(event);
    if (obj === null) return false;
    this.trie.collect(obj, this.store);
    try {
      for (let i = 0; i < this.branches.length; i++) {
        if (matchBranch(this.branches[i], this.slots[i], this.store)) return true;
      }
      return false;
    } finally {
      this.store.reset();
    }
  }
}

/**
 * Events are JSON objects. A JSON string is parsed (SNS bodies arrive as text); anything else —
 * a non-JSON body, an array, a scalar — matches nothing, as SNS does for MessageBody policies.
 */
export function asEventObject(event: unknown): object | null {
  let v = event;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      return null;
    }
  }
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : null;
}

function anyMatch(matchers: Matcher[], v: Leaf): boolean {
  for (let i = 0; i < matchers.length; i++) if (testMatcher(matchers[i], v)) return true;
  return false;
}

export function matchBranch(fields: Branch, slots: Int32Array, st: LeafStore): boolean {
  if (!st.anyChain) {
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i];
      const s = slots[i];
      const n = st.count[s];
      if (n === 0) {
        if (!f.allowAbsent) return false;
        continue;
      }
      const vals = st.vals[s];
      let ok = false;
      for (let j = 0; j < n && !ok; j++) ok = anyMatch(f.matchers, vals[j]);
      if (!ok) return false;
    }
    return true;
  }
  memLen = 0;
  return search(fields, slots, st, 0);
}

// The (array id, index) pairs chosen so far in the array-consistent search; a stack, so that
// backtracking is a length reset and the search allocates nothing.
let memIds = new Int32Array(64);
let memIdx = new Int32Array(64);
let memLen = 0;

function consistent(c: Chain | null): boolean {
  for (; c !== null; c = c.parent) {
    for (let k = 0; k < memLen; k++) if (memIds[k] === c.id && memIdx[k] !== c.idx) return false;
  }
  return true;
}

function remember(c: Chain | null): void {
  for (; c !== null; c = c.parent) {
    let known = false;
    for (let k = 0; k < memLen && !known; k++) known = memIds[k] === c.id;
    if (known) continue;
    if (memLen === memIds.length) {
      const ids = new Int32Array(memLen * 2); ids.set(memIds); memIds = ids;
      const idx = new Int32Array(memLen * 2); idx.set(memIdx); memIdx = idx;
    }
    memIds[memLen] = c.id;
    memIdx[memLen++] = c.idx;
  }
}

function search(fields: Branch, slots: Int32Array, st: LeafStore, i: number): boolean {
  if (i === fields.length) return true;
  const f = fields[i];
  const s = slots[i];
  const n = st.count[s];
  const vals = st.vals[s];
  const chains = st.chains[s];
  if (f.allowAbsent) {
    let seen = false;
    for (let j = 0; j < n && !seen; j++) seen = consistent(chains[j]);
    if (!seen && search(fields, slots, st, i + 1)) return true;
  }
  for (let j = 0; j < n; j++) {
    const c = chains[j];
    if (!consistent(c) || !anyMatch(f.matchers, vals[j])) continue;
    const saved = memLen;
    remember(c);
    if (search(fields, slots, st, i + 1)) return true;
    memLen = saved;
  }
  return false;
}
