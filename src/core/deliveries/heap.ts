/**
 * @module core/deliveries/heap
 * A binary min-heap of jobs by due time: the retry schedule. One timer is armed for the top
 * instead of one timer per job, so a million waiting retries cost one timer.
 */
export class MinHeap<T> {
  private readonly a: T[] = [];
  constructor(private readonly key: (x: T) => number) {}

  get size(): number {
    return this.a.length;
  }

  peek(): T | undefined {
    return this.a[0];
  }

  push(x: T): void {
    const a = this.a;
    a.push(x);
    let i = a.length - 1;
    const k = this.key(x);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.key(a[p]) <= k) break;
      a[i] = a[p];
      i = p;
    }
    a[i] = x;
  }

  pop(): T | undefined {
    const a = this.a;
    if (a.length === 0) return undefined;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      let i = 0;
      const k = this.key(last);
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const r = l + 1;
        const c = r < a.length && this.key(a[r]) < this.key(a[l]) ? r : l;
        if (this.key(a[c]) >= k) break;
        a[i] = a[c];
        i = c;
      }
      a[i] = last;
    }
    return top;
  }

  /** removes every item (stop, parking) */
  drain(): T[] {
    return this.a.splice(0, this.a.length);
  }
}
