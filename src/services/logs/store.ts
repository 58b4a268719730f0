/**
 * @module services/logs/store
 * The CloudWatch Logs tables (migration 0010-logs), and the only SQL of this service.
 *
 * Functions take a `Queryable` so the same statement runs inside `store.transaction` (writes that
 * touch several rows) or on its own (reads). Every read of events is a keyset page ordered by
 * (timestamp, id) over one of the two event indexes, so a read never loads more than its page.
 * Names are compared byte-wise (`=`, `substr`), never with LIKE, which SQLite matches
 * case-insensitively.
 */
import type { Queryable, SqlValue } from '../../store/store.js';

export interface Scope {
  accountId: string;
  region: string;
}

export interface GroupRecord {
  id: number;
  name: string;
  createdAt: number;
  retentionDays: number | null;
  kmsKeyId: string | null;
  groupClass: string;
  storedBytes: number;
}

export interface StreamRecord {
  id: number;
  groupId: number;
  name: string;
  createdAt: number;
  firstEvent: number;
  lastEvent: number;
  lastIngestion: number | null;
  storedBytes: number;
  uploadSeq: number;
}

export interface EventRecord {
  id: number;
  streamId: number;
  ts: number;
  ingested: number;
  bytes: number;
  message: string;
}

export interface NewEvent {
  ts: number;
  message: string;
  bytes: number;
}

/** A position between two events in (timestamp, id) order. */
export interface Cursor {
  ts: number;
  id: number;
}

const GROUP_COLS = 'g.id, g.name, g.created_at, g.retention_days, g.kms_key_id, g.group_class, g.stored_bytes';
const STREAM_COLS = 's.id, s.group_id, s.name, s.created_at, s.first_event, s.last_event, s.last_ingestion, s.stored_bytes, s.upload_seq';

type Row = Record<string, unknown>;
const num = (v: unknown) => Number(v);
const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function toGroup(r: Row): GroupRecord {
  return {
    id: num(r.id), name: String(r.name), createdAt: num(r.created_at), retentionDays: numOrNull(r.retention_days),
    kmsKeyId: (r.kms_key_id as string | null) ?? null, groupClass: String(r.group_class), storedBytes: num(r.stored_bytes),
  };
}

function toStream(r: Row): StreamRecord {
  return {
    id: num(r.id), groupId: num(r.group_id), name: String(r.name), createdAt: num(r.created_at), firstEvent: num(r.first_event),
    lastEvent: num(r.last_event), lastIngestion: numOrNull(r.last_ingestion), storedBytes: num(r.stored_bytes), uploadSeq: num(r.upload_seq),
  };
}

function toEvent(r: Row): EventRecord {
  return { id: num(r.id), streamId: num(r.stream_id), ts: num(r.ts), ingested: num(r.ingested), bytes: num(r.bytes), message: String(r.message) };
}

const list = (n: number) => new Array(n).fill('?').join(', ');

// --- groups ------------------------------------------------------------------------------------

export async function findGroup(db: Queryable, s: Scope, name: string): Promise<GroupRecord | undefined> {
  const r = await db.one<Row>(`SELECT ${GROUP_COLS} FROM logs_groups g WHERE g.account_id = ? AND g.region = ? AND g.name = ?`, [s.accountId, s.region, name]);
  return r && toGroup(r);
}

export async function insertGroup(db: Queryable, s: Scope, g: Omit<GroupRecord, 'id' | 'storedBytes' | 'retentionDays'>): Promise<number> {
  const r = await db.one<{ id: number }>(
    'INSERT INTO logs_groups (account_id, region, name, created_at, kms_key_id, group_class) VALUES (?, ?, ?, ?, ?, ?) RETURNING id',
    [s.accountId, s.region, g.name, g.createdAt, g.kmsKeyId, g.groupClass],
  );
  return num(r!.id);
}

