/**
 * @module core/patterns/affix-trie
 * Character tries of the prefixes (or, read backwards, suffixes) filed in a PatternSet bucket:
 * walking an event value down the trie visits every filed affix the value starts (ends) with, in
 * as many steps as the value has characters, however many affixes are filed.
 */
export interface Trie<R> { refs: R[] | null; next: Map<number, Trie<R>> | null }

export function newTrie<R>(): Trie<R> {
  return { refs: null, next: null };
}

export function addToTrie<R>(root: Trie<R>, s: string, backwards: boolean, ref: R): void {
  const node = trieNode(root, s, backwards);
  (node.refs ??= []).push(ref);
}

/** The trie node for `s` (read backwards for suffixes), created on the way. */
export function trieNode<R>(root: Trie<R>, s: string, backwards: boolean): Trie<R> {
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
export function findNode<R>(root: Trie<R> | null, s: string, backwards: boolean): Trie<R> | undefined {
  let node: Trie<R> | undefined = root ?? undefined;
  for (let i = 0; node && i < s.length; i++) node = node.next?.get(s.charCodeAt(backwards ? s.length - 1 - i : i));
  return node;
}

/** Visits the refs of every filed affix that `v` starts (or ends) with. */
export function walk<R>(root: Trie<R>, v: string, backwards: boolean, visit: (ref: R) => void): void {
  let node: Trie<R> | undefined = root;
  visitAll(node.refs, visit);
  for (let i = 0; i < v.length && node.next; i++) {
    node = node.next.get(v.charCodeAt(backwards ? v.length - 1 - i : i));
    if (!node) return;
    visitAll(node.refs, visit);
  }
}

export function visitAll<R>(refs: R[] | null | undefined, visit: (ref: R) => void): void {
  if (refs) for (let i = 0; i < refs.length; i++) visit(refs[i]);
}
