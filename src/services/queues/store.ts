/**
 * @module services/queues/store
 * The SQS tables (migration 0004-queues), and the only SQL of this service.
 *
 * Functions take a `Queryable` so the same statement runs inside a `store.transaction` (a receive
 * that marks messages in flight, a send that takes a sequence number and a dedup entry) or alone.
 * Times are epoch milliseconds. Names are compared with `=` and `substr`, never LIKE (which SQLite
 * matches case-insensitively while queue names are case-sensitive).
 */
import type { Queryable, SqlValue } from '../../store/store.js';

export interface Scope {
  accountId: string;
  region: string;
}

export interface QueueRow {
  id: number;
  account_id: string;
  region: string;
  name: string;
  fifo: number;
  attributes: string;
  dlq_arn: string | null;
  created_at: number;
  modified_at: number;
  purged_at: number | null;
  last_seq: number;
}

export interface MessageRow {
  id: number;
  queue_id: number;
  message_id: string;
  body: string;
  attributes: string | null;
  system_attributes: string | null;
  md5_body: string;
  md5_attributes: string | null;
  md5_system: string | null;
  sender_id: string;
  sent_at: number;
  visible_at: number;
  receive_count: number;
  first_received_at: number | null;
  receipt: string | null;
  group_id: string | null;
  dedup_id: string | null;
  sequence_number: string | null;
  dead_letter_source: string | null;
}

export type NewMessage = Omit<MessageRow, 'id' | 'receive_count' | 'first_received_at' | 'receipt'>;

export interface MoveTaskRow {
  id: number;
  task_handle: string;
  source_queue_id: number;
  source_arn: string;
  destination_arn: string | null;
  max_per_second: number | null;
  status: string;
  to_move: number;
  moved: number;
  last_message_id: number;
  failure_reason: string | null;
  started_at: number;
}

// --- queues -------------------------------------------------------------------------------