/** Removes the group with its streams, metric filters and tags; its events are purged later. */
export async function deleteGroup(db: Queryable, groupId: number): Promise<void> {
  await db.run('DELETE FROM logs_streams WHERE group_id = ?', [groupId]);
  await db.run('DELETE FROM logs_metric_filters WHERE group_id = ?', [groupId]);
  await db.run('DELETE FROM logs_group_tags WHERE group_id = ?', [groupId]);
  await db.run('DELETE FROM logs_groups WHERE id = ?', [groupId]);
  await db.run('INSERT INTO logs_purges (group_id, stream_id) VALUES (?, NULL)', [groupId]);
}

export async function setRetention(db: Queryable, groupId: number, days: number | null): Promise<void> {
  await db.run('UPDATE logs_groups SET retention_days = ? WHERE id = ?', [days, groupId]);
}

export interface GroupListQuery {
  /** keyset: only names after this one */
  after?: string;
  prefix?: string;
  groupClass?: string;
  limit: number;
}

export interface GroupListing extends GroupRecord {
  metricFilterCount: number;
}

/** Groups of the scope in name order. */
export async function listGroups(db: Queryable, s: Scope, q: GroupListQuery): Promise<GroupListing[]> {
  const where = ['g.account_id = ?', 'g.region = ?'];
  const params: SqlValue[] = [s.accountId, s.region];
  if (q.after !== undefined) {
    where.push('g.name > ?');
    params.push(q.after);
  }
  if (q.prefix !== undefined) {
    // the range lets the name index narrow the scan; substr makes it exact and case-sensitive
    where.push('g.name >= ?', 'substr(g.name, 1, ?) = ?');
    params.push(q.prefix, q.prefix.length, q.prefix);
  }
  if (q.groupClass !== undefined) {
    where.push('g.group_class = ?');
    params.push(q.groupClass);
  }
  params.push(q.limit);
  const rows = await db.all<Row>(
    `SELECT ${GROUP_COLS}, (SELECT count(*) FROM logs_metric_filters f WHERE f.group_id = g.id) AS filter_count
       FROM logs_groups g WHERE ${where.join(' AND ')} ORDER BY g.name LIMIT ?`,
    params,
  );
  return rows.map((r) => ({ ...toGroup(r), metricFilterCount: num(r.filter_count) }));
}

/** Every group with a retention policy, in every scope (the sweep). */
export async function groupsWithRetention(db: Queryable): Promise<Array<{ id: number; retentionDays: number }>> {
  const rows = await db.all<Row>('SELECT id, retention_days FROM logs_groups WHERE retention_days IS NOT NULL ORDER BY id');
  return rows.map((r) => ({ id: num(r.id), retentionDays: num(r.retention_days) }));
}

// --- streams -----------------------------------------------------------------------------------

export async function findStream(db: Queryable, groupId: number, name: string): Promise<StreamRecord | undefined> {
  const r = await db.one<Row>(`SELECT ${STREAM_COLS} FROM logs_streams s WHERE s.group_id = ? AND s.name = ?`, [groupId, name]);
  return r && toStream(r);
}

export async function insertStream(db: Queryable, groupId: number, name: string, createdAt: number): Promise<number> {
  const r = await db.one<{ id: number }>('INSERT INTO logs_streams (group_id, name, created_at) VALUES (?, ?, ?) RETURNING id', [groupId, name, createdAt]);
  return num(r!.id);
}

/** Removes the stream and its bytes from the group's total; its events are purged later. */
export async function deleteStream(db: Queryable, stream: StreamRecord): Promise<void> {
  await db.run('DELETE FROM logs_streams WHERE id = ?', [stream.id]);
  await db.run('UPDATE logs_groups SET stored_bytes = CASE WHEN stored_bytes > ? THEN stored_bytes - ? ELSE 0 END WHERE id = ?', [stream.storedBytes, stream.storedBytes, stream.groupId]);
  await db.run('INSERT INTO logs_purges (group_id, stream_id) VALUES (?, ?)', [stream.groupId, stream.id]);
}

