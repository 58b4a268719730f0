/**
 * @module services/events/store
 * The EventBridge tables (migration 0012). Every statement of this service is here.
 */
import type { Queryable } from '../../store/store.js';

export interface BusRow { arn: string; account_id: string; region: string; name: string; policy: string | null; created_at: number }
export interface RuleRow {
  arn: string; account_id: string; region: string; bus_name: string; name: string;
  event_pattern: string | null; schedule_expression: string | null; state: string; description: string | null;
  role_arn: string | null; managed_by: string | null; next_fire_at: number | null; created_at: number;
}
export interface TargetRow { rule_arn: string; id: string; arn: string; spec: string; seq: number }
export interface ArchiveRow {
  arn: string; account_id: string; region: string; name: string; source_arn: string; description: string | null;
  event_pattern: string | null; retention_days: number; state: string; created_at: number;
}
export interface ReplayRow {
  arn: string; account_id: string; region: string; name: string; description: string | null; source_arn: string;
  destination: string; event_start: number; event_end: number; state: string; state_reason: string | null;
  last_replayed: number | null; replay_start: number; replay_end: number | null; cursor_seq: number;
}
export interface ConnectionRow {
  arn: string; account_id: string; region: string; name: string; description: string | null; authorization_type: string;
  auth_public: string; auth_sealed: string; state: string; created_at: number; modified_at: number;
}
export interface ApiDestinationRow {
  arn: string; account_id: string; region: string; name: string; description: string | null; connection_arn: string;
  endpoint: string; http_method: string; rate_limit: number | null; state: string; created_at: number; modified_at: number;
}
export interface Scope { accountId: string; region: string }

// ---- buses -----------------------------------------------------------------------------------

