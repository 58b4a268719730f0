/**
 * @module services/queues/waiters
 * Long polling without blocking the event loop: a ReceiveMessage that found nothing parks here
 * (a promise and a timer, no polling of the store) until a message may be there for it.
 *
 * Who wakes a queue's waiters: a send to the queue, a message made visible again
 * (ChangeMessageVisibility, redrive into a dead-letter queue, a move task), and each waiter's own
 * timer, set to when the next delayed or in-flight message becomes visible. A woken waiter just
 * tries to receive again, so a spurious wake-up costs one query. `stop()` answers everyone (with
 * no messages) so that shutdown never waits for a 20-second poll.
 */
export class Waiters {
  private readonly byQueue = new Map<number, Set<() => void>>();
  private stopped = false;

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Resolves when `queueId` is notified, after `ms`, or at stop, whichever comes first. */
  wait(queueId: number, ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise<void>((resolve) => {
      let set = this.byQueue.get(queueId);
      if (!set) this.byQueue.set(queueId, (set = new Set()));
      const done = (): void => {
        clearTimeout(timer);
        const s = this.byQueue.get(queueId);
        if (s) {
          s.delete(done);
          if (s.size === 0) this.byQueue.delete(queueId);
        }
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      set.add(done);
    });
  }

  /** Something may be receivable on `queueId` now. */
  notify(queueId: number): void {
    const set = this.byQueue.get(queueId);
    if (!set) return;
    for (const done of [...set]) done();
  }

  /** How many receives are parked (tests, diagnostics). */
  count(queueId?: number): number {
    if (queueId !== undefined) return this.byQueue.get(queueId)?.size ?? 0;
    let n = 0;
    for (const s of this.byQueue.values()) n += s.size;
    return n;
  }

  stop(): void {
    this.stopped = true;
    for (const set of [...this.byQueue.values()]) for (const done of [...set]) done();
  }
}
