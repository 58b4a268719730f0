/**
 * @module services/functions/runtime/memory-watch
 * Memory of running instances, read from /proc: the resident set of a process and of its
 * descendants (a handler may start processes of its own). Instances that are starting or running
 * an invocation are sampled every `intervalMs`; the owner decides what is too much.
 */
import { readFileSync } from 'node:fs';

/** At most this many processes are summed per instance: enough for real functions, bounded for fork bombs. */
const MAX_PROCESSES = 64;

/** bytes per page as /proc/<pid>/statm counts them: this process's VmRSS over its resident pages */
function pageBytes(): number {
  try {
    const pages = Number.parseInt(readFileSync('/proc/self/statm', 'latin1').split(' ')[1]!, 10);
    const status = readFileSync('/proc/self/status', 'latin1');
    const kib = Number.parseInt(status.slice(status.indexOf('VmRSS:') + 6), 10);
    // both moved a little between the two reads: the nearest power of two is the page size
    const size = 2 ** Math.round(Math.log2((kib * 1024) / pages));
    return Number.isFinite(size) && size >= 4096 ? size : 4096;
  } catch {
    return 4096;
  }
}

let pageSize: number | undefined;

/**
 * The resident set (VmRSS) of one process, from statm's second field: the kernel formats statm
 * with a handful of numbers, status with some fifty lines, and this is read every 50 ms for
 * every running instance.
 */
function rssBytes(pid: number): number {
  try {
    const statm = readFileSync(`/proc/${pid}/statm`, 'latin1');
    const at = statm.indexOf(' ');
    pageSize ??= pageBytes();
    return at === -1 ? 0 : Number.parseInt(statm.slice(at + 1), 10) * pageSize || 0;
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