export function getBus(db: Queryable, s: Scope, name: string): Promise<BusRow | undefined> {
  return db.one<BusRow>('SELECT * FROM events_buses WHERE account_id = ? AND region = ? AND name = ?', [s.accountId, s.region, name]);
}
export function listBuses(db: Queryable, s: Scope): Promise<BusRow[]> {
  return db.all<BusRow>('SELECT * FROM events_buses WHERE account_id = ? AND region = ? ORDER BY name', [s.accountId, s.region]);
}
export async function insertBus(db: Queryable, b: BusRow): Promise<void> {
  await db.run('INSERT INTO events_buses (arn, account_id, region, name, policy, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    [b.arn, b.account_id, b.region, b.name, b.policy, b.created_at]);
}
export async function deleteBus(db: Queryable, arn: string): Promise<void> {
  await db.run('DELETE FROM events_buses WHERE arn = ?', [arn]);
  await db.run('DELETE FROM events_tags WHERE arn = ?', [arn]);
}

// ---- rules and targets ---------------------------------------------------------------------------

export function getRule(db: Queryable, s: Scope, bus: string, name: string): Promise<RuleRow | undefined> {
  return db.one<RuleRow>('SELECT * FROM events_rules WHERE account_id = ? AND region = ? AND bus_name = ? AND name = ?', [s.accountId, s.region, bus, name]);
}
export function rulesOfBus(db: Queryable, s: Scope, bus: string): Promise<RuleRow[]> {
  return db.all<RuleRow>('SELECT * FROM events_rules WHERE account_id = ? AND region = ? AND bus_name = ? ORDER BY name', [s.accountId, s.region, bus]);
}
export function allRules(db: Queryable): Promise<RuleRow[]> {
  return db.all<RuleRow>('SELECT * FROM events_rules');
}
export function scheduledRules(db: Queryable): Promise<RuleRow[]> {
  return db.all<RuleRow>('SELECT * FROM events_rules WHERE schedule_expression IS NOT NULL');
}
export async function upsertRule(db: Queryable, r: RuleRow): Promise<void> {
  await db.run(
    `INSERT INTO events_rules (arn, account_id, region, bus_name, name, event_pattern, schedule_expression, state, description, role_arn, managed_by, next_fire_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (arn) DO UPDATE SET event_pattern = excluded.event_pattern, schedule_expression = excluded.schedule_expression,
       state = excluded.state, description = excluded.description, role_arn = excluded.role_arn, next_fire_at = excluded.next_fire_at`,
    [r.arn, r.account_id, r.region, r.bus_name, r.name, r.event_pattern, r.schedule_expression, r.state, r.description, r.role_arn, r.managed_by, r.next_fire_at, r.created_at],
  );
}
export async function setRuleState(db: Queryable, arn: string, state: string, nextFireAt: number | null): Promise<void> {
  await db.run('UPDATE events_rules SET state = ?, next_fire_at = ? WHERE arn = ?', [state, nextFireAt, arn]);
}
export async function setNextFire(db: Queryable, arn: string, at: number | null): Promise<void> {
  await db.run('UPDATE events_rules SET next_fire_at = ? WHERE arn = ?', [at, arn]);
}
export async function deleteRule(db: Queryable, arn: string): Promise<void> {
  await db.run('DELETE FROM events_rules WHERE arn = ?', [arn]);
  await db.run('DELETE FROM events_tags WHERE arn = ?', [arn]);
}

export function targetsOf(db: Queryable, ruleArn: string): Promise<TargetRow[]> {
  return db.all<TargetRow>('SELECT * FROM events_targets WHERE rule_arn = ? ORDER BY seq', [ruleArn]);
}
export function allTargets(db: Queryable): Promise<TargetRow[]> {
  return db.all<TargetRow>('SELECT * FROM events_targets ORDER BY rule_arn, seq');
}
export function rulesTargeting(db: Queryable, targetArn: string): Promise<{ rule_arn: string }[]> {
  return db.all('SELECT DISTINCT rule_arn FROM events_targets WHERE arn = ?', [targetArn]);
}
export async function upsertTarget(db: Queryable, t: TargetRow): Promise<void> {
  await db.run(
    `INSERT INTO events_targets (rule_arn, id, arn, spec, seq) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (rule_arn, id) DO UPDATE SET arn = excluded.arn, spec = excluded.spec`,
    [t.rule_arn, t.id, t.arn, t.spec, t.seq],
  );
}
export async function deleteTarget(db: Queryable, ruleArn: string, id: string): Promise<number> {
  return (await db.run('DELETE FROM events_targets WHERE rule_arn = ? AND id = ?', [ruleArn, id])).changes;
}
export async function nextTargetSeq(db: Queryable, ruleArn: string): Promise<number> {
  const r = await db.one<{ m: number | null }>('SELECT MAX(seq) AS m FROM events_targets WHERE rule_arn = ?', [ruleArn]);
  return (r?.m ?? 0) + 1;
}

// ---- tags ------------------------------------------------------------------------------------

export async function tagsOf(db: Queryable, arn: string): Promise<Map<string, string>> {
  const rows = await db.all<{ key: string; value: string }>('SELECT key, value FROM events_tags WHERE arn = ? ORDER BY key', [arn]);
  return new Map(rows.map((r) => [r.key, r.value]));
}
export async function putTag(db: Queryable, arn: string, key: string, value: string): Promise<void> {
  await db.run('INSERT INTO events_tags (arn, key, value) VALUES (?, ?, ?) ON CONFLICT (arn, key) DO UPDATE SET value = excluded.value', [arn, key, value]);
}
export async function removeTag(db: Queryable, arn: string, key: string): Promise<void> {
  await db.run('DELETE FROM events_tags WHERE arn = ? AND key = ?', [arn, key]);
}

// ---- archives and replays --------------------------------------------------------------------------

export function getArchive(db: Queryable, s: Scope, name: string): Promise<ArchiveRow | undefined> {
  return db.one<ArchiveRow>('SELECT * FROM events_archives WHERE account_id = ? AND region = ? AND name = ?', [s.accountId, s.region, name]);
}
export function getArchiveByArn(db: Queryable, arn: string): Promise<ArchiveRow | undefined> {
  return db.one<ArchiveRow>('SELECT * FROM events_archives WHERE arn = ?', [arn]);
}
export function listArchives(db: Queryable, s: Scope): Promise<ArchiveRow[]> {
  return db.all<ArchiveRow>('SELECT * FROM events_archives WHERE account_id = ? AND region = ? ORDER BY name', [s.accountId, s.region]);
}
export function allArchives(db: Queryable): Promise<ArchiveRow[]> {
  return db.all<ArchiveRow>('SELECT * FROM events_archives');
}
export async function upsertArchive(db: Queryable, a: ArchiveRow): Promise<void> {
  await db.run(
    `INSERT INTO events_archives (arn, account_id, region, name, source_arn, description, event_pattern, retention_days, state, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (arn) DO UPDATE SET description = excluded.description, event_pattern = excluded.event_pattern, retention_days = excluded.retention_days`,
    [a.arn, a.account_id, a.region, a.name, a.source_arn, a.description, a.event_pattern, a.retention_days, a.state, a.created_at],
  );
}
export async function deleteArchive(db: Queryable, arn: string): Promise<void> {
  await db.run('DELETE FROM events_archives WHERE arn = ?', [arn]);
  await db.run('DELETE FROM events_archived WHERE archive_arn = ?', [arn]);
}
/** Appends an event to an archive; a replayed delivery of the same event id is ignored. */
export async function archiveEvent(db: Queryable, archiveArn: string, eventId: string, time: number, body: string): Promise<void> {
  await db.run('INSERT INTO events_archived (archive_arn, event_id, event_time, body) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING', [archiveArn, eventId, time, body]);
}
export async function archiveStats(db: Queryable, archiveArn: string): Promise<{ count: number; bytes: number }> {
  const r = await db.one<{ n: number; b: number | null }>('SELECT COUNT(*) AS n, SUM(LENGTH(body)) AS b FROM events_archived WHERE archive_arn = ?', [archiveArn]);
  return { count: r?.n ?? 0, bytes: r?.b ?? 0 };
}
export function archivedBetween(db: Queryable, archiveArn: string, from: number, to: number, afterSeq: number, limit: number): Promise<{ seq: number; event_time: number; body: string }[]> {
  return db.all('SELECT seq, event_time, body FROM events_archived WHERE archive_arn = ? AND event_time >= ? AND event_time < ? AND seq > ? ORDER BY seq LIMIT ?',
    [archiveArn, from, to, afterSeq, limit]);
}
export async function expireArchived(db: Queryable, archiveArn: string, before: number): Promise<void> {
  await db.run('DELETE FROM events_archived WHERE archive_arn = ? AND event_time < ?', [archiveArn, before]);
}

export function getReplay(db: Queryable, s: Scope, name: string): Promise<ReplayRow | undefined> {
  return db.one<ReplayRow>('SELECT * FROM events_replays WHERE account_id = ? AND region = ? AND name = ?', [s.accountId, s.region, name]);
}
export function listReplays(db: Queryable, s: Scope): Promise<ReplayRow[]> {
  return db.all<ReplayRow>('SELECT * FROM events_replays WHERE account_id = ? AND region = ? ORDER BY name', [s.accountId, s.region]);
}
export function activeReplays(db: Queryable): Promise<ReplayRow[]> {
  return db.all<ReplayRow>("SELECT * FROM events_replays WHERE state IN ('STARTING', 'RUNNING', 'CANCELLING')");
}
export async function insertReplay(db: Queryable, r: ReplayRow): Promise<void> {
  await db.run(
    `INSERT INTO events_replays (arn, account_id, region, name, description, source_arn, destination, event_start, event_end, state, state_reason, last_replayed, replay_start, replay_end, cursor_seq)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [r.arn, r.account_id, r.region, r.name, r.description, r.source_arn, r.destination, r.event_start, r.event_end, r.state, r.state_reason, r.last_replayed, r.replay_start, r.replay_end, r.cursor_seq],
  );
}
export async function updateReplay(db: Queryable, arn: string, p: { state: string; cursor_seq: number; last_replayed: number | null; replay_end: number | null; state_reason?: string | null }): Promise<void> {
  await db.run('UPDATE events_replays SET state = ?, cursor_seq = ?, last_replayed = ?, replay_end = ?, state_reason = ? WHERE arn = ?',
    [p.state, p.cursor_seq, p.last_replayed, p.replay_end, p.state_reason ?? null, arn]);
}
export async function setReplayState(db: Queryable, arn: string, state: string): Promise<void> {
  await db.run('UPDATE events_replays SET state = ? WHERE arn = ?', [state, arn]);
}

// ---- connections and API destinations ------------------------------------------------------------

export function getConnection(db: Queryable, s: Scope, name: string): Promise<ConnectionRow | undefined> {
  return db.one<ConnectionRow>('SELECT * FROM events_connections WHERE account_id = ? AND region = ? AND name = ?', [s.accountId, s.region, name]);
}
export function getConnectionByArn(db: Queryable, arn: string): Promise<ConnectionRow | undefined> {
  return db.one<ConnectionRow>('SELECT * FROM events_connections WHERE arn = ?', [arn]);
}
export function listConnections(db: Queryable, s: Scope): Promise<ConnectionRow[]> {
  return db.all<ConnectionRow>('SELECT * FROM events_connections WHERE account_id = ? AND region = ? ORDER BY name', [s.accountId, s.region]);
}
export async function upsertConnection(db: Queryable, c: ConnectionRow): Promise<void> {
  await db.run(
    `INSERT INTO events_connections (arn, account_id, region, name, description, authorization_type, auth_public, auth_sealed, state, created_at, modified_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (arn) DO UPDATE SET description = excluded.description, authorization_type = excluded.authorization_type,
       auth_public = excluded.auth_public, auth_sealed = excluded.auth_sealed, state = excluded.state, modified_at = excluded.modified_at`,
    [c.arn, c.account_id, c.region, c.name, c.description, c.authorization_type, c.auth_public, c.auth_sealed, c.state, c.created_at, c.modified_at],
  );
}
export async function deleteConnection(db: Queryable, arn: string): Promise<void> {
  await db.run('DELETE FROM events_connections WHERE arn = ?', [arn]);
}

export function getApiDestination(db: Queryable, s: Scope, name: string): Promise<ApiDestinationRow | undefined> {
  return db.one<ApiDestinationRow>('SELECT * FROM events_api_destinations WHERE account_id = ? AND region = ? AND name = ?', [s.accountId, s.region, name]);
}
export function getApiDestinationByArn(db: Queryable, arn: string): Promise<ApiDestinationRow | undefined> {
  return db.one<ApiDestinationRow>('SELECT * FROM events_api_destinations WHERE arn = ?', [arn]);
}
export function listApiDestinations(db: Queryable, s: Scope): Promise<ApiDestinationRow[]> {
  return db.all<ApiDestinationRow>('SELECT * FROM events_api_destinations WHERE account_id = ? AND region = ? ORDER BY name', [s.accountId, s.region]);
}
export async function upsertApiDestination(db: Queryable, a: ApiDestinationRow): Promise<void> {
  await db.run(
    `INSERT INTO events_api_destinations (arn, account_id, region, name, description, connection_arn, endpoint, http_method, rate_limit, state, created_at, modified_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (arn) DO UPDATE SET description = excluded.description, connection_arn = excluded.connection_arn, endpoint = excluded.endpoint,
       http_method = excluded.http_method, rate_limit = excluded.rate_limit, modified_at = excluded.modified_at`,
    [a.arn, a.account_id, a.region, a.name, a.description, a.connection_arn, a.endpoint, a.http_method, a.rate_limit, a.state, a.created_at, a.modified_at],
  );
}
export async function deleteApiDestination(db: Queryable, arn: string): Promise<void> {
  await db.run('DELETE FROM events_api_destinations WHERE arn = ?', [arn]);
}

// ---- the audit cursor --------------------------------------------------------------------------

export async function readCursor(db: Queryable, name: string): Promise<number | undefined> {
  return (await db.one<{ seq: number }>('SELECT seq FROM events_cursors WHERE name = ?', [name]))?.seq;
}
export async function writeCursor(db: Queryable, name: string, seq: number): Promise<void> {
  await db.run('INSERT INTO events_cursors (name, seq) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET seq = excluded.seq', [name, seq]);
}
export function allApiDestinations(db: Queryable): Promise<ApiDestinationRow[]> {
  return db.all<ApiDestinationRow>('SELECT * FROM events_api_destinations');
}
