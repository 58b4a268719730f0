/**
 * @module core/deliveries/store
 * The only SQL of the delivery engine: the jobs table and the attempt log (migration
 * 0003-deliveries). Written for throughput: rows go in and out in multi-row statements whose
 * sizes come from a fixed ladder (256, 64, 16, 4, 1 rows), so a handful of prepared statements
 * cover every batch; scans page by primary key; nothing is read back per job.
 *
 * Portable SQL (SQLite and PostgreSQL): `INSERT … RETURNING`, `IN (…)`, partial index. Cluster
 * mode would add a claim here (`UPDATE … SET owner = ?, locked_until = ? WHERE id IN (SELECT id …
 * FOR UPDATE SKIP LOCKED)`); the single-node engine keeps its claims in memory instead.
 */
import type { Queryable, SqlValue } from '../../store/store.js';
import type { AttemptQuery, DeliveryAttempt } from './types.js';

/** A job as stored. */
export interface JobRow {
  id: number;
  kind: string;
  source: string;
  target: string;
  ref: string | null;
  payload: string;
  retry: string | null;
  dead_letter: string | null;
  attempt: number;
  created_at: number;
  run_at: number;
}

export type NewJobRow = Omit<JobRow, 'id'>;

/** A change to a job that stays: the attempt count and when it runs next; parked = not in memory. */
export interface JobUpdate {
  id: number;
  attempt: number;
  runAt: number;
  parked: boolean;
  /** a new payload (JSON): what is left of a job its sender settled in part */
  payload?: string;
}

const LADDER = [256, 64, 16, 4, 1];
const JOB_COLS = 'kind, source, target, ref, payload, retry, dead_letter, attempt, created_at, run_at';
const JOB_SELECT = `SELECT id, ${JOB_COLS} FROM delivery_jobs`;
const ATTEMPT_COLS = 'job_id, attempt, kind, source, target, ref, at, latency_ms, outcome, status, excerpt';

/** Splits `n` items into chunks whose sizes are on the ladder, calling `fn(start, size)`. */
async function chunked(n: number, fn: (start: number, size: number) => Promise<void>): Promise<void> {
  let i = 0;
  for (const size of LADDER) {
    while (n - i >= size) {
      await fn(i, size);
      i += size;
    }
  }
}

const sqlCache = new Map<string, string>();
function cached(key: string, build: () => string): string {
  let s = sqlCache.get(key);
  if (s === undefined) sqlCache.set(key, (s = build()));
  return s;
}
const tuple = (cols: number) => `(${new Array(cols).fill('?').join(', ')})`;
const tuples = (rows: number, cols: number) => new Array(rows).fill(tuple(cols)).join(', ');
const list = (n: number) => new Array(n).fill('?').join(', ');

/** Inserts jobs; returns their ids in the order given. */
export async function insertJobs(q: Queryable, rows: readonly NewJobRow[]): Promise<number[]> {
  const ids: number[] = [];
  await chunked(rows.length, async (start, size) => {
    const sql = cached(`ij${size}`, () => `INSERT INTO delivery_jobs (${JOB_COLS}) VALUES ${tuples(size, 10)} RETURNING id`);
    const params: SqlValue[] = [];
    for (let i = start; i < start + size; i++) {
      const r = rows[i];
      params.push(r.kind, r.source, r.target, r.ref, r.payload, r.retry, r.dead_letter, r.attempt, r.created_at, r.run_at);
    }
    const got = await q.all<{ id: number }>(sql, params);
    // ids of one multi-row insert ascend in VALUES order; RETURNING's row order is not promised
    const sorted = got.map((g) => Number(g.id)).sort((a, b) => a - b);
    for (const id of sorted) ids.push(id);
  });
  return ids;
}

export async function deleteJobs(q: Queryable, ids: readonly number[]): Promise<void> {
  await chunked(ids.length, async (start, size) => {
    const sql = cached(`dj${size}`, () => `DELETE FROM delivery_jobs WHERE id IN (${list(size)})`);
    await q.run(sql, ids.slice(start, start + size));
  });
}

export async function updateJobs(q: Queryable, updates: readonly JobUpdate[]): Promise<void> {
  for (const u of updates) {
    if (u.payload === undefined) {
      await q.run('UPDATE delivery_jobs SET attempt = ?, run_at = ?, parked = ? WHERE id = ?', [u.attempt, u.runAt, u.parked ? 1 : 0, u.id]);
    } else {
      await q.run('UPDATE delivery_jobs SET attempt = ?, run_at = ?, parked = ?, payload = ? WHERE id = ?', [u.attempt, u.runAt, u.parked ? 1 : 0, u.payload, u.id]);
    }
  }
}

export async function unparkJobs(q: Queryable, ids: readonly number[]): Promise<void> {
  await chunked(ids.length, async (start, size) => {
    const sql = cached(`uj${size}`, () => `UPDATE delivery_jobs SET parked = 0 WHERE id IN (${list(size)})`);
    await q.run(sql, ids.slice(start, start + size));
  });
}

/** Unparked jobs after `afterId`, by id: the startup load and the catch-up after an overflow. */
export function scanJobs(q: Queryable, afterId: number, limit: number): Promise<JobRow[]> {
  return q.all<JobRow>(`${JOB_SELECT} WHERE id > ? AND parked = 0 ORDER BY id LIMIT ?`, [afterId, limit]);
}

