/**
 * @module services/functions/store
 * The Lambda tables (migration 0011-functions), and the only SQL of this service.
 *
 * Functions take a `Queryable` so the same statement runs inside a `store.transaction` (every
 * write that touches several rows) or on its own. A function's rows are deleted children first,
 * explicitly, so nothing depends on foreign-key enforcement. Code packages are never deleted
 * here while anything still names them: `unreferencedCode` says which ones may go.
 */
import type { Queryable, SqlValue } from '../../store/store.js';
import type { StoredConfig, VersionRecord } from './model/configuration.js';
import type { Scope } from './model/names.js';

type Row = Record<string, unknown>;

function key(s: Scope, ...more: SqlValue[]): SqlValue[] {
  return [s.accountId, s.region, ...more];
}

function placeholders(n: number): string {
  return new Array(n).fill('?').join(', ');
}

// --- code packages ---------------------------------------------------------------------------

export interface CodePackageRecord {
  id: string;
  sha256: string;
  size: number;
  unzippedSize: number;
  status: 'pending' | 'ready' | 'failed';
  failure: string | null;
}

function toPackage(r: Row): CodePackageRecord {
  return {
    id: String(r.id),
    sha256: String(r.sha256),
    size: Number(r.size),
    unzippedSize: Number(r.unzipped_size),
    status: r.status as CodePackageRecord['status'],
    failure: (r.failure as string | null) ?? null,
  };
}

export async function insertCodePackage(db: Queryable, s: Scope, p: CodePackageRecord, now: number): Promise<void> {
  await db.run(
    'INSERT INTO lambda_code_packages (id, account_id, region, sha256, size, unzipped_size, status, failure, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [p.id, s.accountId, s.region, p.sha256, p.size, p.unzippedSize, p.status, p.failure, now],
  );
}

export async function codePackages(db: Queryable, ids: string[]): Promise<Map<string, CodePackageRecord>> {
  const out = new Map<string, CodePackageRecord>();
  if (ids.length === 0) return out;
  const rows = await db.all(`SELECT * FROM lambda_code_packages WHERE id IN (${placeholders(ids.length)})`, ids);
  for (const r of rows) out.set(String(r.id), toPackage(r));
  return out;
}

export async function pendingCodeIds(db: Queryable): Promise<string[]> {
  const rows = await db.all<{ id: string }>("SELECT id FROM lambda_code_packages WHERE status = 'pending' ORDER BY created_at");
  return rows.map((r) => r.id);
}

export async function settleCodePackage(db: Queryable, id: string, status: 'ready' | 'failed', unzippedSize: number | null, failure: string | null): Promise<void> {
  await db.run('UPDATE lambda_code_packages SET status = ?, unzipped_size = COALESCE(?, unzipped_size), failure = ? WHERE id = ?',
    [status, unzippedSize, failure, id]);
}

const REFERENCED = `(EXISTS (SELECT 1 FROM lambda_versions v WHERE v.code_id = c.id)
  OR EXISTS (SELECT 1 FROM lambda_version_layers l WHERE l.code_id = c.id)
  OR EXISTS (SELECT 1 FROM lambda_layer_versions lv WHERE lv.code_id = c.id))`;

/** Deletes the rows of those packages (of `ids`, or all when absent) nothing names any more. */
export async function unreferencedCode(db: Queryable, ids?: string[]): Promise<string[]> {
  if (ids && ids.length === 0) return [];
  const where = ids ? `c.id IN (${placeholders(ids.length)}) AND NOT ${REFERENCED}` : `NOT ${REFERENCED}`;
  const rows = await db.all<{ id: string }>(`SELECT c.id FROM lambda_code_packages c WHERE ${where}`, ids ?? []);
  const gone = rows.map((r) => r.id);
  if (gone.length > 0) await db.run(`DELETE FROM lambda_code_packages WHERE id IN (${placeholders(gone.length)})`, gone);
  return gone;
}

export async function knownCodeIds(db: Queryable, ids: string[]): Promise<Set<string>> {
  return new Set((await codePackages(db, ids)).keys());
}