export async function insertQueue(
  db: Queryable, s: Scope, q: { name: string; fifo: boolean; attributes: string; dlqArn: string | null; at: number },
): Promise<number> {
  const row = await db.one<{ id: number }>(
    `INSERT INTO sqs_queues (account_id, region, name, fifo, attributes, dlq_arn, created_at, modified_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    [s.accountId, s.region, q.name, q.fifo, q.attributes, q.dlqArn, q.at, q.at],
  );
  return Number(row!.id);
}

export async function queueByName(db: Queryable, s: Scope, name: string): Promise<QueueRow | undefined> {
  return db.one<QueueRow>('SELECT * FROM sqs_queues WHERE account_id = ? AND region = ? AND name = ?', [s.accountId, s.region, name]);
}

export async function queueById(db: Queryable, id: number): Promise<QueueRow | undefined> {
  return db.one<QueueRow>('SELECT * FROM sqs_queues WHERE id = ?', [id]);
}

/** Queues of the scope in name order, after `after`, whose name starts with `prefix`. */
export async function listQueues(db: Queryable, s: Scope, prefix: string, after: string, limit: number): Promise<string[]> {
  const rows = await db.all<{ name: string }>(
    `SELECT name FROM sqs_queues WHERE account_id = ? AND region = ? AND substr(name, 1, ?) = ? AND name > ?
      ORDER BY name LIMIT ?`,
    [s.accountId, s.region, prefix.length, prefix, after, limit],
  );
  return rows.map((r) => r.name);
}

/** Names of the queues whose RedrivePolicy targets `dlqArn`. */
export async function deadLetterSources(db: Queryable, s: Scope, dlqArn: string, after: string, limit: number): Promise<string[]> {
  const rows = await db.all<{ name: string }>(
    'SELECT name FROM sqs_queues WHERE account_id = ? AND region = ? AND dlq_arn = ? AND name > ? ORDER BY name LIMIT ?',
    [s.accountId, s.region, dlqArn, after, limit],
  );
  return rows.map((r) => r.name);
}

export async function updateQueueAttributes(db: Queryable, id: number, attributes: string, dlqArn: string | null, at: number): Promise<void> {
  await db.run('UPDATE sqs_queues SET attributes = ?, dlq_arn = ?, modified_at = ? WHERE id = ?', [attributes, dlqArn, at, id]);
}

export async function setPurgedAt(db: Queryable, id: number, at: number): Promise<void> {
  await db.run('UPDATE sqs_queues SET purged_at = ? WHERE id = ?', [at, id]);
}

/** The next FIFO sequence number of the queue (call inside the sending transaction). */
export async function nextSequence(db: Queryable, id: number): Promise<number> {
  const row = await db.one<{ last_seq: number }>('UPDATE sqs_queues SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq', [id]);
  return Number(row!.last_seq);
}

/** Removes the queue with its messages, tags and dedup entries. */
export async function deleteQueue(db: Queryable, id: number): Promise<void> {
  await db.run('DELETE FROM sqs_messages WHERE queue_id = ?', [id]);
  await db.run('DELETE FROM sqs_dedup WHERE queue_id = ?', [id]);
  await db.run('DELETE FROM sqs_queue_tags WHERE queue_id = ?', [id]);
  await db.run("UPDATE sqs_move_tasks SET status = 'FAILED', failure_reason = 'AWS.SimpleQueueService.NonExistentQueue' WHERE source_queue_id = ? AND status = 'RUNNING'", [id]);
  await db.run('DELETE FROM sqs_queues WHERE id = ?', [id]);
}

/** id and attributes of every queue (the retention sweep). */
export async function allQueues(db: Queryable): Promise<Array<{ id: number; attributes: string }>> {
  return db.all('SELECT id, attributes FROM sqs_queues ORDER BY id');
}

// --- tags ---------------------------------------------------------------------------------

export async function tagsOf(db: Queryable, queueId: number): Promise<Record<string, string>> {
  const rows = await db.all<{ tag_key: string; tag_value: string }>('SELECT tag_key, tag_value FROM sqs_queue_tags WHERE queue_id = ? ORDER BY tag_key', [queueId]);
  const out: Record<string, string> = {};
  for (const r of rows) out[r.tag_key] = r.tag_value;
  return out;
}

export async function putTag(db: Queryable, queueId: number, key: string, value: string): Promise<void> {
  const r = await db.run('UPDATE sqs_queue_tags SET tag_value = ? WHERE queue_id = ? AND tag_key = ?', [value, queueId, key]);
  if (r.changes === 0) await db.run('INSERT INTO sqs_queue_tags (queue_id, tag_key, tag_value) VALUES (?, ?, ?)', [queueId, key, value]);
}

export async function removeTag(db: Queryable, queueId: number, key: string): Promise<void> {
  await db.run('DELETE FROM sqs_queue_tags WHERE queue_id = ? AND tag_key = ?', [queueId, key]);
}

// --- messages -----------------------------------------------------------------------------

export async function insertMessage(db: Queryable, m: NewMessage): Promise<number> {
  const row = await db.one<{ id: number }>(
    `INSERT INTO sqs_messages (queue_id, message_id, body, attributes, system_attributes, md5_body, md5_attributes, md5_system,
       sender_id, sent_at, visible_at, group_id, dedup_id, sequence_number, dead_letter_source)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    [m.queue_id, m.message_id, m.body, m.attributes, m.system_attributes, m.md5_body, m.md5_attributes, m.md5_system,
      m.sender_id, m.sent_at, m.visible_at, m.group_id, m.dedup_id, m.sequence_number, m.dead_letter_source],
  );
  return Number(row!.id);
}

/** Standard queue: messages ready now and still retained, longest-ready first. */
export async function readyMessages(db: Queryable, queueId: number, now: number, retainedAfter: number, limit: number): Promise<MessageRow[]> {
  return db.all<MessageRow>(
    `SELECT * FROM sqs_messages WHERE queue_id = ? AND visible_at <= ? AND sent_at > ?
      ORDER BY visible_at, id LIMIT ?`,
    [queueId, now, retainedAfter, limit],
  );
}

