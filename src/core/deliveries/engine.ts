/**
 * @module core/deliveries/engine
 * The single-node delivery engine. The job table is the truth; memory holds a bounded window of
 * it (at most `maxInMemory` jobs) and all the scheduling:
 *
 *   committed job ─► admit ─► heap (waiting for run_at) ─► lane queue (due) ─► in flight ─► settle
 *                     │                                   per (kind, target)            │
 *                     └─ over a limit: parked in the table, found again by the due scan ◄┘ long retry
 *
 * How committed jobs reach memory without reading each one back:
 * - enqueue without a transaction: the writer commits them and hands them over (no SELECT);
 * - enqueue inside a caller's transaction: the ids are remembered as unconfirmed; `wake()` (or
 *   the poll) asks which of them exist, which on SQLite is exact because reads wait for open
 *   transactions, and admits those from memory;
 * - at start, and after memory overflowed: a scan by id from a cursor;
 * - parked jobs: a scan of the partial index on run_at.
 * Finishing a job is a DELETE batched by the writer with its attempt log rows.
 *
 * In-flight state is memory only: a job that was being attempted when the process died is still
 * in the table and is attempted again at the next start (at-least-once). Cluster mode would
 * claim rows with owner/locked_until (`FOR UPDATE SKIP LOCKED`) where `scan` and `dueScan` read
 * them, and would confirm jobs of other nodes through LISTEN/NOTIFY instead of `unconfirmed`.
 */
import { performance } from 'node:perf_hooks';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { Queryable, Store } from '../../store/store.js';
import { MinHeap } from './heap.js';
import { DEFAULT_POLICIES, DEFAULT_POLICY, resolvePolicy, retryDelay } from './policy.js';
import * as sql from './store.js';
import { DEFAULT_THROTTLE, Lane } from './throttle.js';
import { TARGET_KIND, type TargetPayload } from './senders.js';
import type {
  AttemptQuery, DeliveryAttempt, DeliveryEngine, Job, NewJob, Outcome, RetryPolicy, Sender, SenderOptions, Throttle,
} from './types.js';
import { Writer } from './writer.js';

export interface Tuning {
  /** fallback to wake(): confirm transactional enqueues, scan parked and overflowed jobs */
  pollMs: number;
  /** jobs held in memory at once (waiting, queued, in flight); the rest stay in the table */
  maxInMemory: number;
  /**
   * jobs one lane may hold in memory, so one target's backlog cannot fill the window: beyond it
   * they are left in the table (no write) and read back by a scan of that lane once it has drained
   * to half
   */
  maxPerLane: number;
  /** a retry further away than this is parked in the table instead of held in memory */
  parkAfterMs: number;
  /** how long a parked job found due while its lane is full waits before it is looked at again */
  reparkMs: number;
  /** attempts in flight at once, all lanes together */
  maxInFlight: number;
  flushMs: number;
  flushRows: number;
  scanBatch: number;
  /** the attempt log keeps the newest rows and days */
  logKeepRows: number;
  logKeepMs: number;
  /** an id enqueued in a transaction that never shows up is forgotten after this (rolled back) */
  unconfirmedGraceMs: number;
  stopGraceMs: number;
}

export const DEFAULT_TUNING: Tuning = {
  pollMs: 250,
  maxInMemory: 50_000,
  maxPerLane: 10_000,
  parkAfterMs: 60_000,
  reparkMs: 2_000,
  maxInFlight: 1024,
  flushMs: 50,
  flushRows: 4000,
  scanBatch: 2000,
  logKeepRows: 100_000,
  logKeepMs: 7 * 24 * 3600_000,
  unconfirmedGraceMs: 60_000,
  stopGraceMs: 10_000,
};

/** A job in memory. `job.attempt` is the number of its next attempt. */
interface Live {
  job: Job;
  policy: RetryPolicy;
  dueAt: number;
  lane?: Lane<Live>;
}

