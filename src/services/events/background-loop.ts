/**
 * @module services/events/background-loop
 * The shape of the bus's background readers (the CloudTrail publisher, the replayer): run the
 * work now and every `pollMs`, one run at a time; a wake-up during a run runs it once more after,
 * so a nudge is never lost and never doubles the work.
 */
export class BackgroundLoop {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private busy: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly work: () => Promise<void>,
    private readonly pollMs: number,
    private readonly onError: (e: unknown) => void,
  ) {}

  get active(): boolean {
    return this.running;
  }

  start(): void {
    this.running = true;
    const tick = () => {
      this.wake();
      this.timer = setTimeout(tick, this.pollMs);
      this.timer.unref();
    };
    tick();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.busy;
  }

  wake(): void {
    if (!this.running) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = (async () => {
      try {
        do {
          this.again = false;
          await this.work();
        } while (this.again && this.running);
      } catch (e) {
        this.onError(e);
      }
    })().finally(() => (this.busy = undefined));
  }
}
