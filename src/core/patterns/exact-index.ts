/**
 * @module core/patterns/exact-index
 * The branches filed under the exact values of one field (`source` → "aws.ec2" → [branches]), and
 * under pairs of exact values: `source` → "aws.ec2" → `detail-type` → "EC2 Instance State-change
 * Notification" → [branches].
 *
 * Most real rules name a `source` and a `detail-type`, both as exact values. Filed under one of
 * them, every rule of a busy source is a candidate for each of its events and has its other field
 * tested; filed under both, the look-ups find only the rules both values allow, so a typical rule
 * costs no test at all. The second level hangs off the first value's node, so an event pays for
 * it only when its first value is filed, and one look-up finds both the single and the paired
 * branches of a value.
 */
import type { LeafStore } from './event.js';
import type { Leaf } from './matchers.js';

interface Node<R> {
  /** filed under this value alone */
  refs: R[];
  /** filed under this value and a value of another field (by that field's slot) */
  pairs: { slot: number; byValue: Map<Leaf, R[]> }[];
}

export class ExactIndex<R> {
  private readonly map = new Map<Leaf, Node<R>>();

  /** Distinct values filed. */
  get size(): number {
    return this.map.size;
  }

  add(v: Leaf, ref: R): void {
    this.node(v).refs.push(ref);
  }

  addPair(v: Leaf, slot: number, w: Leaf, ref: R): void {
    const node = this.node(v);
    let pair = node.pairs.find((p) => p.slot === slot);
    if (!pair) node.pairs.push((pair = { slot, byValue: new Map() }));
    const list = pair.byValue.get(w);
    if (list) list.push(ref);
    else pair.byValue.set(w, [ref]);
  }

  remove(v: Leaf, ref: R): void {
    const node = this.map.get(v);
    if (!node) return;
    drop(node.refs, ref);
    this.prune(v, node);
  }

  removePair(v: Leaf, slot: number, w: Leaf, ref: R): void {
    const node = this.map.get(v);
    const at = node ? node.pairs.findIndex((p) => p.slot === slot) : -1;
    if (!node || at < 0) return;
    const byValue = node.pairs[at].byValue;
    const list = byValue.get(w);
    if (list) {
      drop(list, ref);
      if (list.length === 0) byValue.delete(w);
    }
    if (byValue.size === 0) node.pairs.splice(at, 1);
    this.prune(v, node);
  }

  /** Branches filed under `v` alone (paired ones are found only with their second value). */
  count(v: Leaf): number {
    return this.map.get(v)?.refs.length ?? 0;
  }

  /** Visits the branches filed under `v`, alone or paired with a value the event holds. */
  visit(v: Leaf, st: LeafStore, visit: (ref: R) => void): void {
    const node = this.map.get(v);
    if (node === undefined) return;
    const refs = node.refs;
    for (let i = 0; i < refs.length; i++) visit(refs[i]);
    const pairs = node.pairs;
    for (let i = 0; i < pairs.length; i++) {
      const p = pairs[i];
      const n = st.count[p.slot];
      const vals = st.vals[p.slot];
      for (let j = 0; j < n; j++) {
        const list = p.byValue.get(vals[j]);
        if (list !== undefined) for (let k = 0; k < list.length; k++) visit(list[k]);
      }
    }
  }

  private node(v: Leaf): Node<R> {
    let node = this.map.get(v);
    if (!node) this.map.set(v, (node = { refs: [], pairs: [] }));
    return node;
  }

  private prune(v: Leaf, node: Node<R>): void {
    if (node.refs.length === 0 && node.pairs.length === 0) this.map.delete(v);
  }
}

function drop<R>(list: R[], ref: R): void {
  for (let i = list.length - 1; i >= 0; i--) if (list[i] === ref) list.splice(i, 1);
}