/** AccountUsage.TotalCodeSize: every version's package and every layer version's, in bytes. */
export async function totalCodeSize(db: Queryable, s: Scope): Promise<number> {
  const a = await db.one<{ n: number | null }>(
    `SELECT sum(c.size) AS n FROM lambda_versions v JOIN lambda_code_packages c ON c.id = v.code_id WHERE v.account_id = ? AND v.region = ?`, key(s));
  const b = await db.one<{ n: number | null }>(
    `SELECT sum(c.size) AS n FROM lambda_layer_versions l JOIN lambda_code_packages c ON c.id = l.code_id WHERE l.account_id = ? AND l.region = ?`, key(s));
  return Number(a?.n ?? 0) + Number(b?.n ?? 0);
}

// --- functions ---------------------------------------------------------------------------------

export interface FunctionRecord {
  name: string;
  nextVersion: number;
  reservedConcurrency: number | null;
}

export async function getFunction(db: Queryable, s: Scope, name: string): Promise<FunctionRecord | undefined> {
  const r = await db.one('SELECT name, next_version, reserved_concurrency FROM lambda_functions WHERE account_id = ? AND region = ? AND name = ?', key(s, name));
  if (!r) return undefined;
  return { name: String(r.name), nextVersion: Number(r.next_version), reservedConcurrency: r.reserved_concurrency === null ? null : Number(r.reserved_concurrency) };
}

export async function insertFunction(db: Queryable, s: Scope, name: string, now: number): Promise<void> {
  await db.run('INSERT INTO lambda_functions (account_id, region, name, next_version, reserved_concurrency, created_at) VALUES (?, ?, ?, 1, NULL, ?)',
    key(s, name, now));
}

/** Hands out the next version number of a function. */
export async function takeVersionNumber(db: Queryable, s: Scope, name: string): Promise<number> {
  const f = await getFunction(db, s, name);
  if (!f) throw new Error(`no function ${name}`);
  await db.run('UPDATE lambda_functions SET next_version = ? WHERE account_id = ? AND region = ? AND name = ?', [f.nextVersion + 1, ...key(s, name)]);
  return f.nextVersion;
}

export async function setReservedConcurrency(db: Queryable, s: Scope, name: string, n: number | null): Promise<void> {
  await db.run('UPDATE lambda_functions SET reserved_concurrency = ? WHERE account_id = ? AND region = ? AND name = ?', [n, ...key(s, name)]);
}

export async function reservedConcurrencyElsewhere(db: Queryable, s: Scope, exceptName: string | null): Promise<number> {
  const r = await db.one<{ n: number | null }>(
    'SELECT sum(reserved_concurrency) AS n FROM lambda_functions WHERE account_id = ? AND region = ? AND name <> ?', key(s, exceptName ?? ''));
  return Number(r?.n ?? 0);
}

export async function countFunctions(db: Queryable, s: Scope): Promise<number> {
  const r = await db.one<{ n: number }>('SELECT count(*) AS n FROM lambda_functions WHERE account_id = ? AND region = ?', key(s));
  return Number(r?.n ?? 0);
}

const FUNCTION_CHILDREN = ['lambda_version_layers', 'lambda_versions', 'lambda_aliases', 'lambda_policy_statements', 'lambda_event_invoke_configs', 'lambda_url_configs', 'lambda_tags'];

/** Deletes a function and everything it owns; answers the code packages it named. */
export async function deleteFunction(db: Queryable, s: Scope, name: string): Promise<string[]> {
  const codes = await db.all<{ code_id: string }>(
    `SELECT code_id FROM lambda_versions WHERE account_id = ? AND region = ? AND function_name = ?
     UNION SELECT code_id FROM lambda_version_layers WHERE account_id = ? AND region = ? AND function_name = ?`, [...key(s, name), ...key(s, name)]);
  for (const table of FUNCTION_CHILDREN) await db.run(`DELETE FROM ${table} WHERE account_id = ? AND region = ? AND function_name = ?`, key(s, name));
  await db.run('DELETE FROM lambda_functions WHERE account_id = ? AND region = ? AND name = ?', key(s, name));
  return codes.map((r) => r.code_id);
}

// --- versions ----------------------------------------------------------------------------------

const VERSION_SELECT = `SELECT v.*, c.sha256, c.size FROM lambda_versions v JOIN lambda_code_packages c ON c.id = v.code_id`;

