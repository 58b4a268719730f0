/**
 * @module core/deliveries/writer
 * Group commit. Everything the engine writes goes through here and is committed in as few
 * transactions as possible: new jobs (from callers without a transaction of their own, and dead
 * letters), retry updates, deletes of finished jobs, and the attempt log. A flush runs on the
 * next turn of the event loop when a caller is waiting for its enqueue, otherwise after a few ms
 * or once enough rows are buffered, so one fsync carries thousands of deliveries.
 *
 * Ordering inside one transaction: inserts, updates, deletes, log — a job updated and then
 * finished within the same flush ends up deleted. Flushes never overlap.
 */
import type { Logger } from '../log.js';
import type { Store } from '../../store/store.js';
import { deleteJobs, insertAttempts, insertJobs, trimAttempts, updateJobs, type JobUpdate, type NewJobRow } from './store.js';
import type { DeliveryAttempt } from './types.js';

interface Insert<T> {
  rows: NewJobRow[];
  items: T[];
  /** a caller waiting for its ids (enqueue); absent for dead letters */
  resolve?: (ids: number[]) => void;
  reject?: (e: unknown) => void;
}

export interface WriterOptions {
  /** a flush starts this long after the first buffered row when nobody is waiting */
  flushMs: number;
  /** … or at once when this many rows are buffered */
  flushRows: number;
  /** the attempt log keeps this many of its newest rows */
  logKeepRows: number;
}

export class Writer<T> {
  private inserts: Insert<T>[] = [];
  private insertRows = 0;
  private updates: JobUpdate[] = [];
  private deletes: number[] = [];
  private log: DeliveryAttempt[] = [];
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private flushing: Promise<void> | undefined;
  /** callers of flush() waiting for what is buffered now */
  private waiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  private failures = 0;

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
    /** jobs inserted and committed: the engine takes them into memory */
    private readonly onInserted: (ids: number[], items: T[]) => void,
    /** jobs whose delete or update is committed (the engine stops shielding them from scans) */
    private readonly onWritten: (ids: number[]) => void,
    private readonly opts: WriterOptions,
  ) {}

  get buffered(): number {
    return this.insertRows + this.updates.length + this.deletes.length + this.log.length;
  }

  /** Inserts jobs in the next flush; resolves their ids once committed. */
  enqueue(rows: NewJobRow[], items: T[]): Promise<number[]> {
    return new Promise<number[]>((resolve, reject) => {
      this.inserts.push({ rows, items, resolve, reject });
      this.insertRows += rows.length;
      this.schedule(true);
    });
  }

  deadLetter(row: NewJobRow, item: T): void {
    this.inserts.push({ rows: [row], items: [item] });
    this.insertRows++;
    this.schedule(false);
  }

  update(u: JobUpdate): void {
    this.updates.push(u);
    this.schedule(false);
  }

  finish(id: number, attempt: DeliveryAttempt | undefined): void {
    this.deletes.push(id);
    if (attempt) this.log.push(attempt);
    this.schedule(false);
  }

  attempt(a: DeliveryAttempt): void {
    this.log.push(a);
    this.schedule(false);
  }

  /** Commits everything buffered so far (and waits for a flush in progress). */
  flush(): Promise<void> {
    if (this.buffered === 0 && !this.flushing) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.schedule(true);
    });
  }

  private schedule(urgent: boolean): void {
    if (this.flushing || this.immediate) return; // the running flush reschedules when it ends
    if (urgent || this.buffered >= this.opts.flushRows || this.waiters.length > 0) {
      if (this.timer) (clearTimeout(this.timer), (this.timer = undefined));
      this.immediate = setImmediate(() => {
        this.immediate = undefined;
        void this.run();
      });
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.run();
      }, this.opts.flushMs);
    }
  }

  private async run(): Promise<void> {
    if (this.flushing) return;
    const inserts = this.inserts;
    const updates = this.updates;
    const deletes = this.deletes;
    const log = this.log;
    const waiters = this.waiters;
    this.inserts = [];
    this.insertRows = 0;
    this.updates = [];
    this.deletes = [];
    this.log = [];
    this.waiters = [];
    if (inserts.length + updates.length + deletes.length + log.length === 0) {
      for (const w of waiters) w.resolve();
      return;
    }
    let done!: () => void;
    this.flushing = new Promise<void>((r) => (done = r));
    let inserted: number[][] = [];
    try {
      inserted = await this.store.transaction(async (tx) => {
        const ids: number[][] = [];
        // one multi-row statement for all the inserts of this flush
        const all = inserts.length === 1 ? inserts[0].rows : inserts.flatMap((i) => i.rows);
        const flat = all.length ? await insertJobs(tx, all) : [];
        let k = 0;
        for (const i of inserts) {
          ids.push(flat.slice(k, k + i.rows.length));
          k += i.rows.length;
        }
        if (updates.length) await updateJobs(tx, updates);
        if (deletes.length) await deleteJobs(tx, deletes);
        if (log.length) {
          await insertAttempts(tx, log);
          await trimAttempts(tx, this.opts.logKeepRows);
        }
        return ids;
      });
      this.failures = 0;
    } catch (e) {
      // the callers waiting for their enqueue learn of it; the engine's own writes are kept and
      // tried again (the jobs they concern are still in the table, so nothing is lost meanwhile)
      this.failures++;
      this.logger.error({ err: e, failures: this.failures }, 'deliveries: writing the job table failed');
      for (const i of inserts) {
        if (i.reject) i.reject(e);
        else {
          this.inserts.push(i);
          this.insertRows += i.rows.length;
        }
      }
      this.updates = updates.concat(this.updates);
      this.deletes = deletes.concat(this.deletes);
      this.log = log.concat(this.log);
      for (const w of waiters) w.reject(e);
      this.flushing = undefined;
      done();
      if (this.buffered > 0) {
        this.timer ??= setTimeout(() => {
          this.timer = undefined;
          void this.run();
        }, Math.min(5000, 100 * 2 ** Math.min(this.failures, 6)));
      }
      return;
    }
    this.flushing = undefined;
    done();
    this.onWritten(deletes);
    if (updates.length) this.onWritten(updates.map((u) => u.id));
    for (let n = 0; n < inserts.length; n++) {
      const i = inserts[n];
      this.onInserted(inserted[n], i.items);
      i.resolve?.(inserted[n]);
    }
    for (const w of waiters) w.resolve();
    if (this.buffered > 0 || this.waiters.length > 0) this.schedule(this.inserts.length > 0 || this.waiters.length > 0);
  }

  /** Stops the timers (after a final flush()). */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }
}
