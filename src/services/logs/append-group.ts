/**
 * @module services/logs/append-group
 * The logs port's appends, committed together: appends that arrive in the same turn of the event
 * loop share one transaction. A function runtime hands over the lines of every instance's stream
 * at once (one append per stream, every 50 ms); with eight busy instances that was eight
 * transactions and eight syncs to disk per flush, a visible share of a warm invocation's cost.
 *
 * Each caller still hears about its own append: when a shared transaction fails, its appends are
 * written again one by one, so one bad append fails alone, as it did before.
 */
import type { LogLine, LogScope } from '../../core/logs/index.js';
import type { LogsDeps } from './context.js';
import { appendAll, type Append } from './ingest.js';

interface Waiting {
  append: Append;
  resolve(): void;
  reject(err: unknown): void;
}

export class AppendGroups {
  private waiting: Waiting[] = [];

  constructor(private readonly d: LogsDeps) {}

  append(scope: LogScope, groupName: string, streamName: string, lines: readonly LogLine[]): Promise<void> {
    if (lines.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      if (this.waiting.length === 0) queueMicrotask(() => void this.commit());
      this.waiting.push({ append: { scope, groupName, streamName, lines }, resolve, reject });
    });
  }

  private async commit(): Promise<void> {
    const group = this.waiting;
    this.waiting = [];
    try {
      await appendAll(this.d, group.map((w) => w.append));
      for (const w of group) w.resolve();
    } catch (err) {
      if (group.length === 1) return group[0].reject(err);
      for (const w of group) await appendAll(this.d, [w.append]).then(w.resolve, w.reject);
    }
  }
}