function toVersion(r: Row): VersionRecord {
  return {
    functionName: String(r.function_name),
    version: String(r.version),
    config: JSON.parse(String(r.config)) as StoredConfig,
    codeId: String(r.code_id),
    codeSha256: String(r.sha256),
    codeSize: Number(r.size),
    state: r.state as VersionRecord['state'],
    stateReason: (r.state_reason as string | null) ?? null,
    stateReasonCode: (r.state_reason_code as string | null) ?? null,
    updateStatus: (r.update_status as VersionRecord['updateStatus']) ?? null,
    updateReason: (r.update_reason as string | null) ?? null,
    updateReasonCode: (r.update_reason_code as string | null) ?? null,
    revisionId: String(r.revision_id),
    modifiedAt: Number(r.modified_at),
  };
}

export async function getVersion(db: Queryable, s: Scope, name: string, version: string): Promise<VersionRecord | undefined> {
  const r = await db.one(`${VERSION_SELECT} WHERE v.account_id = ? AND v.region = ? AND v.function_name = ? AND v.version = ?`, key(s, name, version));
  return r && toVersion(r);
}

/** Versions of a function in listing order ($LATEST, 1, 2 …) after position `after`. */
export async function listVersions(db: Queryable, s: Scope, name: string, after: number, limit: number): Promise<VersionRecord[]> {
  const rows = await db.all(`${VERSION_SELECT} WHERE v.account_id = ? AND v.region = ? AND v.function_name = ? AND v.version_number > ?
    ORDER BY v.version_number LIMIT ?`, key(s, name, after, limit));
  return rows.map(toVersion);
}

export async function newestPublishedVersion(db: Queryable, s: Scope, name: string): Promise<VersionRecord | undefined> {
  const r = await db.one(`${VERSION_SELECT} WHERE v.account_id = ? AND v.region = ? AND v.function_name = ? AND v.version_number > 0
    ORDER BY v.version_number DESC LIMIT 1`, key(s, name));
  return r && toVersion(r);
}

/** ListFunctions: $LATEST of every function (or every version), by name then version. */
export async function listFunctionVersions(db: Queryable, s: Scope, all: boolean, after: { name: string; number: number } | undefined, limit: number): Promise<VersionRecord[]> {
  const where = ['v.account_id = ?', 'v.region = ?'];
  const params: SqlValue[] = key(s);
  if (!all) where.push('v.version_number = 0');
  if (after) {
    where.push('(v.function_name > ? OR (v.function_name = ? AND v.version_number > ?))');
    params.push(after.name, after.name, after.number);
  }
  params.push(limit);
  const rows = await db.all(`${VERSION_SELECT} WHERE ${where.join(' AND ')} ORDER BY v.function_name, v.version_number LIMIT ?`, params);
  return rows.map(toVersion);
}

function versionNumber(version: string): number {
  return version === '$LATEST' ? 0 : Number(version);
}

async function writeLayers(db: Queryable, s: Scope, v: VersionRecord): Promise<void> {
  await db.run('DELETE FROM lambda_version_layers WHERE account_id = ? AND region = ? AND function_name = ? AND version = ?', key(s, v.functionName, v.version));
  let position = 0;
  for (const l of v.config.layers) {
    await db.run('INSERT INTO lambda_version_layers (account_id, region, function_name, version, position, layer_version_arn, code_id) VALUES (?, ?, ?, ?, ?, ?, ?)',
      key(s, v.functionName, v.version, position++, l.arn, l.codeId));
  }
}