export interface StreamListQuery {
  orderBy: 'LogStreamName' | 'LastEventTime';
  descending: boolean;
  prefix?: string;
  /** keyset: the last stream of the previous page */
  after?: { name: string; lastEvent: number };
  limit: number;
}

export async function listStreams(db: Queryable, groupId: number, q: StreamListQuery): Promise<StreamRecord[]> {
  const where = ['s.group_id = ?'];
  const params: SqlValue[] = [groupId];
  const dir = q.descending ? 'DESC' : 'ASC';
  const beyond = q.descending ? '<' : '>';
  if (q.prefix !== undefined) {
    where.push('substr(s.name, 1, ?) = ?');
    params.push(q.prefix.length, q.prefix);
  }
  let order: string;
  if (q.orderBy === 'LogStreamName') {
    if (q.after) {
      where.push(`s.name ${beyond} ?`);
      params.push(q.after.name);
    }
    order = `s.name ${dir}`;
  } else {
    if (q.after) {
      where.push(`(s.last_event ${beyond} ? OR (s.last_event = ? AND s.name ${beyond} ?))`);
      params.push(q.after.lastEvent, q.after.lastEvent, q.after.name);
    }
    order = `s.last_event ${dir}, s.name ${dir}`;
  }
  params.push(q.limit);
  const rows = await db.all<Row>(`SELECT ${STREAM_COLS} FROM logs_streams s WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ?`, params);
  return rows.map(toStream);
}

/** The streams among `names` that exist in the group. */
export async function streamsNamed(db: Queryable, groupId: number, names: readonly string[]): Promise<Array<{ id: number; name: string }>> {
  if (names.length === 0) return [];
  const rows = await db.all<Row>(`SELECT id, name FROM logs_streams WHERE group_id = ? AND name IN (${list(names.length)})`, [groupId, ...names]);
  return rows.map((r) => ({ id: num(r.id), name: String(r.name) }));
}

export interface UploadStats {
  first: number;
  last: number;
  ingested: number;
  bytes: number;
}

/** Folds an accepted batch into the stream's and group's figures; returns the new sequence number. */
export async function recordUpload(db: Queryable, stream: { id: number; groupId: number }, u: UploadStats): Promise<number> {
  const r = await db.one<{ upload_seq: number }>(
    `UPDATE logs_streams SET
       first_event = CASE WHEN last_ingestion IS NULL OR ? < first_event THEN ? ELSE first_event END,
       last_event = CASE WHEN last_ingestion IS NULL OR ? > last_event THEN ? ELSE last_event END,
       last_ingestion = ?, stored_bytes = stored_bytes + ?, upload_seq = upload_seq + 1
     WHERE id = ? RETURNING upload_seq`,
    [u.first, u.first, u.last, u.last, u.ingested, u.bytes, stream.id],
  );
  if (u.bytes > 0) await db.run('UPDATE logs_groups SET stored_bytes = stored_bytes + ? WHERE id = ?', [u.bytes, stream.groupId]);
  return num(r!.upload_seq);
}

// --- events ------------------------------------------------------------------------------------

const LADDER = [256, 64, 16, 4, 1];
const insertSql = new Map<number, string>();

function insertStatement(rows: number): string {
  let sql = insertSql.get(rows);
  if (!sql) {
    const tuples = new Array(rows).fill('(?, ?, ?, ?, ?, ?)').join(', ');
    sql = `INSERT INTO logs_events (group_id, stream_id, ts, ingested, bytes, message) VALUES ${tuples}`;
    insertSql.set(rows, sql);
  }
  return sql;
}

