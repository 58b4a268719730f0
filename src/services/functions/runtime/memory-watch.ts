/**
 * @module services/functions/runtime/memory-watch
 * Memory of running instances, read from /proc: the resident set of a process and of its
 * descendants (a handler may start processes of its own). Instances that are starting or running
 * an invocation are sampled every `intervalMs`; the owner decides what is too much.
 */
import { readFileSync } from 'node:fs';

/** At most this many processes are summed per instance: enough for real functions, bounded for fork bombs. */
const MAX_PROCESSES = 64;

function rssBytes(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'latin1');
    const at = status.indexOf('VmRSS:');
    return at === -1 ? 0 : Number.parseInt(status.slice(at + 6), 10) * 1024;
  } catch {
    return 0;
  }
}

function childPids(pid: number): number[] {
  try {
    const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'latin1').trim();
    return text ? text.split(' ').map(Number) : [];
  } catch {
    return [];
  }
}

/** Resident bytes of `pid` and its descendants (0 once it has gone, or where /proc is missing). */
export function treeRssBytes(pid: number): number {
  let total = 0;
  let visited = 0;
  const queue = [pid];
  while (queue.length && visited < MAX_PROCESSES) {
    const p = queue.pop()!;
    visited++;
    total += rssBytes(p);
    queue.push(...childPids(p));
  }
  return total;
}

export interface Watched {
  readonly pid: number | undefined;
  onMemorySample(rssBytes: number): void;
}

/**
 * Samples the watched processes on one shared, unref'd timer. The timer keeps running once started
 * (until stop()): instances come and go with every invocation, and restarting it each time would
 * mean short invocations in a row are never sampled.
 */
export class MemoryWatch {
  private watched = new Set<Watched>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly intervalMs: number) {}

  watch(w: Watched): void {
    this.watched.add(w);
    if (!this.timer) {
      this.timer = setInterval(() => this.sample(), this.intervalMs);
      this.timer.unref();
    }
  }

  unwatch(w: Watched): void {
    this.watched.delete(w);
  }

  private sample(): void {
    for (const w of this.watched) {
      if (w.pid !== undefined) w.onMemorySample(treeRssBytes(w.pid));
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.watched.clear();
  }
}
