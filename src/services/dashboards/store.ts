/**
 * @module services/dashboards/store
 * The dashboards table (migration 0009-dashboards), and the only SQL of this service.
 *
 * Functions take a `Queryable` so DeleteDashboards can check and delete in one transaction.
 * Rows are scoped by account only: dashboards are global, not regional. Names are compared
 * byte-wise (`=`, `>`, `substr`), never with LIKE, which SQLite matches case-insensitively.
 */
import type { Queryable } from '../../store/store.js';

export interface DashboardRecord {
  name: string;
  body: string;
  size: number;
  modifiedAt: number;
}

/** A dashboard without its body (ListDashboards). */
export type DashboardSummary = Omit<DashboardRecord, 'body'>;

interface Row {
  name: string;
  body?: string;
  size: number;
  modified_at: number;
  [k: string]: unknown;
}

/** Creates the dashboard or replaces its body. */
export async function putDashboard(db: Queryable, accountId: string, rec: DashboardRecord): Promise<void> {
  await db.run(
    `INSERT INTO cw_dashboards (account_id, name, body, size, modified_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (account_id, name) DO UPDATE SET body = excluded.body, size = excluded.size, modified_at = excluded.modified_at`,
    [accountId, rec.name, rec.body, rec.size, rec.modifiedAt],
  );
}

export async function getDashboard(db: Queryable, accountId: string, name: string): Promise<DashboardRecord | undefined> {
  const r = await db.one<Row>(
    'SELECT name, body, size, modified_at FROM cw_dashboards WHERE account_id = ? AND name = ?',
    [accountId, name],
  );
  return r && { name: r.name, body: String(r.body), size: Number(r.size), modifiedAt: Number(r.modified_at) };
}

export interface ListQuery {
  /** only names starting with this */
  prefix?: string;
  /** keyset position: only names sorting after this one */
  after?: string;
  limit: number;
}

/** Dashboards of the account in name order, without their bodies. */
export async function listDashboards(db: Queryable, accountId: string, q: ListQuery): Promise<DashboardSummary[]> {
  const where = ['account_id = ?'];
  const params: Array<string | number> = [accountId];
  if (q.prefix) {
    where.push('substr(name, 1, ?) = ?');
    params.push(q.prefix.length, q.prefix);
  }
  if (q.after !== undefined) {
    where.push('name > ?');
    params.push(q.after);
  }
  params.push(q.limit);
  const rows = await db.all<Row>(
    `SELECT name, size, modified_at FROM cw_dashboards WHERE ${where.join(' AND ')} ORDER BY name LIMIT ?`,
    params,
  );
  return rows.map((r) => ({ name: r.name, size: Number(r.size), modifiedAt: Number(r.modified_at) }));
}

/** Which of `names` exist in the account. */
export async function existingNames(db: Queryable, accountId: string, names: string[]): Promise<Set<string>> {
  if (names.length === 0) return new Set();
  const rows = await db.all<{ name: string }>(
    `SELECT name FROM cw_dashboards WHERE account_id = ? AND name IN (${names.map(() => '?').join(', ')})`,
    [accountId, ...names],
  );
  return new Set(rows.map((r) => r.name));
}

export async function deleteDashboards(db: Queryable, accountId: string, names: string[]): Promise<number> {
  if (names.length === 0) return 0;
  const r = await db.run(
    `DELETE FROM cw_dashboards WHERE account_id = ? AND name IN (${names.map(() => '?').join(', ')})`,
    [accountId, ...names],
  );
  return r.changes;
}
