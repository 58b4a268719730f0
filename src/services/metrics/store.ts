/**
 * @module services/metrics/store
 * The metric tables (migration 0007-metrics) and the only SQL of the metrics service.
 */
import type { Queryable } from '../../store/store.js';

export interface SeriesRow {
  id: number;
  account_id: string;
  region: string;
  namespace: string;
  metric_name: string;
  dimensions: string;
  last_put: number;
}

export interface PointRow {
  ts: number;
  unit: string | null;
  agg: Buffer;
}

export async function allSeries(db: Queryable): Promise<SeriesRow[]> {
  return db.all<SeriesRow>('SELECT id, account_id, region, namespace, metric_name, dimensions, last_put FROM cw_series');
}

export async function insertSeries(db: Queryable, s: Omit<SeriesRow, 'id'>): Promise<number> {
  const row = await db.one<{ id: number }>(
    `INSERT INTO cw_series (account_id, region, namespace, metric_name, dimensions, last_put) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
    [s.account_id, s.region, s.namespace, s.metric_name, s.dimensions, s.last_put],
  );
  return Number(row!.id);
}

export async function touchSeries(db: Queryable, id: number, lastPut: number): Promise<void> {
  await db.run('UPDATE cw_series SET last_put = ? WHERE id = ? AND last_put < ?', [lastPut, id, lastPut]);
}

export async function insertIngest(db: Queryable, batch: Buffer): Promise<number> {
  const row = await db.one<{ seq: number }>('INSERT INTO cw_ingest (batch) VALUES (?) RETURNING seq', [batch]);
  return Number(row!.seq);
}

export async function allIngest(db: Queryable): Promise<Array<{ seq: number; batch: Buffer }>> {
  return db.all('SELECT seq, batch FROM cw_ingest ORDER BY seq');
}

export async function deleteIngest(db: Queryable, seqs: readonly number[]): Promise<void> {
  for (let i = 0; i < seqs.length; i += 500) {
    const chunk = seqs.slice(i, i + 500);
    await db.run(`DELETE FROM cw_ingest WHERE seq IN (${chunk.map(() => '?').join(',')})`, chunk);
  }
}

export async function getPoint(db: Queryable, seriesId: number, resolution: number, ts: number): Promise<PointRow | undefined> {
  return db.one<PointRow>('SELECT ts, unit, agg FROM cw_points WHERE series_id = ? AND resolution = ? AND ts = ?', [seriesId, resolution, ts]);
}

export async function putPoint(db: Queryable, seriesId: number, resolution: number, p: PointRow): Promise<void> {
  await db.run(
    `INSERT INTO cw_points (series_id, resolution, ts, unit, agg) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (series_id, resolution, ts) DO UPDATE SET unit = excluded.unit, agg = excluded.agg`,
    [seriesId, resolution, p.ts, p.unit, p.agg],
  );
}

/** Points of one series and resolution with from <= ts < to. */
export async function pointsInRange(db: Queryable, seriesId: number, resolution: number, from: number, to: number): Promise<PointRow[]> {
  return db.all<PointRow>(
    'SELECT ts, unit, agg FROM cw_points WHERE series_id = ? AND resolution = ? AND ts >= ? AND ts < ? ORDER BY ts',
    [seriesId, resolution, from, to],
  );
}

/** Retention: removes the points of `resolution` older than `before` (epoch s). */
export async function expirePoints(db: Queryable, resolution: number, before: number): Promise<number> {
  return (await db.run('DELETE FROM cw_points WHERE resolution = ? AND ts < ?', [resolution, before])).changes;
}