export async function insertVersion(db: Queryable, s: Scope, v: VersionRecord): Promise<void> {
  await db.run(
    `INSERT INTO lambda_versions (account_id, region, function_name, version, version_number, config, code_id, state, state_reason, state_reason_code,
       update_status, update_reason, update_reason_code, revision_id, modified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    key(s, v.functionName, v.version, versionNumber(v.version), JSON.stringify(v.config), v.codeId, v.state, v.stateReason, v.stateReasonCode,
      v.updateStatus, v.updateReason, v.updateReasonCode, v.revisionId, v.modifiedAt),
  );
  await writeLayers(db, s, v);
}

/** Rewrites a version's configuration, code, lifecycle and revision (one row, its layers). */
export async function updateVersion(db: Queryable, s: Scope, v: VersionRecord): Promise<void> {
  await db.run(
    `UPDATE lambda_versions SET config = ?, code_id = ?, state = ?, state_reason = ?, state_reason_code = ?, update_status = ?, update_reason = ?,
       update_reason_code = ?, revision_id = ?, modified_at = ? WHERE account_id = ? AND region = ? AND function_name = ? AND version = ?`,
    [JSON.stringify(v.config), v.codeId, v.state, v.stateReason, v.stateReasonCode, v.updateStatus, v.updateReason, v.updateReasonCode,
      v.revisionId, v.modifiedAt, ...key(s, v.functionName, v.version)],
  );
  await writeLayers(db, s, v);
}

export async function setRevision(db: Queryable, s: Scope, name: string, version: string, revisionId: string): Promise<void> {
  await db.run('UPDATE lambda_versions SET revision_id = ? WHERE account_id = ? AND region = ? AND function_name = ? AND version = ?',
    [revisionId, ...key(s, name, version)]);
}

/** Deletes one published version with its policy and event invoke config; answers its packages. */
export async function deleteVersion(db: Queryable, s: Scope, name: string, version: string): Promise<string[]> {
  const codes = await db.all<{ code_id: string }>(
    `SELECT code_id FROM lambda_versions WHERE account_id = ? AND region = ? AND function_name = ? AND version = ?
     UNION SELECT code_id FROM lambda_version_layers WHERE account_id = ? AND region = ? AND function_name = ? AND version = ?`,
    [...key(s, name, version), ...key(s, name, version)]);
  await db.run('DELETE FROM lambda_version_layers WHERE account_id = ? AND region = ? AND function_name = ? AND version = ?', key(s, name, version));
  await db.run('DELETE FROM lambda_versions WHERE account_id = ? AND region = ? AND function_name = ? AND version = ?', key(s, name, version));
  await db.run('DELETE FROM lambda_policy_statements WHERE account_id = ? AND region = ? AND function_name = ? AND qualifier = ?', key(s, name, version));
  await db.run('DELETE FROM lambda_event_invoke_configs WHERE account_id = ? AND region = ? AND function_name = ? AND qualifier = ?', key(s, name, version));
  return codes.map((r) => r.code_id);
}

/** Versions still waiting for their code (Pending) or for an update to land (InProgress). */
export async function unsettledVersions(db: Queryable): Promise<Array<VersionRecord & { scope: Scope }>> {
  const rows = await db.all(`${VERSION_SELECT} WHERE v.state = 'Pending' OR v.update_status = 'InProgress'`);
  return rows.map((r) => ({ ...toVersion(r), scope: { accountId: String(r.account_id), region: String(r.region) } }));
}

// --- aliases -----------------------------------------------------------------------------------

export interface AliasRecord {
  name: string;
  functionVersion: string;
  description: string;
  /** version → weight */
  routing: Record<string, number> | null;
  revisionId: string;
}

function toAlias(r: Row): AliasRecord {
  return {
    name: String(r.name),
    functionVersion: String(r.function_version),
    description: String(r.description),
    routing: r.routing ? (JSON.parse(String(r.routing)) as Record<string, number>) : null,
    revisionId: String(r.revision_id),
  };
}

export async function getAlias(db: Queryable, s: Scope, fn: string, name: string): Promise<AliasRecord | undefined> {
  const r = await db.one('SELECT * FROM lambda_aliases WHERE account_id = ? AND region = ? AND function_name = ? AND name = ?', key(s, fn, name));
  return r && toAlias(r);
}

export async function listAliases(db: Queryable, s: Scope, fn: string, after: string, limit: number): Promise<AliasRecord[]> {
  const rows = await db.all('SELECT * FROM lambda_aliases WHERE account_id = ? AND region = ? AND function_name = ? AND name > ? ORDER BY name LIMIT ?',
    key(s, fn, after, limit));
  return rows.map(toAlias);
}

export async function putAlias(db: Queryable, s: Scope, fn: string, a: AliasRecord, isNew: boolean): Promise<void> {
  const routing = a.routing ? JSON.stringify(a.routing) : null;
  if (isNew) {
    await db.run('INSERT INTO lambda_aliases (account_id, region, function_name, name, function_version, description, routing, revision_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      key(s, fn, a.name, a.functionVersion, a.description, routing, a.revisionId));
  } else {
    await db.run('UPDATE lambda_aliases SET function_version = ?, description = ?, routing = ?, revision_id = ? WHERE account_id = ? AND region = ? AND function_name = ? AND name = ?',
      [a.functionVersion, a.description, routing, a.revisionId, ...key(s, fn, a.name)]);
  }
}

/** Deletes an alias with the policy, event invoke config and URL config attached to it. */
export async function deleteAlias(db: Queryable, s: Scope, fn: string, name: string): Promise<boolean> {
  for (const table of ['lambda_policy_statements', 'lambda_event_invoke_configs', 'lambda_url_configs']) {
    await db.run(`DELETE FROM ${table} WHERE account_id = ? AND region = ? AND function_name = ? AND qualifier = ?`, key(s, fn, name));
  }
  const r = await db.run('DELETE FROM lambda_aliases WHERE account_id = ? AND region = ? AND function_name = ? AND name = ?', key(s, fn, name));
  return r.changes > 0;
}

/** Aliases that route any traffic to `version` (as primary or additional version). */
export async function aliasesUsingVersion(db: Queryable, s: Scope, fn: string, version: string): Promise<string[]> {
  const all = await listAliases(db, s, fn, '', 1_000_000);
  return all.filter((a) => a.functionVersion === version || (a.routing && version in a.routing)).map((a) => a.name);
}

// --- resource policy ---------------------------------------------------------------------------

export async function policyStatements(db: Queryable, s: Scope, fn: string, qualifier: string): Promise<Array<{ sid: string; statement: string }>> {
  return db.all<{ sid: string; statement: string }>(
    'SELECT sid, statement FROM lambda_policy_statements WHERE account_id = ? AND region = ? AND function_name = ? AND qualifier = ? ORDER BY seq',
    key(s, fn, qualifier));
}

export async function addStatement(db: Queryable, s: Scope, fn: string, qualifier: string, sid: string, statement: string): Promise<void> {
  const r = await db.one<{ n: number | null }>('SELECT max(seq) AS n FROM lambda_policy_statements WHERE account_id = ? AND region = ? AND function_name = ?', key(s, fn));
  await db.run('INSERT INTO lambda_policy_statements (account_id, region, function_name, qualifier, sid, statement, seq) VALUES (?, ?, ?, ?, ?, ?, ?)',
    key(s, fn, qualifier, sid, statement, Number(r?.n ?? 0) + 1));
}

export async function removeStatement(db: Queryable, s: Scope, fn: string, qualifier: string, sid: string): Promise<boolean> {
  const r = await db.run('DELETE FROM lambda_policy_statements WHERE account_id = ? AND region = ? AND function_name = ? AND qualifier = ? AND sid = ?',
    key(s, fn, qualifier, sid));
  return r.changes > 0;
}

// --- event invoke configs ------------------------------------------------------------------------

export interface EventInvokeRecord {
  qualifier: string;
  maxRetryAttempts: number | null;
  maxEventAge: number | null;
  onSuccess: string | null;
  onFailure: string | null;
  modifiedAt: number;
}

function toEventInvoke(r: Row): EventInvokeRecord {
  const n = (x: unknown) => (x === null || x === undefined ? null : Number(x));
  return {
    qualifier: String(r.qualifier),
    maxRetryAttempts: n(r.max_retry_attempts),
    maxEventAge: n(r.max_event_age),
    onSuccess: (r.on_success as string | null) ?? null,
    onFailure: (r.on_failure as string | null) ?? null,
    modifiedAt: Number(r.modified_at),
  };
}

export async function getEventInvokeConfig(db: Queryable, s: Scope, fn: string, qualifier: string): Promise<EventInvokeRecord | undefined> {
  const r = await db.one('SELECT * FROM lambda_event_invoke_configs WHERE account_id = ? AND region = ? AND function_name = ? AND qualifier = ?', key(s, fn, qualifier));
  return r && toEventInvoke(r);
}

export async function listEventInvokeConfigs(db: Queryable, s: Scope, fn: string, after: string, limit: number): Promise<EventInvokeRecord[]> {
  const rows = await db.all('SELECT * FROM lambda_event_invoke_configs WHERE account_id = ? AND region = ? AND function_name = ? AND qualifier > ? ORDER BY qualifier LIMIT ?',
    key(s, fn, after, limit));
  return rows.map(toEventInvoke);
}

export async function putEventInvokeConfig(db: Queryable, s: Scope, fn: string, c: EventInvokeRecord): Promise<void> {
  await db.run('DELETE FROM lambda_event_invoke_configs WHERE account_id = ? AND region = ? AND function_name = ? AND qualifier = ?', key(s, fn, c.qualifier));
  await db.run(`INSERT INTO lambda_event_invoke_configs (account_id, region, function_name, qualifier, max_retry_attempts, max_event_age, on_success, on_failure, modified_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, key(s, fn, c.qualifier, c.maxRetryAttempts, c.maxEventAge, c.onSuccess, c.onFailure, c.modifiedAt));
}

export async function deleteEventInvokeConfig(db: Queryable, s: Scope, fn: string, qualifier: string): Promise<boolean> {
  const r = await db.run('DELETE FROM lambda_event_invoke_configs WHERE account_id = ? AND region = ? AND function_name = ? AND qualifier = ?', key(s, fn, qualifier));
  return r.changes > 0;
}

// --- function URLs -------------------------------------------------------------------------------

export interface UrlConfigRecord {
  functionName: string;
  qualifier: string;
  urlId: string;
  authType: string;
  cors: Record<string, unknown> | null;
  invokeMode: string;
  createdAt: number;
  modifiedAt: number;
}

function toUrlConfig(r: Row): UrlConfigRecord {
  return {
    functionName: String(r.function_name),
    qualifier: String(r.qualifier),
    urlId: String(r.url_id),
    authType: String(r.auth_type),
    cors: r.cors ? (JSON.parse(String(r.cors)) as Record<string, unknown>) : null,
    invokeMode: String(r.invoke_mode),
    createdAt: Number(r.created_at),
    modifiedAt: Number(r.modified_at),
  };
}

export async function getUrlConfig(db: Queryable, s: Scope, fn: string, qualifier: string): Promise<UrlConfigRecord | undefined> {
  const r = await db.one('SELECT * FROM lambda_url_configs WHERE account_id = ? AND region = ? AND function_name = ? AND qualifier = ?', key(s, fn, qualifier));
  return r && toUrlConfig(r);
}

/** The URL config (and its scope) behind a URL id: how a request to a function URL finds its function. */
export async function urlConfigById(db: Queryable, urlId: string): Promise<(UrlConfigRecord & { scope: Scope }) | undefined> {
  const r = await db.one('SELECT * FROM lambda_url_configs WHERE url_id = ?', [urlId]);
  return r && { ...toUrlConfig(r), scope: { accountId: String(r.account_id), region: String(r.region) } };
}

export async function listUrlConfigs(db: Queryable, s: Scope, fn: string, after: string, limit: number): Promise<UrlConfigRecord[]> {
  const rows = await db.all('SELECT * FROM lambda_url_configs WHERE account_id = ? AND region = ? AND function_name = ? AND qualifier > ? ORDER BY qualifier LIMIT ?',
    key(s, fn, after, limit));
  return rows.map(toUrlConfig);
}

export async function putUrlConfig(db: Queryable, s: Scope, c: UrlConfigRecord, isNew: boolean): Promise<void> {
  const cors = c.cors ? JSON.stringify(c.cors) : null;
  if (isNew) {
    await db.run(`INSERT INTO lambda_url_configs (account_id, region, function_name, qualifier, url_id, auth_type, cors, invoke_mode, created_at, modified_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, key(s, c.functionName, c.qualifier, c.urlId, c.authType, cors, c.invokeMode, c.createdAt, c.modifiedAt));
  } else {
    await db.run('UPDATE lambda_url_configs SET auth_type = ?, cors = ?, invoke_mode = ?, modified_at = ? WHERE account_id = ? AND region = ? AND function_name = ? AND qualifier = ?',
      [c.authType, cors, c.invokeMode, c.modifiedAt, ...key(s, c.functionName, c.qualifier)]);
  }
}

export async function deleteUrlConfig(db: Queryable, s: Scope, fn: string, qualifier: string): Promise<boolean> {
  const r = await db.run('DELETE FROM lambda_url_configs WHERE account_id = ? AND region = ? AND function_name = ? AND qualifier = ?', key(s, fn, qualifier));
  return r.changes > 0;
}

// --- tags ----------------------------------------------------------------------------------------

export async function tagsOf(db: Queryable, s: Scope, fn: string): Promise<Record<string, string>> {
  const rows = await db.all<{ tag_key: string; tag_value: string }>(
    'SELECT tag_key, tag_value FROM lambda_tags WHERE account_id = ? AND region = ? AND function_name = ? ORDER BY tag_key', key(s, fn));
  return Object.fromEntries(rows.map((r) => [r.tag_key, r.tag_value]));
}

export async function putTag(db: Queryable, s: Scope, fn: string, k: string, v: string): Promise<void> {
  await db.run('DELETE FROM lambda_tags WHERE account_id = ? AND region = ? AND function_name = ? AND tag_key = ?', key(s, fn, k));
  await db.run('INSERT INTO lambda_tags (account_id, region, function_name, tag_key, tag_value) VALUES (?, ?, ?, ?, ?)', key(s, fn, k, v));
}

export async function removeTag(db: Queryable, s: Scope, fn: string, k: string): Promise<void> {
  await db.run('DELETE FROM lambda_tags WHERE account_id = ? AND region = ? AND function_name = ? AND tag_key = ?', key(s, fn, k));
}

// --- layers --------------------------------------------------------------------------------------

export interface LayerVersionRecord {
  layerName: string;
  version: number;
  description: string;
  licenseInfo: string | null;
  compatibleRuntimes: string[] | null;
  compatibleArchitectures: string[] | null;
  codeId: string;
  codeSha256: string;
  codeSize: number;
  unzippedSize: number;
  createdAt: number;
}

const LAYER_SELECT = `SELECT l.*, c.sha256, c.size, c.unzipped_size FROM lambda_layer_versions l JOIN lambda_code_packages c ON c.id = l.code_id`;

function toLayerVersion(r: Row): LayerVersionRecord {
  return {
    layerName: String(r.layer_name),
    version: Number(r.version),
    description: String(r.description),
    licenseInfo: (r.license_info as string | null) ?? null,
    compatibleRuntimes: r.compatible_runtimes ? (JSON.parse(String(r.compatible_runtimes)) as string[]) : null,
    compatibleArchitectures: r.compatible_architectures ? (JSON.parse(String(r.compatible_architectures)) as string[]) : null,
    codeId: String(r.code_id),
    codeSha256: String(r.sha256),
    codeSize: Number(r.size),
    unzippedSize: Number(r.unzipped_size),
    createdAt: Number(r.created_at),
  };
}

/** Hands out the next version number of a layer, creating the layer on first use. */
export async function takeLayerVersion(db: Queryable, s: Scope, name: string): Promise<number> {
  const r = await db.one<{ next_version: number }>('SELECT next_version FROM lambda_layers WHERE account_id = ? AND region = ? AND name = ?', key(s, name));
  const n = r ? Number(r.next_version) : 1;
  if (r) await db.run('UPDATE lambda_layers SET next_version = ? WHERE account_id = ? AND region = ? AND name = ?', [n + 1, ...key(s, name)]);
  else await db.run('INSERT INTO lambda_layers (account_id, region, name, next_version) VALUES (?, ?, ?, ?)', key(s, name, n + 1));
  return n;
}

export async function insertLayerVersion(db: Queryable, s: Scope, l: LayerVersionRecord): Promise<void> {
  const json = (x: string[] | null) => (x ? JSON.stringify(x) : null);
  await db.run(`INSERT INTO lambda_layer_versions (account_id, region, layer_name, version, description, license_info, compatible_runtimes,
      compatible_architectures, code_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  key(s, l.layerName, l.version, l.description, l.licenseInfo, json(l.compatibleRuntimes), json(l.compatibleArchitectures), l.codeId, l.createdAt));
}

export async function getLayerVersion(db: Queryable, s: Scope, name: string, version: number): Promise<LayerVersionRecord | undefined> {
  const r = await db.one(`${LAYER_SELECT} WHERE l.account_id = ? AND l.region = ? AND l.layer_name = ? AND l.version = ?`, key(s, name, version));
  return r && toLayerVersion(r);
}

/** Versions of one layer (or of all layers), newest first within a layer, layers by name. */
export async function layerVersions(db: Queryable, s: Scope, name?: string): Promise<LayerVersionRecord[]> {
  const rows = name === undefined
    ? await db.all(`${LAYER_SELECT} WHERE l.account_id = ? AND l.region = ? ORDER BY l.layer_name, l.version DESC`, key(s))
    : await db.all(`${LAYER_SELECT} WHERE l.account_id = ? AND l.region = ? AND l.layer_name = ? ORDER BY l.version DESC`, key(s, name));
  return rows.map(toLayerVersion);
}

export async function deleteLayerVersion(db: Queryable, s: Scope, name: string, version: number): Promise<string | undefined> {
  const l = await getLayerVersion(db, s, name, version);
  if (!l) return undefined;
  await db.run('DELETE FROM lambda_layer_versions WHERE account_id = ? AND region = ? AND layer_name = ? AND version = ?', key(s, name, version));
  return l.codeId;
}
