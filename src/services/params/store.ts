/**
 * @module services/params/store
 * The Parameter Store tables (migration 0002-params), and the only SQL of this service.
 *
 * Functions take a `Queryable` rather than the Store so the same statement runs inside a
 * `store.transaction` (multi-row writes) or on its own (reads). Values are stored exactly as
 * handed over: sealing SecureString values is the caller's job (values.ts), so nothing here can
 * see a plaintext secret. Names are compared byte-wise (`=`, `substr`), never with LIKE, which
 * SQLite matches case-insensitively while parameter names are case-sensitive.
 */
import type { Queryable, SqlValue } from '../../store/store.js';

export interface Scope {
  accountId: string;
  region: string;
}

/** One stored version of a parameter. `value` is plaintext or sealed (SecureString). */
export interface VersionRecord {
  name: string;
  version: number;
  type: string;
  value: string;
  keyId: string | null;
  description: string | null;
  allowedPattern: string | null;
  tier: string;
  dataType: string;
  modifiedAt: number;
  modifiedBy: string;
}

interface VersionRow {
  name: string;
  version: number;
  type: string;
  value: string;
  key_id: string | null;
  description: string | null;
  allowed_pattern: string | null;
  tier: string;
  data_type: string;
  modified_at: number;
  modified_by: string;
  [k: string]: unknown;
}

const VERSION_COLUMNS =
  'v.name, v.version, v.type, v.value, v.key_id, v.description, v.allowed_pattern, v.tier, v.data_type, v.modified_at, v.modified_by';

function toRecord(r: VersionRow): VersionRecord {
  return {
    name: r.name,
    version: Number(r.version),
    type: r.type,
    value: r.value,
    keyId: r.key_id,
    description: r.description,
    allowedPattern: r.allowed_pattern,
    tier: r.tier,
    dataType: r.data_type,
    modifiedAt: Number(r.modified_at),
    modifiedBy: r.modified_by,
  };
}

/** The newest version of `name`, or undefined when no such parameter exists. */
export async function latestVersion(db: Queryable, s: Scope, name: string): Promise<VersionRecord | undefined> {
  const row = await db.one<VersionRow>(
    `SELECT ${VERSION_COLUMNS} FROM ssm_parameters p
       JOIN ssm_parameter_versions v
         ON v.account_id = p.account_id AND v.region = p.region AND v.name = p.name AND v.version = p.version
      WHERE p.account_id = ? AND p.region = ? AND p.name = ?`,
    [s.accountId, s.region, name],
  );
  return row && toRecord(row);
}

export async function versionOf(db: Queryable, s: Scope, name: string, version: number): Promise<VersionRecord | undefined> {
  const row = await db.one<VersionRow>(
    `SELECT ${VERSION_COLUMNS} FROM ssm_parameter_versions v WHERE v.account_id = ? AND v.region = ? AND v.name = ? AND v.version = ?`,
    [s.accountId, s.region, name, version],
  );
  return row && toRecord(row);
}

export async function versionByLabel(db: Queryable, s: Scope, name: string, label: string): Promise<VersionRecord | undefined> {
  const row = await db.one<VersionRow>(
    `SELECT ${VERSION_COLUMNS} FROM ssm_parameter_labels l
       JOIN ssm_parameter_versions v
         ON v.account_id = l.account_id AND v.region = l.region AND v.name = l.name AND v.version = l.version
      WHERE l.account_id = ? AND l.region = ? AND l.name = ? AND l.label = ?`,
    [s.accountId, s.region, name, label],
  );
  return row && toRecord(row);
}

/** Versions of `name` after `afterVersion`, oldest first (GetParameterHistory pages). */
export async function versionsPage(db: Queryable, s: Scope, name: string, afterVersion: number, limit: number): Promise<VersionRecord[]> {
  const rows = await db.all<VersionRow>(
    `SELECT ${VERSION_COLUMNS} FROM ssm_parameter_versions v
      WHERE v.account_id = ? AND v.region = ? AND v.name = ? AND v.version > ?
      ORDER BY v.version LIMIT ?`,
    [s.accountId, s.region, name, afterVersion, limit],
  );
  return rows.map(toRecord);
}

export async function versionStats(db: Queryable, s: Scope, name: string): Promise<{ count: number; oldest: number }> {
  const row = await db.one<{ n: number; oldest: number | null }>(
    'SELECT count(*) AS n, min(version) AS oldest FROM ssm_parameter_versions WHERE account_id = ? AND region = ? AND name = ?',
    [s.accountId, s.region, name],
  );
  return { count: Number(row?.n ?? 0), oldest: Number(row?.oldest ?? 0) };
}