/** Parked jobs whose time has come (the partial index holds only parked rows). */
export function dueParkedJobs(q: Queryable, now: number, limit: number): Promise<JobRow[]> {
  return q.all<JobRow>(`${JOB_SELECT} WHERE parked = 1 AND run_at <= ? ORDER BY run_at LIMIT ?`, [now, limit]);
}

/** Which of these ids exist (committed): how jobs enqueued in a caller's transaction are confirmed. */
export async function existingIds(q: Queryable, ids: readonly number[]): Promise<Set<number>> {
  const out = new Set<number>();
  await chunked(ids.length, async (start, size) => {
    const sql = cached(`ei${size}`, () => `SELECT id FROM delivery_jobs WHERE id IN (${list(size)})`);
    for (const r of await q.all<{ id: number }>(sql, ids.slice(start, start + size))) out.add(Number(r.id));
  });
  return out;
}

export async function countJobs(q: Queryable, f: { source?: string; target?: string } = {}): Promise<number> {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (f.source !== undefined) (where.push('source = ?'), params.push(f.source));
  if (f.target !== undefined) (where.push('target = ?'), params.push(f.target));
  const sql = `SELECT count(*) AS n FROM delivery_jobs${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
  const row = await q.one<{ n: number }>(sql, params);
  return Number(row?.n ?? 0);
}

// ---- the attempt log ---------------------------------------------------------------------------

export async function insertAttempts(q: Queryable, rows: readonly DeliveryAttempt[]): Promise<void> {
  await chunked(rows.length, async (start, size) => {
    const sql = cached(`ia${size}`, () => `INSERT INTO delivery_attempts (${ATTEMPT_COLS}) VALUES ${tuples(size, 11)}`);
    const params: SqlValue[] = [];
    for (let i = start; i < start + size; i++) {
      const a = rows[i];
      params.push(a.jobId, a.attempt, a.kind, a.source, a.target, a.ref ?? null, a.at, Math.round(a.latencyMs), a.outcome, a.status ?? null, a.excerpt ?? null);
    }
    await q.run(sql, params);
  });
}

interface AttemptRow {
  job_id: number;
  attempt: number;
  kind: string;
  source: string;
  target: string;
  ref: string | null;
  at: number;
  latency_ms: number;
  outcome: DeliveryAttempt['outcome'];
  status: number | null;
  excerpt: string | null;
}

export async function queryAttempts(q: Queryable, f: AttemptQuery = {}): Promise<DeliveryAttempt[]> {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (f.jobId !== undefined) (where.push('job_id = ?'), params.push(f.jobId));
  if (f.target !== undefined) (where.push('target = ?'), params.push(f.target));
  if (f.ref !== undefined) (where.push('ref = ?'), params.push(f.ref));
  if (f.source !== undefined) (where.push('source = ?'), params.push(f.source));
  const limit = Math.min(1000, Math.max(1, Math.floor(f.limit ?? 100)));
  params.push(limit);
  const rows = await q.all<AttemptRow>(
    `SELECT ${ATTEMPT_COLS} FROM delivery_attempts${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`,
    params,
  );
  return rows.map((r) => {
    const a: DeliveryAttempt = {
      jobId: Number(r.job_id),
      attempt: Number(r.attempt),
      kind: r.kind,
      source: r.source,
      target: r.target,
      at: Number(r.at),
      latencyMs: Number(r.latency_ms),
      outcome: r.outcome,
    };
    if (r.ref !== null) a.ref = r.ref;
    if (r.status !== null) a.status = Number(r.status);
    if (r.excerpt !== null) a.excerpt = r.excerpt;
    return a;
  });
}

/**
 * Keeps the newest `keepRows` attempts: a range delete on the primary key, run in the same
 * transaction as each batch of inserts so the cost is paid evenly, never as one long stall.
 */
export async function trimAttempts(q: Queryable, keepRows: number): Promise<void> {
  const top = await q.one<{ hi: number | null }>('SELECT max(seq) AS hi FROM delivery_attempts');
  if (top?.hi === null || top?.hi === undefined) return;
  const upTo = Number(top.hi) - keepRows;
  if (upTo > 0) await q.run('DELETE FROM delivery_attempts WHERE seq <= ?', [upTo]);
}

/**
 * Deletes attempts older than `minAt`, at most `maxRows` of the oldest at a time. The log is
 * appended in time order, so the oldest rows are the lowest seqs: a bounded rowid range is read,
 * not the whole log. Returns the number of rows deleted.
 */
export async function expireAttempts(q: Queryable, minAt: number, maxRows: number): Promise<number> {
  const lo = await q.one<{ lo: number | null }>('SELECT min(seq) AS lo FROM delivery_attempts');
  if (lo?.lo === null || lo?.lo === undefined) return 0;
  const old = await q.one<{ s: number | null }>('SELECT max(seq) AS s FROM delivery_attempts WHERE seq < ? AND at < ?', [Number(lo.lo) + maxRows, minAt]);
  if (old?.s === null || old?.s === undefined) return 0;
  const r = await q.run('DELETE FROM delivery_attempts WHERE seq <= ?', [Number(old.s)]);
  return r.changes;
}