/** Appends events in multi-row statements of a few fixed sizes (so few statements are prepared). */
export async function insertEvents(db: Queryable, groupId: number, streamId: number, ingested: number, events: readonly NewEvent[]): Promise<void> {
  let i = 0;
  for (const size of LADDER) {
    while (events.length - i >= size) {
      const params: SqlValue[] = [];
      for (let k = i; k < i + size; k++) params.push(groupId, streamId, events[k].ts, ingested, events[k].bytes, events[k].message);
      await db.run(insertStatement(size), params);
      i += size;
    }
  }
}

export interface StreamPageQuery {
  streamId: number;
  /** exclusive boundary: forward reads events after it, backward reads events at or before it */
  cursor: Cursor;
  direction: 'forward' | 'backward';
  /** inclusive */
  startTime: number;
  /** exclusive */
  endTime: number;
  limit: number;
}

/**
 * One page of a stream's events; backward pages come newest first. The cursor's timestamp also
 * bounds the index range, so a page deep into a stream does not re-read the pages before it.
 */
export async function streamPage(db: Queryable, q: StreamPageQuery): Promise<EventRecord[]> {
  const c = q.cursor;
  const rows = q.direction === 'forward'
    ? await db.all<Row>(
      `SELECT id, stream_id, ts, ingested, bytes, message FROM logs_events
        WHERE stream_id = ? AND ts >= ? AND ts < ? AND (ts > ? OR id > ?)
        ORDER BY ts, id LIMIT ?`,
      [q.streamId, Math.max(q.startTime, c.ts), q.endTime, c.ts, c.id, q.limit],
    )
    : await db.all<Row>(
      `SELECT id, stream_id, ts, ingested, bytes, message FROM logs_events
        WHERE stream_id = ? AND ts >= ? AND ts <= ? AND (ts < ? OR id <= ?)
        ORDER BY ts DESC, id DESC LIMIT ?`,
      [q.streamId, q.startTime, Math.min(q.endTime - 1, c.ts), c.ts, c.id, q.limit],
    );
  return rows.map(toEvent);
}

export interface GroupPageQuery {
  groupId: number;
  /** events after this position */
  after: Cursor;
  /** inclusive */
  startTime: number;
  /** inclusive */
  endTime: number;
  /** only these streams (ids); a single one reads the stream index */
  streamIds?: readonly number[];
  /** only streams whose name starts with this */
  streamPrefix?: string;
  limit: number;
}

export interface GroupEventRecord extends EventRecord {
  streamName: string;
}

/**
 * One page of a group's events in (timestamp, id) order across its streams. The join drops events
 * of deleted streams not purged yet. With several streams the `+` keeps SQLite on the group index,
 * which yields rows already in order, instead of collecting and sorting every row of the streams.
 */
export async function groupPage(db: Queryable, q: GroupPageQuery): Promise<GroupEventRecord[]> {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (q.streamIds && q.streamIds.length === 1) {
    where.push('e.stream_id = ?');
    params.push(q.streamIds[0]);
  } else {
    where.push('e.group_id = ?');
    params.push(q.groupId);
    if (q.streamIds) {
      where.push(`+e.stream_id IN (${list(q.streamIds.length)})`);
      params.push(...q.streamIds);
    }
  }
  // the lower bound is the cursor's timestamp when later than startTime: the index range starts there
  where.push('e.ts >= ?', 'e.ts <= ?', '(e.ts > ? OR e.id > ?)');
  params.push(Math.max(q.startTime, q.after.ts), q.endTime, q.after.ts, q.after.id);
  if (q.streamPrefix !== undefined) {
    where.push('substr(s.name, 1, ?) = ?');
    params.push(q.streamPrefix.length, q.streamPrefix);
  }
  params.push(q.limit);
  const rows = await db.all<Row>(
    `SELECT e.id, e.stream_id, e.ts, e.ingested, e.bytes, e.message, s.name AS stream_name
       FROM logs_events e JOIN logs_streams s ON s.id = e.stream_id
      WHERE ${where.join(' AND ')}
      ORDER BY e.ts, e.id LIMIT ?`,
    params,
  );
  return rows.map((r) => {
    const e = toEvent(r) as GroupEventRecord;
    e.streamName = String(r.stream_name);
    return e;
  });
}

