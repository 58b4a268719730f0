/**
 * @module services/queues/background
 * The service's timers: the retention sweep (messages past MessageRetentionPeriod, FIFO
 * deduplication entries past their 5 minutes) and the ticks that drive message move tasks.
 *
 * Receives already ignore expired messages, so the sweep only reclaims space and can run
 * unhurried. Move tasks tick only while one is running. Timers are unref'd, never overlap
 * (each run schedules the next), and `stop()` waits for a run in progress to finish so that the
 * store is not closed under it.
 */
import { intAttribute, parseStored } from './attributes.js';
import type { QueuesDeps } from './context.js';
import { runMoveTasks } from './move-tasks.js';
import { allQueues, expireDedup, expireMessages } from './store.js';

const SWEEP_MS = 10_000;
const MOVE_TICK_MS = 200;

export class Background {
  private sweepTimer?: NodeJS.Timeout;
  private moveTimer?: NodeJS.Timeout;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = true;

  constructor(private readonly d: QueuesDeps) {}

  start(): void {
    this.stopped = false;
    this.scheduleSweep(0);
    this.wakeMoves();
  }

  /** A task started (or the service started): tick until no task runs. */
  wakeMoves(): void {
    if (this.stopped || this.moveTimer) return;
    this.moveTimer = setTimeout(() => {
      this.run(() => runMoveTasks(this.d, MOVE_TICK_MS), (more) => {
        this.moveTimer = undefined;
        if (more) this.wakeMoves();
      });
    }, MOVE_TICK_MS);
    this.moveTimer.unref();
  }

  private scheduleSweep(ms: number): void {
    if (this.stopped) return;
    this.sweepTimer = setTimeout(() => this.run(() => this.sweep(), () => this.scheduleSweep(SWEEP_MS)), ms);
    this.sweepTimer.unref();
  }

  /** Runs `fn` after whatever is running; errors are logged, never thrown into a timer. */
  private run<T>(fn: () => Promise<T>, then: (r: T | undefined) => void): void {
    this.running = this.running.then(async () => {
      if (this.stopped) return;
      let r: T | undefined;
      try {
        r = await fn();
      } catch (e) {
        this.d.log.error({ err: e }, 'sqs background work failed');
      }
      if (!this.stopped) then(r);
    });
  }

  async sweep(): Promise<void> {
    const now = this.d.clock.ms();
    for (const q of await allQueues(this.d.store)) {
      await expireMessages(this.d.store, q.id, now - intAttribute(parseStored(q.attributes), 'MessageRetentionPeriod') * 1000);
    }
    await expireDedup(this.d.store, now);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.sweepTimer);
    clearTimeout(this.moveTimer);
    this.moveTimer = undefined;
    await this.running;
  }
}
