/**
 * @module core/patterns/event
 * Collecting the leaves of an event that patterns look at, and SNS attributes as an event.
 *
 * Patterns name leaves by dotted paths (`detail.state`). Rather than flattening the whole event,
 * we walk it guided by a trie of the paths some pattern needs, using direct property look-ups
 * (no key iteration, no string building). Each trie node knows every event key that can continue
 * a needed path: for `a.b.c` the root accepts `a`, `a.b` and `a.b.c`, because AWS also matches
 * keys that themselves contain dots (`{"a.b": {"c": 1}}`) — a documented event-ruler quirk.
 *
 * Arrays are "crushed": a leaf inside an array is a leaf of the field. To keep AWS's array
 * consistency (two fields of one pattern cannot be satisfied by different elements of the same
 * array of objects), a leaf reached through array elements carries a chain of (array id, index).
 * Arrays of plain values need no chain: two different paths never share them.
 */
import type { Leaf } from './matchers.js';
import type { SnsMessageAttributes } from './types.js';

/** (array, element) steps from the event root to a leaf; null when no array of objects is crossed. */
export interface Chain { readonly id: number; readonly idx: number; readonly parent: Chain | null }

interface Node {
  slot: number;
  keys: string[];
  next: Node[];
  /** the key is also an Object.prototype member: an own-property check is needed */
  risky: boolean[];
}

const hasOwn = Object.prototype.hasOwnProperty;

/** The paths a pattern (or a whole PatternSet) needs, each with a leaf slot. */
export class PathTrie {
  private readonly root: Node = newNode();

  constructor(paths: Iterable<[path: string, slot: number]>) {
    const byPrefix = new Map<string, Node>([['', this.root]]);
    for (const [path, slot] of paths) {
      const segs = path.split('.');
      for (let i = 0; i < segs.length; i++) {
        const from = byPrefix.get(segs.slice(0, i).join('.'));
        if (!from) continue; // unreachable: prefixes are created in order
        for (let j = i + 1; j <= segs.length; j++) {
          const prefix = segs.slice(0, j).join('.');
          let to = byPrefix.get(prefix);
          if (!to) { to = newNode(); byPrefix.set(prefix, to); }
          const key = segs.slice(i, j).join('.');
          if (!from.keys.includes(key)) {
            from.keys.push(key);
            from.next.push(to);
            from.risky.push(key in Object.prototype);
          }
        }
      }
      byPrefix.get(path)!.slot = slot;
    }
  }

  /** Fills `store` with the leaves of `event` (a plain object) at every needed path. */
  collect(event: object, store: LeafStore): void {
    store.arrays = 0;
    visit(event, this.root, null, store);
  }
}

function newNode(): Node {
  return { slot: -1, keys: [], next: [], risky: [] };
}

function visit(v: unknown, node: Node, chain: Chain | null, store: LeafStore): void {
  if (v === null || typeof v !== 'object') {
    if (node.slot >= 0 && v !== undefined && typeof v !== 'function') store.push(node.slot, v as Leaf, chain);
    return;
  }
  if (Array.isArray(v)) {
    // elements that are objects or arrays get their own chain step only if a path continues below
    const deeper = node.keys.length > 0;
    const id = deeper ? ++store.arrays : 0;
    for (let i = 0; i < v.length; i++) {
      const e: unknown = v[i];
      if (deeper && e !== null && typeof e === 'object') visit(e, node, { id, idx: i, parent: chain }, store);
      else visit(e, node, chain, store);
    }
    return;
  }
  const keys = node.keys;
  for (let i = 0; i < keys.length; i++) {
    const child = (v as Record<string, unknown>)[keys[i]];
    if (child === undefined) continue;
    if (node.risky[i] && !hasOwn.call(v, keys[i])) continue;
    visit(child, node.next[i], chain, store);
  }
}

/**
 * Leaves by slot, reused from match to match (only the slots touched are reset), so collecting
 * an event allocates nothing in the common case.
 */
export class LeafStore {
  vals: Leaf[][] = [];
  chains: (Chain | null)[][] = [];
  count: number[] = [];
  /** slots written since the last reset (a stack with its own length: no array resizing) */
  private touched: number[] = [];
  private touchedLen = 0;
  /** some leaf crossed an array of objects: array consistency must be checked */
  anyChain = false;
  arrays = 0;

  constructor(slots = 0) {
    this.ensure(slots);
  }

  ensure(slots: number): void {
    while (this.count.length < slots) {
      this.vals.push([]);
      this.chains.push([]);
      this.count.push(0);
    }
  }

  push(slot: number, v: Leaf, chain: Chain | null): void {
    const n = this.count[slot];
    if (n === 0) this.touched[this.touchedLen++] = slot;
    this.vals[slot][n] = v;
    this.chains[slot][n] = chain;
    this.count[slot] = n + 1;
    if (chain !== null) this.anyChain = true;
  }

  /** Forgets the leaves (stale entries beyond `count` are never read, so they are not cleared). */
  reset(): void {
    for (let i = 0; i < this.touchedLen; i++) this.count[this.touched[i]] = 0;
    this.touchedLen = 0;
    this.anyChain = false;
  }
}

/**
 * Publish's message attributes as the object an attribute-scope filter policy is matched against:
 * String → string, Number → number, String.Array → the parsed JSON array. Binary attributes (and
 * malformed values, which Publish rejects anyway) are left out: SNS filter policies ignore them.
 */
export function snsAttributesToEvent(attrs: SnsMessageAttributes | undefined): Record<string, unknown> {
  // no prototype: an attribute named "__proto__" stays an ordinary attribute
  const out = Object.create(null) as Record<string, unknown>;
  if (!attrs) return out;
  for (const name of Object.keys(attrs)) {
    const a = attrs[name];
    const type = a.DataType ?? '';
    const text = a.StringValue;
    if (text === undefined) continue;
    if (type === 'String' || type.startsWith('String.')) {
      if (type === 'String.Array') {
        try {
          const arr: unknown = JSON.parse(text);
          if (Array.isArray(arr)) out[name] = arr;
        } catch {
          // not an array: SNS would have refused the Publish
        }
      } else {
        out[name] = text;
      }
    } else if (type === 'Number' || type.startsWith('Number.')) {
      const n = Number(text);
      if (text.trim() !== '' && Number.isFinite(n)) out[name] = n;
    }
  }
  return out;
}
