/**
 * @module core/deliveries/throttle
 * One lane per (kind, target): the jobs that are due for that target, in order, and the limits
 * that hold them back, concurrency (attempts in flight) and a token-bucket rate. A job over a
 * limit waits in its lane; nothing is ever dropped here. Lanes are independent, so a slow or
 * rate-limited target only ever delays its own jobs.
 */
import type { Throttle } from './types.js';

export const DEFAULT_THROTTLE: Throttle = { concurrency: 32 };

/** A FIFO with O(1) push and shift (an array with a moving head, compacted now and then). */
export class Fifo<T> {
  private items: T[] = [];
  private head = 0;
  get length(): number {
    return this.items.length - this.head;
  }
  push(x: T): void {
    this.items.push(x);
  }
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const x = this.items[this.head];
    this.items[this.head++] = undefined as T;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return x;
  }
  /** removes and returns every item (stop, parking) */
  drain(): T[] {
    const out = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    return out;
  }
}

export class Lane<T> {
  readonly queue = new Fifo<T>();
  inFlight = 0;
  readonly concurrency: number;
  /** tokens per ms; 0 = no rate limit */
  private readonly rate: number;
  private readonly burst: number;
  private tokens: number;
  private refilledAt: number;
  /** a timer is set to come back when the next token is due */
  timer: NodeJS.Timeout | undefined;

  constructor(
    readonly key: string,
    readonly kind: string,
    readonly target: string,
    throttle: Throttle,
    now: number,
  ) {
    this.concurrency = Math.max(1, Math.floor(throttle.concurrency || DEFAULT_THROTTLE.concurrency));
    const rps = throttle.ratePerSecond;
    this.rate = rps && rps > 0 ? rps / 1000 : 0;
    this.burst = Math.max(1, throttle.burst ?? 1);
    this.tokens = this.burst;
    this.refilledAt = now;
  }

  /**
   * May one more attempt start now? 0 = yes (and a token is taken); otherwise the ms to wait for
   * a token, or Infinity when the lane is simply full (an attempt finishing will call again).
   */
  acquire(now: number): number {
    if (this.inFlight >= this.concurrency) return Infinity;
    if (this.rate === 0) return 0;
    if (now > this.refilledAt) {
      this.tokens = Math.min(this.burst, this.tokens + (now - this.refilledAt) * this.rate);
      this.refilledAt = now;
    }
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - this.tokens) / this.rate));
  }

  get idle(): boolean {
    return this.inFlight === 0 && this.queue.length === 0 && !this.timer;
  }
}
