/**
 * @module services/logs/retention
 * Retention periods and the sweep that enforces them, plus the purge of events left behind by
 * DeleteLogGroup and DeleteLogStream.
 *
 * The sweep deletes in small transactions (a batch of events each), so ingestion and reads
 * interleave with it rather than waiting behind one long delete. Reads do not hide expired events
 * the sweep has not reached yet; AWS, too, deletes expired events some time after they expire.
 */
import type { LogsDeps } from './context.js';
import { expireEvents, groupsWithRetention, pendingPurges, runPurge } from './store.js';

/** The values PutRetentionPolicy accepts, as AWS lists them. */
export const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const DAY_MS = 24 * 3600 * 1000;

/** events deleted per transaction */
const BATCH = 2000;

export interface SweepResult {
  expired: number;
  purged: number;
}

/** One full pass: expire what every retention policy says is too old, then purge deleted groups and streams. */
export async function sweep(d: Pick<LogsDeps, 'store' | 'clock'>, stopped: () => boolean = () => false): Promise<SweepResult> {
  const result: SweepResult = { expired: 0, purged: 0 };
  const now = d.clock.ms();
  for (const g of await groupsWithRetention(d.store)) {
    const before = now - g.retentionDays * DAY_MS;
    for (;;) {
      if (stopped()) return result;
      const { count } = await d.store.transaction((tx) => expireEvents(tx, g.id, before, BATCH));
      result.expired += count;
      if (count < BATCH) break;
    }
  }
  for (const p of await pendingPurges(d.store)) {
    for (;;) {
      if (stopped()) return result;
      const n = await d.store.transaction((tx) => runPurge(tx, p, BATCH));
      result.purged += n;
      if (n < BATCH) break;
    }
  }
  return result;
}