interface LaneInfo {
  /** jobs of this lane in memory */
  held: number;
  lastUsed: number;
  /** the lane was full: its jobs from this id on may be in the table and not in memory */
  skippedFrom: number | undefined;
}

export interface EngineDeps {
  store: Store;
  clock: Clock;
  log: Logger;
  tuning?: Partial<Tuning>;
}

const EXCERPT = 512;
const cut = (s: string | undefined) => (s !== undefined && s.length > EXCERPT ? s.slice(0, EXCERPT) : s);

export class Engine implements DeliveryEngine {
  private readonly t: Tuning;
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly writer: Writer<Live>;
  private readonly senders = new Map<string, { send: Sender; throttle?: (target: string) => Throttle }>();
  private readonly policies = new Map<string, RetryPolicy>(Object.entries(DEFAULT_POLICIES));
  private readonly known = new Map<number, Live>();
  /**
   * Jobs that left memory (finished, or parked for a long retry) whose row change is not yet
   * committed: the table still shows them as due, and a scan must not take them in again.
   */
  private readonly unwritten = new Set<number>();
  private readonly lanes = new Map<string, Lane<Live> & LaneInfo>();
  private runnable = new Set<Lane<Live> & LaneInfo>();
  private readonly heap = new MinHeap<Live>((l) => l.dueAt);
  private heapTimer: NodeJS.Timeout | undefined;
  private heapTimerAt = Infinity;
  private pollTimer: NodeJS.Timeout | undefined;
  private pumpQueued = false;
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private readonly unconfirmed = new Map<number, { live: Live; at: number }>();
  /** rows with id > cursor may be in the table and not in memory */
  private overflow = false;
  private cursor = 0;
  private overflowMark = 0;
  private scanning: Promise<void> | undefined;
  private scanAgain = false;
  /** lanes that drained after skipping jobs: scan the table for them */
  private readonly laneScans = new Set<Lane<Live> & LaneInfo>();
  private lastPrune = 0;
  private lastSweep = 0;
  private running = false;
  /** after stop's grace: results that still arrive are not written (the job stays due) */
  private abandoned = false;
  private readonly settledListeners: Array<(job: Job, last: DeliveryAttempt) => void> = [];

  constructor(deps: EngineDeps) {
    this.t = { ...DEFAULT_TUNING, ...deps.tuning };
    this.store = deps.store;
    this.clock = deps.clock;
    this.log = deps.log;
    this.writer = new Writer<Live>(this.store, this.log, (ids, lives) => this.committed(ids, lives), (ids) => {
      for (const id of ids) this.unwritten.delete(id);
    }, {
      flushMs: this.t.flushMs,
      flushRows: this.t.flushRows,
      logKeepRows: this.t.logKeepRows,
    });
  }

  // ---- the contract --------------------------------------------------------------------------

  async enqueue(jobs: readonly NewJob[], tx?: Queryable): Promise<number[]> {
    if (jobs.length === 0) return [];
    const now = this.clock.ms();
    const rows: sql.NewJobRow[] = [];
    const lives: Live[] = [];
    for (const j of jobs) {
      const { row, live } = this.prepare(j, now);
      rows.push(row);
      lives.push(live);
    }
    if (!tx) return this.writer.enqueue(rows, lives);
    const ids = await sql.insertJobs(tx, rows);
    for (let i = 0; i < ids.length; i++) {
      lives[i].job.id = ids[i];
      this.unconfirmed.set(ids[i], { live: lives[i], at: now });
    }
    return ids;
  }

  wake(): void {
    if (!this.running) return;
    this.releaseDue();
    this.kickScan();
  }

  register(kind: string, sender: Sender, opts?: SenderOptions): void {
    this.senders.set(kind, { send: sender, throttle: opts?.throttle });
  }

  onSettled(listener: (job: Job, last: DeliveryAttempt) => void): void {
    this.settledListeners.push(listener);
  }