/** Deletes up to `batch` of the group's events older than `before`; returns how many and their bytes. */
export async function expireEvents(db: Queryable, groupId: number, before: number, batch: number): Promise<{ count: number; bytes: number }> {
  const oldest = 'SELECT id, bytes FROM logs_events WHERE group_id = ? AND ts < ? ORDER BY ts, id LIMIT ?';
  const sum = await db.one<{ n: number; b: number | null }>(`SELECT count(*) AS n, sum(bytes) AS b FROM (${oldest}) x`, [groupId, before, batch]);
  const count = num(sum?.n ?? 0);
  if (count === 0) return { count: 0, bytes: 0 };
  await db.run(`DELETE FROM logs_events WHERE id IN (SELECT id FROM (${oldest}) x)`, [groupId, before, batch]);
  const bytes = num(sum?.b ?? 0);
  await db.run('UPDATE logs_groups SET stored_bytes = CASE WHEN stored_bytes > ? THEN stored_bytes - ? ELSE 0 END WHERE id = ?', [bytes, bytes, groupId]);
  return { count, bytes };
}

export interface Purge {
  id: number;
  groupId: number;
  streamId: number | null;
}

export async function pendingPurges(db: Queryable): Promise<Purge[]> {
  const rows = await db.all<Row>('SELECT id, group_id, stream_id FROM logs_purges ORDER BY id');
  return rows.map((r) => ({ id: num(r.id), groupId: num(r.group_id), streamId: numOrNull(r.stream_id) }));
}

/** Deletes up to `batch` events of a purge; the purge row goes once nothing is left. Returns rows deleted. */
export async function runPurge(db: Queryable, p: Purge, batch: number): Promise<number> {
  const pick = p.streamId === null
    ? 'SELECT id FROM logs_events WHERE group_id = ? LIMIT ?'
    : 'SELECT id FROM logs_events WHERE stream_id = ? LIMIT ?';
  const r = await db.run(`DELETE FROM logs_events WHERE id IN (${pick})`, [p.streamId ?? p.groupId, batch]);
  if (r.changes < batch) await db.run('DELETE FROM logs_purges WHERE id = ?', [p.id]);
  return r.changes;
}

// --- metric filters ----------------------------------------------------------------------------

export interface MetricFilterRecord {
  groupId: number;
  groupName: string;
  name: string;
  pattern: string;
  /** JSON */
  transformations: string;
  createdAt: number;
}

export interface NewMetricFilter {
  name: string;
  pattern: string;
  transformations: string;
  namespace: string;
  metricName: string;
  createdAt: number;
}

const FILTER_COLS = 'f.group_id, g.name AS group_name, f.name, f.pattern, f.transformations, f.created_at';

function toFilter(r: Row): MetricFilterRecord {
  return {
    groupId: num(r.group_id), groupName: String(r.group_name), name: String(r.name), pattern: String(r.pattern),
    transformations: String(r.transformations), createdAt: num(r.created_at),
  };
}

export async function metricFiltersOf(db: Queryable, groupId: number): Promise<MetricFilterRecord[]> {
  const rows = await db.all<Row>(
    `SELECT ${FILTER_COLS} FROM logs_metric_filters f JOIN logs_groups g ON g.id = f.group_id WHERE f.group_id = ? ORDER BY f.name`,
    [groupId],
  );
  return rows.map(toFilter);
}

