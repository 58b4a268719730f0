/**
 * @module services/alarms/store
 * The alarm tables (migration 0008-alarms) and the only SQL of the alarms service.
 */
import type { Queryable } from '../../store/store.js';
import type { AlarmRecord, HistoryItem } from './model.js';

interface AlarmRow {
  arn: string;
  account_id: string;
  region: string;
  name: string;
  kind: string;
  config: string;
  tags: string;
  state_value: string;
  state_reason: string;
  state_reason_data: string | null;
  state_updated_at: number;
  state_transitioned_at: number;
  config_updated_at: number;
  suppressed_by: string | null;
  suppressed_reason: string | null;
}

const COLUMNS =
  'arn, account_id, region, name, kind, config, tags, state_value, state_reason, state_reason_data, state_updated_at, state_transitioned_at, config_updated_at, suppressed_by, suppressed_reason';

function toRecord(r: AlarmRow): AlarmRecord {
  return {
    arn: r.arn,
    accountId: r.account_id,
    region: r.region,
    name: r.name,
    kind: r.kind as AlarmRecord['kind'],
    config: JSON.parse(r.config) as AlarmRecord['config'],
    tags: JSON.parse(r.tags) as AlarmRecord['tags'],
    state: {
      value: r.state_value as AlarmRecord['state']['value'],
      reason: r.state_reason,
      reasonData: r.state_reason_data ?? undefined,
      updatedAt: Number(r.state_updated_at),
      transitionedAt: Number(r.state_transitioned_at),
      suppressedBy: r.suppressed_by ?? undefined,
      suppressedReason: r.suppressed_reason ?? undefined,
    },
    configUpdatedAt: Number(r.config_updated_at),
  };
}

export async function allAlarms(db: Queryable): Promise<AlarmRecord[]> {
  return (await db.all<AlarmRow>(`SELECT ${COLUMNS} FROM cw_alarms`)).map(toRecord);
}

export async function upsertAlarm(db: Queryable, a: AlarmRecord): Promise<void> {
  await db.run(
    `INSERT INTO cw_alarms (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (arn) DO UPDATE SET kind = excluded.kind, config = excluded.config, tags = excluded.tags,
       state_value = excluded.state_value, state_reason = excluded.state_reason, state_reason_data = excluded.state_reason_data,
       state_updated_at = excluded.state_updated_at, state_transitioned_at = excluded.state_transitioned_at,
       config_updated_at = excluded.config_updated_at, suppressed_by = excluded.suppressed_by, suppressed_reason = excluded.suppressed_reason`,
    [a.arn, a.accountId, a.region, a.name, a.kind, JSON.stringify(a.config), JSON.stringify(a.tags), a.state.value, a.state.reason,
      a.state.reasonData ?? null, a.state.updatedAt, a.state.transitionedAt, a.configUpdatedAt, a.state.suppressedBy ?? null, a.state.suppressedReason ?? null],
  );
}

export async function deleteAlarm(db: Queryable, arn: string): Promise<void> {
  await db.run('DELETE FROM cw_alarms WHERE arn = ?', [arn]);
}

export async function insertHistory(db: Queryable, h: HistoryItem): Promise<void> {
  await db.run(
    'INSERT INTO cw_alarm_history (account_id, region, alarm_name, alarm_type, ts, item_type, summary, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    [h.accountId, h.region, h.alarmName, h.alarmType, h.timestamp, h.itemType, h.summary, h.data],
  );
}

export interface HistoryQuery {
  accountId: string;
  region: string;
  alarmName?: string;
  alarmTypes?: string[];
  itemType?: string;
  /** epoch ms, inclusive */
  start?: number;
  /** epoch ms, inclusive */
  end?: number;
  ascending: boolean;
  /** keyset: the last seq of the previous page */
  after?: number;
  limit: number;
}

export async function listHistory(db: Queryable, q: HistoryQuery): Promise<Array<HistoryItem & { seq: number }>> {
  const where = ['account_id = ?', 'region = ?'];
  const params: Array<string | number> = [q.accountId, q.region];
  if (q.alarmName !== undefined) (where.push('alarm_name = ?'), params.push(q.alarmName));
  if (q.alarmTypes?.length) (where.push(`alarm_type IN (${q.alarmTypes.map(() => '?').join(', ')})`), params.push(...q.alarmTypes));
  if (q.itemType !== undefined) (where.push('item_type = ?'), params.push(q.itemType));
  if (q.start !== undefined) (where.push('ts >= ?'), params.push(q.start));
  if (q.end !== undefined) (where.push('ts <= ?'), params.push(q.end));
  if (q.after !== undefined) (where.push(q.ascending ? 'seq > ?' : 'seq < ?'), params.push(q.after));
  const rows = await db.all<{ seq: number; account_id: string; region: string; alarm_name: string; alarm_type: string; ts: number; item_type: string; summary: string; data: string }>(
    `SELECT seq, account_id, region, alarm_name, alarm_type, ts, item_type, summary, data FROM cw_alarm_history
     WHERE ${where.join(' AND ')} ORDER BY seq ${q.ascending ? 'ASC' : 'DESC'} LIMIT ?`,
    [...params, q.limit],
  );
  return rows.map((r) => ({
    seq: Number(r.seq),
    accountId: r.account_id,
    region: r.region,
    alarmName: r.alarm_name,
    alarmType: r.alarm_type as HistoryItem['alarmType'],
    timestamp: Number(r.ts),
    itemType: r.item_type as HistoryItem['itemType'],
    summary: r.summary,
    data: r.data,
  }));
}

/** Retention: history older than `before` (epoch ms) goes. */
export async function expireHistory(db: Queryable, before: number): Promise<void> {
  await db.run('DELETE FROM cw_alarm_history WHERE ts < ?', [before]);
}