/** FIFO queue: messages ready now, in arrival order, after row `afterId` (paging past blocked groups). */
export async function readyInOrder(db: Queryable, queueId: number, now: number, retainedAfter: number, afterId: number, limit: number): Promise<MessageRow[]> {
  return db.all<MessageRow>(
    `SELECT * FROM sqs_messages WHERE queue_id = ? AND id > ? AND visible_at <= ? AND sent_at > ?
      ORDER BY id LIMIT ?`,
    [queueId, afterId, now, retainedAfter, limit],
  );
}

/** FIFO: message groups with a message in flight (the rest of such a group must wait). */
export async function groupsInFlight(db: Queryable, queueId: number, now: number): Promise<Set<string>> {
  const rows = await db.all<{ group_id: string | null }>(
    'SELECT DISTINCT group_id FROM sqs_messages WHERE queue_id = ? AND receipt IS NOT NULL AND visible_at > ?',
    [queueId, now],
  );
  return new Set(rows.map((r) => r.group_id ?? ''));
}

export async function markReceived(db: Queryable, id: number, receipt: string, visibleAt: number, now: number): Promise<void> {
  await db.run(
    `UPDATE sqs_messages SET receipt = ?, visible_at = ?, receive_count = receive_count + 1,
       first_received_at = COALESCE(first_received_at, ?) WHERE id = ?`,
    [receipt, visibleAt, now, id],
  );
}

export async function messageById(db: Queryable, queueId: number, id: number): Promise<MessageRow | undefined> {
  return db.one<MessageRow>('SELECT * FROM sqs_messages WHERE id = ? AND queue_id = ?', [id, queueId]);
}

/** Deletes the message when `receipt` is still its latest receipt token; false otherwise. */
export async function deleteByReceipt(db: Queryable, queueId: number, id: number, receipt: string): Promise<boolean> {
  const r = await db.run('DELETE FROM sqs_messages WHERE id = ? AND queue_id = ? AND receipt = ?', [id, queueId, receipt]);
  return r.changes > 0;
}

export async function deleteMessage(db: Queryable, id: number): Promise<void> {
  await db.run('DELETE FROM sqs_messages WHERE id = ?', [id]);
}

export async function setVisibleAt(db: Queryable, id: number, visibleAt: number): Promise<void> {
  await db.run('UPDATE sqs_messages SET visible_at = ? WHERE id = ?', [visibleAt, id]);
}

export interface Counts {
  visible: number;
  inFlight: number;
  delayed: number;
}

export async function messageCounts(db: Queryable, queueId: number, now: number, retainedAfter: number): Promise<Counts> {
  const row = await db.one<{ visible: number | null; in_flight: number | null; delayed: number | null }>(
    `SELECT sum(CASE WHEN visible_at <= ? THEN 1 ELSE 0 END) AS visible,
            sum(CASE WHEN visible_at > ? AND receipt IS NOT NULL THEN 1 ELSE 0 END) AS in_flight,
            sum(CASE WHEN visible_at > ? AND receipt IS NULL THEN 1 ELSE 0 END) AS delayed
       FROM sqs_messages WHERE queue_id = ? AND sent_at > ?`,
    [now, now, now, queueId, retainedAfter],
  );
  return { visible: Number(row?.visible ?? 0), inFlight: Number(row?.in_flight ?? 0), delayed: Number(row?.delayed ?? 0) };
}

/** When the next invisible message of the queue becomes visible (long-poll wake-ups). */
export async function nextVisibleAt(db: Queryable, queueId: number, now: number): Promise<number | undefined> {
  const row = await db.one<{ t: number | null }>('SELECT min(visible_at) AS t FROM sqs_messages WHERE queue_id = ? AND visible_at > ?', [queueId, now]);
  return row?.t === null || row?.t === undefined ? undefined : Number(row.t);
}

export async function purgeMessages(db: Queryable, queueId: number): Promise<number> {
  return (await db.run('DELETE FROM sqs_messages WHERE queue_id = ?', [queueId])).changes;
}

/** Drops messages past the retention period. */
export async function expireMessages(db: Queryable, queueId: number, retainedAfter: number): Promise<number> {
  return (await db.run('DELETE FROM sqs_messages WHERE queue_id = ? AND sent_at <= ?', [queueId, retainedAfter])).changes;
}