/** Creates or replaces (by name) a metric filter; a replaced one keeps its creation time. */
export async function putMetricFilter(db: Queryable, groupId: number, f: NewMetricFilter): Promise<void> {
  const updated = await db.run(
    'UPDATE logs_metric_filters SET pattern = ?, transformations = ?, metric_namespace = ?, metric_name = ? WHERE group_id = ? AND name = ?',
    [f.pattern, f.transformations, f.namespace, f.metricName, groupId, f.name],
  );
  if (updated.changes === 0) {
    await db.run(
      `INSERT INTO logs_metric_filters (group_id, name, pattern, transformations, metric_namespace, metric_name, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [groupId, f.name, f.pattern, f.transformations, f.namespace, f.metricName, f.createdAt],
    );
  }
}

export async function metricFilterExists(db: Queryable, groupId: number, name: string): Promise<boolean> {
  return (await db.one('SELECT 1 AS x FROM logs_metric_filters WHERE group_id = ? AND name = ?', [groupId, name])) !== undefined;
}

export async function deleteMetricFilter(db: Queryable, groupId: number, name: string): Promise<boolean> {
  const r = await db.run('DELETE FROM logs_metric_filters WHERE group_id = ? AND name = ?', [groupId, name]);
  return r.changes > 0;
}

export async function countMetricFilters(db: Queryable, groupId: number): Promise<number> {
  const r = await db.one<{ n: number }>('SELECT count(*) AS n FROM logs_metric_filters WHERE group_id = ?', [groupId]);
  return num(r?.n ?? 0);
}

export interface MetricFilterQuery {
  groupId?: number;
  prefix?: string;
  metric?: { namespace: string; name: string };
  /** keyset: (group name, filter name) of the last one returned */
  after?: { groupName: string; name: string };
  limit: number;
}

/** Metric filters of the scope in (group name, filter name) order. */
export async function listMetricFilters(db: Queryable, s: Scope, q: MetricFilterQuery): Promise<MetricFilterRecord[]> {
  const where = ['g.account_id = ?', 'g.region = ?'];
  const params: SqlValue[] = [s.accountId, s.region];
  if (q.groupId !== undefined) {
    where.push('f.group_id = ?');
    params.push(q.groupId);
  }
  if (q.prefix !== undefined) {
    where.push('substr(f.name, 1, ?) = ?');
    params.push(q.prefix.length, q.prefix);
  }
  if (q.metric) {
    where.push('f.metric_namespace = ?', 'f.metric_name = ?');
    params.push(q.metric.namespace, q.metric.name);
  }
  if (q.after) {
    where.push('(g.name > ? OR (g.name = ? AND f.name > ?))');
    params.push(q.after.groupName, q.after.groupName, q.after.name);
  }
  params.push(q.limit);
  const rows = await db.all<Row>(
    `SELECT ${FILTER_COLS} FROM logs_metric_filters f JOIN logs_groups g ON g.id = f.group_id
      WHERE ${where.join(' AND ')} ORDER BY g.name, f.name LIMIT ?`,
    params,
  );
  return rows.map(toFilter);
}

// --- tags --------------------------------------------------------------------------------------

export async function tagsOf(db: Queryable, groupId: number): Promise<Map<string, string>> {
  const rows = await db.all<{ tag_key: string; tag_value: string }>('SELECT tag_key, tag_value FROM logs_group_tags WHERE group_id = ? ORDER BY tag_key', [groupId]);
  return new Map(rows.map((r) => [r.tag_key, r.tag_value]));
}

export async function putTag(db: Queryable, groupId: number, key: string, value: string): Promise<void> {
  const updated = await db.run('UPDATE logs_group_tags SET tag_value = ? WHERE group_id = ? AND tag_key = ?', [value, groupId, key]);
  if (updated.changes === 0) await db.run('INSERT INTO logs_group_tags (group_id, tag_key, tag_value) VALUES (?, ?, ?)', [groupId, key, value]);
}

export async function removeTag(db: Queryable, groupId: number, key: string): Promise<void> {
  await db.run('DELETE FROM logs_group_tags WHERE group_id = ? AND tag_key = ?', [groupId, key]);
}