/** How many parameters of the scope currently sit in `tier` (the per-tier quota). */
export async function countInTier(db: Queryable, s: Scope, tier: string): Promise<number> {
  const row = await db.one<{ n: number }>(
    'SELECT count(*) AS n FROM ssm_parameters WHERE account_id = ? AND region = ? AND tier = ?',
    [s.accountId, s.region, tier],
  );
  return Number(row?.n ?? 0);
}

/** Creates the parameter row (first version) or points it at a new newest version. */
export async function writeVersion(db: Queryable, s: Scope, rec: VersionRecord, parentPath: string, isNew: boolean): Promise<void> {
  if (isNew) {
    await db.run(
      'INSERT INTO ssm_parameters (account_id, region, name, parent_path, version, tier) VALUES (?, ?, ?, ?, ?, ?)',
      [s.accountId, s.region, rec.name, parentPath, rec.version, rec.tier],
    );
  }
  await db.run(
    `INSERT INTO ssm_parameter_versions
       (account_id, region, name, version, type, value, key_id, description, allowed_pattern, tier, data_type, modified_at, modified_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [s.accountId, s.region, rec.name, rec.version, rec.type, rec.value, rec.keyId, rec.description, rec.allowedPattern,
      rec.tier, rec.dataType, rec.modifiedAt, rec.modifiedBy],
  );
  if (!isNew) {
    await db.run('UPDATE ssm_parameters SET version = ?, tier = ? WHERE account_id = ? AND region = ? AND name = ?',
      [rec.version, rec.tier, s.accountId, s.region, rec.name]);
  }
}

export async function deleteVersion(db: Queryable, s: Scope, name: string, version: number): Promise<void> {
  await db.run('DELETE FROM ssm_parameter_labels WHERE account_id = ? AND region = ? AND name = ? AND version = ?', [s.accountId, s.region, name, version]);
  await db.run('DELETE FROM ssm_parameter_versions WHERE account_id = ? AND region = ? AND name = ? AND version = ?', [s.accountId, s.region, name, version]);
}

/** Removes the parameter with all its versions, labels and tags; false when it did not exist. */
export async function deleteParameter(db: Queryable, s: Scope, name: string): Promise<boolean> {
  const key = [s.accountId, s.region, name];
  // Children first, explicitly, so the outcome does not depend on foreign-key enforcement.
  await db.run('DELETE FROM ssm_parameter_labels WHERE account_id = ? AND region = ? AND name = ?', key);
  await db.run('DELETE FROM ssm_parameter_tags WHERE account_id = ? AND region = ? AND name = ?', key);
  await db.run('DELETE FROM ssm_parameter_versions WHERE account_id = ? AND region = ? AND name = ?', key);
  const r = await db.run('DELETE FROM ssm_parameters WHERE account_id = ? AND region = ? AND name = ?', key);
  return r.changes > 0;
}

export async function parameterExists(db: Queryable, s: Scope, name: string): Promise<boolean> {
  const row = await db.one('SELECT 1 AS x FROM ssm_parameters WHERE account_id = ? AND region = ? AND name = ?', [s.accountId, s.region, name]);
  return row !== undefined;
}

// --- labels ------------------------------------------------------------------------------

/** label → version, for one parameter. */
export async function labelsOf(db: Queryable, s: Scope, name: string): Promise<Map<string, number>> {
  const rows = await db.all<{ label: string; version: number }>(
    'SELECT label, version FROM ssm_parameter_labels WHERE account_id = ? AND region = ? AND name = ? ORDER BY label',
    [s.accountId, s.region, name],
  );
  return new Map(rows.map((r) => [r.label, Number(r.version)]));
}

/** Attaches `label` to `version`, moving it off whichever version held it. */
export async function putLabel(db: Queryable, s: Scope, name: string, label: string, version: number): Promise<void> {
  const moved = await db.run('UPDATE ssm_parameter_labels SET version = ? WHERE account_id = ? AND region = ? AND name = ? AND label = ?',
    [version, s.accountId, s.region, name, label]);
  if (moved.changes === 0) {
    await db.run('INSERT INTO ssm_parameter_labels (account_id, region, name, label, version) VALUES (?, ?, ?, ?, ?)',
      [s.accountId, s.region, name, label, version]);
  }
}

export async function removeLabel(db: Queryable, s: Scope, name: string, label: string, version: number): Promise<boolean> {
  const r = await db.run('DELETE FROM ssm_parameter_labels WHERE account_id = ? AND region = ? AND name = ? AND label = ? AND version = ?',
    [s.accountId, s.region, name, label, version]);
  return r.changes > 0;
}

// --- tags --------------------------------------------------------------------------------

export async function tagsOf(db: Queryable, s: Scope, name: string): Promise<Map<string, string>> {
  const rows = await db.all<{ tag_key: string; tag_value: string }>(
    'SELECT tag_key, tag_value FROM ssm_parameter_tags WHERE account_id = ? AND region = ? AND name = ? ORDER BY tag_key',
    [s.accountId, s.region, name],
  );
  return new Map(rows.map((r) => [r.tag_key, r.tag_value]));
}

export async function putTag(db: Queryable, s: Scope, name: string, key: string, value: string): Promise<void> {
  const updated = await db.run('UPDATE ssm_parameter_tags SET tag_value = ? WHERE account_id = ? AND region = ? AND name = ? AND tag_key = ?',
    [value, s.accountId, s.region, name, key]);
  if (updated.changes === 0) {
    await db.run('INSERT INTO ssm_parameter_tags (account_id, region, name, tag_key, tag_value) VALUES (?, ?, ?, ?, ?)',
      [s.accountId, s.region, name, key, value]);
  }
}

export async function removeTag(db: Queryable, s: Scope, name: string, key: string): Promise<void> {
  await db.run('DELETE FROM ssm_parameter_tags WHERE account_id = ? AND region = ? AND name = ? AND tag_key = ?', [s.accountId, s.region, name, key]);
}

// --- listing -----------------------------------------------------------------------------

/** A hierarchy to list: its direct children only, or everything below it. */
export interface PathScope {
  /** normalised: starts with '/', no trailing '/' except for the root itself */
  path: string;
  recursive: boolean;
}

export interface ListQuery {
  /** keyset position: only names sorting after this one */
  after?: string;
  limit: number;
  /** any of these hierarchies (OR); absent = every parameter */
  paths?: PathScope[];
}

/**
 * Newest versions of the scope's parameters in name order, narrowed by hierarchy in SQL. Other
 * filters (type, tags, labels…) are applied by the caller on these rows, page after page.
 */
export async function listLatest(db: Queryable, s: Scope, q: ListQuery): Promise<VersionRecord[]> {
  const where: string[] = ['p.account_id = ?', 'p.region = ?'];
  const params: SqlValue[] = [s.accountId, s.region];
  if (q.after !== undefined) {
    where.push('p.name > ?');
    params.push(q.after);
  }
  if (q.paths && q.paths.length > 0) {
    const alternatives: string[] = [];
    for (const p of q.paths) {
      if (!p.recursive) {
        alternatives.push('p.parent_path = ?');
        params.push(p.path);
      } else if (p.path === '/') {
        alternatives.push('1 = 1');
      } else {
        const prefix = `${p.path}/`;
        alternatives.push('substr(p.name, 1, ?) = ?');
        params.push(prefix.length, prefix);
      }
    }
    where.push(`(${alternatives.join(' OR ')})`);
  }
  params.push(q.limit);
  const rows = await db.all<VersionRow>(
    `SELECT ${VERSION_COLUMNS} FROM ssm_parameters p
       JOIN ssm_parameter_versions v
         ON v.account_id = p.account_id AND v.region = p.region AND v.name = p.name AND v.version = p.version
      WHERE ${where.join(' AND ')}
      ORDER BY p.name LIMIT ?`,
    params,
  );
  return rows.map(toRecord);
}

function placeholders(n: number): string {
  return new Array(n).fill('?').join(', ');
}

/** name → (tag key → value) for a batch of parameters. */
export async function tagsForNames(db: Queryable, s: Scope, names: string[]): Promise<Map<string, Map<string, string>>> {
  const out = new Map<string, Map<string, string>>();
  if (names.length === 0) return out;
  const rows = await db.all<{ name: string; tag_key: string; tag_value: string }>(
    `SELECT name, tag_key, tag_value FROM ssm_parameter_tags WHERE account_id = ? AND region = ? AND name IN (${placeholders(names.length)})`,
    [s.accountId, s.region, ...names],
  );
  for (const r of rows) {
    let m = out.get(r.name);
    if (!m) out.set(r.name, (m = new Map()));
    m.set(r.tag_key, r.tag_value);
  }
  return out;
}

/** name → (label → version) for a batch of parameters. */
export async function labelsForNames(db: Queryable, s: Scope, names: string[]): Promise<Map<string, Map<string, number>>> {
  const out = new Map<string, Map<string, number>>();
  if (names.length === 0) return out;
  const rows = await db.all<{ name: string; label: string; version: number }>(
    `SELECT name, label, version FROM ssm_parameter_labels WHERE account_id = ? AND region = ? AND name IN (${placeholders(names.length)})`,
    [s.accountId, s.region, ...names],
  );
  for (const r of rows) {
    let m = out.get(r.name);
    if (!m) out.set(r.name, (m = new Map()));
    m.set(r.label, Number(r.version));
  }
  return out;
}