/** Move tasks: messages present at the start (id ≤ lastId) and not in flight, in order. */
export async function movableMessages(db: Queryable, queueId: number, now: number, lastId: number, limit: number): Promise<MessageRow[]> {
  return db.all<MessageRow>(
    'SELECT * FROM sqs_messages WHERE queue_id = ? AND id <= ? AND visible_at <= ? ORDER BY id LIMIT ?',
    [queueId, lastId, now, limit],
  );
}

export async function lastMessageId(db: Queryable, queueId: number): Promise<{ lastId: number; count: number }> {
  const row = await db.one<{ m: number | null; n: number }>('SELECT max(id) AS m, count(*) AS n FROM sqs_messages WHERE queue_id = ?', [queueId]);
  return { lastId: Number(row?.m ?? 0), count: Number(row?.n ?? 0) };
}

// --- FIFO deduplication -------------------------------------------------------------------

export async function findDedup(db: Queryable, queueId: number, scope: string, dedupId: string, now: number): Promise<{ message_id: string; sequence_number: string | null } | undefined> {
  return db.one('SELECT message_id, sequence_number FROM sqs_dedup WHERE queue_id = ? AND scope = ? AND dedup_id = ? AND expires_at > ?',
    [queueId, scope, dedupId, now]);
}

export async function putDedup(db: Queryable, queueId: number, scope: string, dedupId: string, messageId: string, seq: string | null, expiresAt: number): Promise<void> {
  // An expired entry with the same key may still be there (the sweep is periodic): replace it.
  await db.run('DELETE FROM sqs_dedup WHERE queue_id = ? AND scope = ? AND dedup_id = ?', [queueId, scope, dedupId]);
  await db.run('INSERT INTO sqs_dedup (queue_id, scope, dedup_id, message_id, sequence_number, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
    [queueId, scope, dedupId, messageId, seq, expiresAt]);
}

export async function expireDedup(db: Queryable, now: number): Promise<number> {
  return (await db.run('DELETE FROM sqs_dedup WHERE expires_at <= ?', [now])).changes;
}

// --- message move tasks -------------------------------------------------------------------

export async function insertMoveTask(db: Queryable, t: Omit<MoveTaskRow, 'id' | 'moved' | 'failure_reason'>): Promise<void> {
  await db.run(
    `INSERT INTO sqs_move_tasks (task_handle, source_queue_id, source_arn, destination_arn, max_per_second, status, to_move, last_message_id, started_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [t.task_handle, t.source_queue_id, t.source_arn, t.destination_arn, t.max_per_second, t.status, t.to_move, t.last_message_id, t.started_at],
  );
}

export async function moveTasksOf(db: Queryable, sourceArn: string, limit: number): Promise<MoveTaskRow[]> {
  return db.all<MoveTaskRow>('SELECT * FROM sqs_move_tasks WHERE source_arn = ? ORDER BY id DESC LIMIT ?', [sourceArn, limit]);
}

export async function moveTaskByHandle(db: Queryable, handle: string): Promise<MoveTaskRow | undefined> {
  return db.one<MoveTaskRow>('SELECT * FROM sqs_move_tasks WHERE task_handle = ?', [handle]);
}

export async function runningMoveTasks(db: Queryable): Promise<MoveTaskRow[]> {
  return db.all<MoveTaskRow>("SELECT * FROM sqs_move_tasks WHERE status = 'RUNNING' ORDER BY id");
}

export async function updateMoveTask(db: Queryable, id: number, set: { status?: string; moved?: number; failureReason?: string }): Promise<void> {
  const cols: string[] = [];
  const params: SqlValue[] = [];
  if (set.status !== undefined) cols.push('status = ?'), params.push(set.status);
  if (set.moved !== undefined) cols.push('moved = ?'), params.push(set.moved);
  if (set.failureReason !== undefined) cols.push('failure_reason = ?'), params.push(set.failureReason);
  if (cols.length === 0) return;
  await db.run(`UPDATE sqs_move_tasks SET ${cols.join(', ')} WHERE id = ?`, [...params, id]);
}
