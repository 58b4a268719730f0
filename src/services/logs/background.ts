/**
 * @module services/logs/background
 * The service's one timer: the retention sweep and purge (retention.ts), every 30 s and at once
 * when woken (a retention policy was put, a group or stream deleted).
 *
 * Runs never overlap (each schedules the next), the timer is unref'd, and `stop()` waits for a
 * run in progress, which checks between batches whether to stop, so the store is not closed under it.
 */
import type { LogsDeps } from './context.js';
import { sweep } from './retention.js';

const SWEEP_MS = 30_000;

export class Background {
  private timer?: NodeJS.Timeout;
  private running: Promise<void> = Promise.resolve();
  private stopped = true;
  private wokenWhileRunning = false;
  private busy = false;

  constructor(private readonly d: Pick<LogsDeps, 'store' | 'clock' | 'log'>) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Sweep as soon as possible (after the run in progress, if any). */
  wake(): void {
    if (this.stopped) return;
    if (this.busy) {
      this.wokenWhileRunning = true;
      return;
    }
    this.schedule(0);
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    this.timer = setTimeout(() => this.run(), ms);
    this.timer.unref();
  }

  private run(): void {
    this.busy = true;
    this.running = (async () => {
      try {
        await sweep(this.d, () => this.stopped);
      } catch (e) {
        this.d.log.error({ err: e }, 'logs retention sweep failed');
      }
      this.busy = false;
      const again = this.wokenWhileRunning;
      this.wokenWhileRunning = false;
      this.schedule(again ? 0 : SWEEP_MS);
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