  private settled(job: Job, e: DeliveryAttempt): void {
    for (const l of this.settledListeners) {
      try {
        l(job, e);
      } catch (err) {
        this.log.warn({ err }, 'deliveries: a settled-job listener threw');
      }
    }
  }

  setSourcePolicy(source: string, policy: RetryPolicy): void {
    this.policies.set(source, resolvePolicy(DEFAULT_POLICY, policy));
  }

  async attempts(q?: AttemptQuery): Promise<DeliveryAttempt[]> {
    await this.writer.flush(); // read your writes: the log includes attempts not yet flushed
    return sql.queryAttempts(this.store, q);
  }

  async pendingCount(q?: { source?: string; target?: string }): Promise<number> {
    await this.writer.flush();
    return sql.countJobs(this.store, q);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.abandoned = false;
    // everything in the table is ours to load: in-flight state did not survive the last run
    this.overflow = true;
    this.cursor = 0;
    this.overflowMark++;
    this.pollTimer = setInterval(() => this.poll(), this.t.pollMs);
    this.kickScan();
  }

  async stop(graceMs: number = this.t.stopGraceMs): Promise<void> {
    if (this.running) {
      this.running = false;
      clearInterval(this.pollTimer);
      this.pollTimer = undefined;
      this.clearHeapTimer();
      for (const lane of this.lanes.values()) if (lane.timer) (clearTimeout(lane.timer), (lane.timer = undefined));
      if (this.inFlight > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          new Promise<void>((r) => this.idleWaiters.push(r)),
          new Promise<void>((r) => (timer = setTimeout(r, Math.max(0, graceMs)))),
        ]);
        clearTimeout(timer);
      }
      if (this.inFlight > 0) {
        this.log.warn({ inFlight: this.inFlight }, 'deliveries: attempts still in flight after the grace period; they will be made again at the next start');
        this.abandoned = true;
      }
      await this.scanning?.catch(() => undefined);
    }
    try {
      await this.writer.flush();
    } finally {
      this.writer.close();
      this.known.clear();
      this.lanes.clear();
      this.runnable.clear();
      this.heap.drain();
      this.unconfirmed.clear();
      this.unwritten.clear();
    }
  }

  // ---- admission -----------------------------------------------------------------------------

  private policyFor(source: string, override?: Partial<RetryPolicy>): RetryPolicy {
    return resolvePolicy(this.policies.get(source) ?? DEFAULT_POLICY, override);
  }

  /** Validates a new job and builds its row and its in-memory form (the payload is copied through JSON, as a reload would). */
  private prepare(j: NewJob, now: number): { row: sql.NewJobRow; live: Live } {
    for (const f of ['kind', 'source', 'target'] as const) {
      if (typeof j[f] !== 'string' || j[f] === '') throw new TypeError(`deliveries: a job needs a non-empty ${f}`);
    }
    const payload = JSON.stringify(j.payload);
    if (payload === undefined) throw new TypeError('deliveries: a job payload must be JSON-serialisable');
    const runAt = now + Math.max(0, j.delayMs ?? 0);
    const row: sql.NewJobRow = {
      kind: j.kind,
      source: j.source,
      target: j.target,
      ref: j.ref ?? null,
      payload,
      retry: j.retry ? JSON.stringify(j.retry) : null,
      dead_letter: j.deadLetter ? JSON.stringify(j.deadLetter) : null,
      attempt: 0,
      created_at: now,
      run_at: runAt,
    };
    return { row, live: this.toLive(row, 0) };
  }

  private toLive(r: sql.NewJobRow & { id?: number }, id: number): Live {
    const retry = r.retry ? (JSON.parse(r.retry) as Partial<RetryPolicy>) : undefined;
    const job: Job = {
      id: r.id ?? id,
      kind: r.kind,
      source: r.source,
      target: r.target,
      payload: JSON.parse(r.payload),
      attempt: Number(r.attempt) + 1,
      createdAt: Number(r.created_at),
    };
    if (r.ref !== null) job.ref = r.ref;
    if (retry) job.retry = retry;
    if (r.dead_letter) job.deadLetter = JSON.parse(r.dead_letter);
    return { job, policy: this.policyFor(r.source, retry), dueAt: Number(r.run_at) };
  }

  /** The writer committed jobs it inserted: take them in. */
  private committed(ids: number[], lives: Live[]): void {
    for (let i = 0; i < ids.length; i++) {
      lives[i].job.id = ids[i];
      this.admit(lives[i], false);
    }
    this.kickPump();
  }

  /**
   * A committed job enters memory, unless memory is full (it stays in the table; a scan from the
   * cursor finds it) or its lane is (parked, looked at again later). `fromParked`: its row is
   * marked parked and must be unmarked now that memory holds it.
   */
  private admit(live: Live, fromParked: boolean): boolean {
    const id = live.job.id;
    if (!this.running || this.known.has(id) || this.unwritten.has(id)) return true;
    if (this.known.size >= this.t.maxInMemory) {
      if (fromParked) return false;
      this.markOverflow(id);
      return false;
    }
    const lane = this.laneFor(live.job.kind, live.job.target);
    const now = this.clock.ms();
    if (lane.held >= this.t.maxPerLane) {
      if (fromParked) {
        // parked and due, but its lane is full: look again a little later
        this.writer.update({ id, attempt: live.job.attempt - 1, runAt: now + this.t.reparkMs, parked: true });
      } else if (lane.skippedFrom === undefined || id < lane.skippedFrom) {
        lane.skippedFrom = id; // left in the table; scanLane reads it back
      }
      return true;
    }
    if (fromParked) this.writer.update({ id, attempt: live.job.attempt - 1, runAt: live.dueAt, parked: false });
    live.lane = lane;
    lane.held++;
    this.known.set(id, live);
    this.schedule(live, now);
    return true;
  }

  private markOverflow(id: number): void {
    this.cursor = this.overflow ? Math.min(this.cursor, id - 1) : id - 1;
    this.overflow = true;
    this.overflowMark++;
  }

  private forget(live: Live): void {
    this.known.delete(live.job.id);
    this.unwritten.add(live.job.id);
    const lane = live.lane as (Lane<Live> & LaneInfo) | undefined;
    if (lane) {
      lane.held--;
      if (lane.skippedFrom !== undefined && lane.held <= this.t.maxPerLane >> 1 && !this.laneScans.has(lane)) {
        this.laneScans.add(lane);
        this.kickScan();
      }
    }
  }

  private laneFor(kind: string, target: string): Lane<Live> & LaneInfo {
    const key = `${kind}\u0000${target}`;
    let lane = this.lanes.get(key);
    if (!lane) {
      let throttle = DEFAULT_THROTTLE;
      const s = this.senders.get(kind);
      if (s?.throttle) {
        try {
          throttle = s.throttle(target) ?? DEFAULT_THROTTLE;
        } catch (e) {
          this.log.warn({ err: e, kind, target }, 'deliveries: throttle function failed; using the default');
        }
      }
      lane = Object.assign(new Lane<Live>(key, kind, target, throttle, performance.now()), { held: 0, lastUsed: performance.now(), skippedFrom: undefined });
      this.lanes.set(key, lane);
    }
    return lane;
  }

  // ---- scheduling ----------------------------------------------------------------------------

  private schedule(live: Live, now: number): void {
    if (live.dueAt > now) {
      this.heap.push(live);
      this.armHeapTimer();
    } else {
      const lane = live.lane as Lane<Live> & LaneInfo;
      lane.queue.push(live);
      this.runnable.add(lane);
      this.kickPump();
    }
  }

  private releaseDue(): void {
    const now = this.clock.ms();
    let top = this.heap.peek();
    while (top && top.dueAt <= now) {
      this.heap.pop();
      const lane = top.lane as Lane<Live> & LaneInfo;
      lane.queue.push(top);
      this.runnable.add(lane);
      top = this.heap.peek();
    }
    this.kickPump();
    this.armHeapTimer();
  }

  private clearHeapTimer(): void {
    if (this.heapTimer) clearTimeout(this.heapTimer);
    this.heapTimer = undefined;
    this.heapTimerAt = Infinity;
  }

  private armHeapTimer(): void {
    if (!this.running) return;
    const top = this.heap.peek();
    if (!top) return this.clearHeapTimer();
    if (this.heapTimer && this.heapTimerAt <= top.dueAt) return;
    this.clearHeapTimer();
    const delay = Math.min(Math.max(0, top.dueAt - this.clock.ms()), 2 ** 31 - 1);
    this.heapTimerAt = top.dueAt;
    this.heapTimer = setTimeout(() => {
      this.heapTimer = undefined;
      this.heapTimerAt = Infinity;
      this.releaseDue();
    }, delay);
  }

  private kickPump(): void {
    if (this.pumpQueued || this.runnable.size === 0) return;
    this.pumpQueued = true;
    queueMicrotask(() => this.pump());
  }

  /** Starts attempts: lanes in turn, each as far as its limits allow, all within maxInFlight. */
  private pump(): void {
    this.pumpQueued = false;
    if (!this.running) return;
    const now = performance.now();
    for (const lane of [...this.runnable]) {
      if (this.inFlight >= this.t.maxInFlight) break;
      this.runnable.delete(lane);
      while (lane.queue.length > 0 && this.inFlight < this.t.maxInFlight) {
        const wait = lane.acquire(now);
        if (wait === Infinity) break; // full: a finishing attempt re-adds the lane
        if (wait > 0) {
          // out of tokens: come back when the next one is due
          lane.timer ??= setTimeout(() => {
            lane.timer = undefined;
            if (lane.queue.length) this.runnable.add(lane);
            this.kickPump();
          }, wait);
          break;
        }
        this.attempt(lane.queue.shift()!, lane);
      }
      // still work and only the global limit stopped it: back of the line, for fairness
      if (lane.queue.length > 0 && !lane.timer && lane.inFlight < lane.concurrency) this.runnable.add(lane);
    }
  }

  private attempt(live: Live, lane: Lane<Live> & LaneInfo): void {
    const job = live.job;
    const at = this.clock.ms();
    if (at - job.createdAt > live.policy.maxAgeMs) {
      // too old to try again (a restart after a long stop, a long Retry-After)
      this.final(live, { ...this.entry(job, at, 0), excerpt: `not attempted: older than ${live.policy.maxAgeMs} ms` }, 'expired');
      return;
    }
    this.inFlight++;
    lane.inFlight++;
    lane.lastUsed = performance.now();
    const t0 = performance.now();
    const s = this.senders.get(job.kind);
    let p: Promise<Outcome>;
    try {
      p = s ? s.send(job) : Promise.resolve({ ok: false, retryable: true, error: `no sender is registered for kind '${job.kind}'` });
    } catch (e) {
      p = Promise.reject(e);
    }
    p.then(
      (o) => this.settle(live, lane, o, at, performance.now() - t0),
      (e: unknown) => this.settle(live, lane, { ok: false, retryable: true, error: `sender threw: ${(e as Error)?.message ?? String(e)}` }, at, performance.now() - t0),
    );
  }

  private entry(job: Job, at: number, latencyMs: number): DeliveryAttempt {
    const a: DeliveryAttempt = { jobId: job.id, attempt: job.attempt, kind: job.kind, source: job.source, target: job.target, at, latencyMs: Math.round(latencyMs), outcome: 'delivered' };
    if (job.ref !== undefined) a.ref = job.ref;
    return a;
  }

  /** An attempt ended: log it, then delete the job, schedule its retry, or give it up. */
  private settle(live: Live, lane: Lane<Live> & LaneInfo, o: Outcome, at: number, latencyMs: number): void {
    this.inFlight--;
    lane.inFlight--;
    if (lane.queue.length > 0 && !lane.timer) this.runnable.add(lane);
    this.kickPump();
    if (this.inFlight === 0 && this.idleWaiters.length) for (const w of this.idleWaiters.splice(0)) w();
    if (this.abandoned) return;
    const job = live.job;
    const e = this.entry(job, at, latencyMs);
    if (o?.ok === true) {
      if (o.status !== undefined) e.status = o.status;
      if (o.excerpt) e.excerpt = cut(o.excerpt);
      this.forget(live);
      this.writer.finish(job.id, e);
      this.settled(job, e);
      return;
    }
    const fail: Extract<Outcome, { ok: false }> = o && o.ok === false ? o : { ok: false, retryable: true, error: 'the sender returned no outcome' };
    // the sender settled part of the job: only the rest is retried (or given up)
    const rest = fail.payload === undefined ? undefined : JSON.stringify(fail.payload);
    if (rest !== undefined) job.payload = JSON.parse(rest);
    if (fail.status !== undefined) e.status = fail.status;
    e.excerpt = cut(fail.excerpt ? `${fail.error}: ${fail.excerpt}` : fail.error);
    if (!fail.retryable || job.attempt >= live.policy.maxAttempts) return this.final(live, e, 'failed');
    const now = this.clock.ms();
    const delay = Math.max(retryDelay(live.policy, job.attempt), fail.retryAfterMs ?? 0);
    const dueAt = now + delay;
    if (dueAt - job.createdAt > live.policy.maxAgeMs) return this.final(live, e, 'expired');
    e.outcome = 'retrying';
    this.writer.attempt(e);
    job.attempt++;
    live.dueAt = dueAt;
    const park = delay > this.t.parkAfterMs || !this.running;
    this.writer.update({ id: job.id, attempt: job.attempt - 1, runAt: dueAt, parked: park, ...(rest !== undefined ? { payload: rest } : {}) });
    if (park) this.forget(live);
    else this.schedule(live, now);
  }

  /** No more attempts: to the dead-letter target when there is one, else logged as `outcome`. */
  private final(live: Live, e: DeliveryAttempt, outcome: 'failed' | 'expired'): void {
    const job = live.job;
    this.forget(live);
    const dl = job.deadLetter;
    if (dl && typeof dl.arn === 'string') {
      const payload: TargetPayload = { arn: dl.arn, message: { body: dl.body, ...(dl.attributes ? { attributes: dl.attributes } : {}) } };
      const { row, live: dlLive } = this.prepare({ kind: TARGET_KIND, source: job.source, target: dl.arn, payload, ...(job.ref !== undefined ? { ref: job.ref } : {}) }, this.clock.ms());
      this.writer.deadLetter(row, dlLive);
      e.outcome = 'dead-lettered';
      e.excerpt = cut(`${outcome} (${e.excerpt ?? ''}); sent to ${dl.arn}`);
    } else {
      e.outcome = outcome;
    }
    this.writer.finish(job.id, e);
    this.settled(job, e);
  }

  // ---- scans ---------------------------------------------------------------------------------

  private poll(): void {
    this.releaseDue();
    this.kickScan();
    const now = performance.now();
    if (now - this.lastSweep > 60_000) {
      this.lastSweep = now;
      // lanes idle for a minute go (a rate-limited lane keeps its tokens while it is used)
      for (const [key, lane] of this.lanes) if (lane.held === 0 && lane.idle && now - lane.lastUsed > 60_000) this.lanes.delete(key);
    }
  }

  /** Runs the scans (one at a time; a request during one runs them again after). */
  private kickScan(): void {
    if (!this.running) return;
    if (this.scanning) {
      this.scanAgain = true;
      return;
    }
    this.scanning = (async () => {
      do {
        this.scanAgain = false;
        try {
          await this.confirm();
          await this.dueScan();
          await this.catchUp();
          for (const lane of [...this.laneScans]) await this.scanLane(lane);
          await this.prune();
        } catch (e) {
          this.log.error({ err: e }, 'deliveries: scanning the job table failed');
          break;
        }
      } while (this.scanAgain && this.running);
    })().finally(() => (this.scanning = undefined));
  }

  /** Jobs enqueued in callers' transactions: those committed are admitted; those never seen are forgotten. */
  private async confirm(): Promise<void> {
    if (this.unconfirmed.size === 0) return;
    const ids = [...this.unconfirmed.keys()];
    const found = await sql.existingIds(this.store, ids);
    const now = this.clock.ms();
    for (const id of ids) {
      const u = this.unconfirmed.get(id);
      if (!u) continue;
      if (found.has(id)) {
        this.unconfirmed.delete(id);
        this.admit(u.live, false);
      } else if (now - u.at > this.t.unconfirmedGraceMs) {
        this.unconfirmed.delete(id);
      }
    }
  }

  private async dueScan(): Promise<void> {
    const room = Math.min(this.t.scanBatch, this.t.maxInMemory - this.known.size);
    if (room <= 0) return;
    const rows = await sql.dueParkedJobs(this.store, this.clock.ms(), room);
    for (const r of rows) if (!this.known.has(r.id) && !this.unwritten.has(r.id)) this.admit(this.toLive(r, r.id), true);
  }

  /** Loads jobs the window could not hold (and everything, at start), by id from the cursor. */
  private async catchUp(): Promise<void> {
    while (this.overflow && this.running) {
      const room = Math.min(this.t.scanBatch, this.t.maxInMemory - this.known.size);
      if (room <= 0) return;
      const mark = this.overflowMark;
      const rows = await sql.scanJobs(this.store, this.cursor, room);
      if (rows.length === 0) {
        if (mark === this.overflowMark) this.overflow = false;
        return;
      }
      for (const r of rows) {
        if (!this.known.has(r.id) && !this.unwritten.has(r.id)) {
          if (this.known.size >= this.t.maxInMemory) return;
          // committed, so an id still unconfirmed is confirmed by this read
          this.unconfirmed.delete(r.id);
          this.admit(this.toLive(r, r.id), false);
        }
        if (r.id > this.cursor) this.cursor = r.id;
      }
    }
  }

  /**
   * Reads back the jobs a full lane left in the table, by id from the first one it skipped. Rows
   * of other lanes met on the way are admitted too (any committed job not in memory may be); the
   * range holds few of them, since they were admitted and mostly finished when first seen.
   */
  private async scanLane(lane: Lane<Live> & LaneInfo): Promise<void> {
    this.laneScans.delete(lane);
    while (this.running && lane.skippedFrom !== undefined && lane.held < this.t.maxPerLane) {
      const room = Math.min(this.t.scanBatch, this.t.maxInMemory - this.known.size);
      if (room <= 0) return;
      const from = lane.skippedFrom;
      lane.skippedFrom = undefined;
      const rows = await sql.scanJobs(this.store, from - 1, room);
      // where the next batch starts: after this one, unless it ended the table
      let next: number | undefined = rows.length === room ? rows[rows.length - 1].id + 1 : undefined;
      for (const r of rows) {
        if (this.known.has(r.id) || this.unwritten.has(r.id)) continue;
        if (this.known.size >= this.t.maxInMemory) {
          this.markOverflow(r.id);
          next = r.id;
          break;
        }
        this.unconfirmed.delete(r.id);
        // a full lane records the row again in skippedFrom (the lowest one it skips)
        this.admit(this.toLive(r, r.id), false);
      }
      if (next !== undefined && (lane.skippedFrom === undefined || next < lane.skippedFrom)) lane.skippedFrom = next;
      if (lane.held >= this.t.maxPerLane) return;
    }
  }

  /** Attempts older than logKeepMs go, a few thousand at a time (the row cap is kept by the writer). */
  private async prune(): Promise<void> {
    const now = this.clock.ms();
    if (now - this.lastPrune < 5000) return;
    this.lastPrune = now;
    await sql.expireAttempts(this.store, now - this.t.logKeepMs, 5000);
  }
}
