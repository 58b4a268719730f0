/**
 * @module core/patterns/affix-index
 * The prefixes (or suffixes) filed in a PatternSet bucket, found from an event value.
 *
 * Affixes are grouped by length, one hash map per length, keyed by a small integer hash of the
 * affix. A value is read once, character by character, updating the hash of its prefix (suffix)
 * so far; at each filed length the map is probed with that integer. Real rule sets use a handful
 * of distinct lengths (`arn:aws:s3:::`, `com.example.`), so a value costs one pass over its
 * characters and a few integer look-ups. (A character trie cost one object per character, far
 * apart in memory; slicing the value per length cost a new string, hashed from scratch, per probe.)
 * A hash hit is confirmed with startsWith / endsWith, so collisions cost time, never answers.
 */
interface Filed<R> { affix: string; refs: R[] }

/** Kept within V8's small integers, which Map hashes without boxing. */
const HASH_MASK = 0x3fffffff;
/** Bits of the filter of filed (length, hash) pairs; a clear bit saves a map probe. */
const FILTER_BITS = 1 << 16;

function filterBit(len: number, h: number): number {
  return (h ^ Math.imul(len, 0x9e3779b1)) & (FILTER_BITS - 1);
}

export class AffixIndex<R> {
  /** ascending distinct lengths, and the map of each (same positions) */
  private lengths: number[] = [];
  private maps: Map<number, Filed<R>[]>[] = [];
  /**
   * Most probes miss (a value is rarely a filed affix at every filed length): one bit per
   * (length, hash) says "maybe filed". Bits are only set; a stale one costs a probe, never an answer.
   */
  private readonly filter = new Uint8Array(FILTER_BITS >> 3);

  constructor(private readonly backwards: boolean) {}

  add(affix: string, ref: R): void {
    const map = this.mapFor(affix.length, true)!;
    const h = this.hash(affix);
    const bit = filterBit(affix.length, h);
    this.filter[bit >> 3] |= 1 << (bit & 7);
    const filed = map.get(h);
    const found = filed?.find((f) => f.affix === affix);
    if (found) found.refs.push(ref);
    else if (filed) filed.push({ affix, refs: [ref] });
    else map.set(h, [{ affix, refs: [ref] }]);
  }

  remove(affix: string, ref: R): void {
    const map = this.mapFor(affix.length, false);
    if (!map) return;
    const h = this.hash(affix);
    const filed = map.get(h);
    const found = filed?.find((f) => f.affix === affix);
    if (!filed || !found) return;
    const refs = found.refs;
    for (let i = refs.length - 1; i >= 0; i--) if (refs[i] === ref) refs.splice(i, 1);
    if (refs.length > 0) return;
    filed.splice(filed.indexOf(found), 1);
    if (filed.length > 0) return;
    map.delete(h);
    if (map.size > 0) return;
    const at = this.maps.indexOf(map);
    this.lengths.splice(at, 1);
    this.maps.splice(at, 1);
  }

  /** How many refs are filed under exactly this affix. */
  count(affix: string): number {
    return this.mapFor(affix.length, false)?.get(this.hash(affix))?.find((f) => f.affix === affix)?.refs.length ?? 0;
  }

  /** Visits the refs of every filed affix that `v` starts (or ends) with. */
  visit(v: string, visit: (ref: R) => void): void {
    const lengths = this.lengths;
    const count = lengths.length;
    if (count === 0) return;
    const n = v.length;
    let at = 0;
    if (lengths[0] === 0) this.visitFiled(this.maps[0].get(0), v, visit), at++;
    const filter = this.filter;
    let h = 0;
    for (let i = 0; i < n && at < count; i++) {
      h = (Math.imul(h, 31) + v.charCodeAt(this.backwards ? n - 1 - i : i)) & HASH_MASK;
      if (i + 1 !== lengths[at]) continue;
      const bit = filterBit(i + 1, h);
      if ((filter[bit >> 3] & (1 << (bit & 7))) !== 0) this.visitFiled(this.maps[at].get(h), v, visit);
      at++;
    }
  }

  private visitFiled(filed: Filed<R>[] | undefined, v: string, visit: (ref: R) => void): void {
    if (filed === undefined) return;
    for (let i = 0; i < filed.length; i++) {
      const f = filed[i];
      if (this.backwards ? !v.endsWith(f.affix) : !v.startsWith(f.affix)) continue;
      for (let j = 0; j < f.refs.length; j++) visit(f.refs[j]);
    }
  }

  /** The same hash `visit` computes incrementally. */
  private hash(affix: string): number {
    const n = affix.length;
    let h = 0;
    for (let i = 0; i < n; i++) h = (Math.imul(h, 31) + affix.charCodeAt(this.backwards ? n - 1 - i : i)) & HASH_MASK;
    return h;
  }

  private mapFor(len: number, create: boolean): Map<number, Filed<R>[]> | undefined {
    let lo = 0;
    let hi = this.lengths.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.lengths[mid] < len) lo = mid + 1;
      else hi = mid;
    }
    if (this.lengths[lo] === len) return this.maps[lo];
    if (!create) return undefined;
    const map = new Map<number, Filed<R>[]>();
    this.lengths.splice(lo, 0, len);
    this.maps.splice(lo, 0, map);
    return map;
  }
}
